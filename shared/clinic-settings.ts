import { getCountries, isValidPhoneNumber, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { APPOINTMENT_TYPES, type AppointmentType, type OpeningHours } from './appointments';
import { optionalPhone } from './patients';
import { optionalText } from './text';

export const WEEKDAYS = [
  { key: 'mon', label: 'Monday' },
  { key: 'tue', label: 'Tuesday' },
  { key: 'wed', label: 'Wednesday' },
  { key: 'thu', label: 'Thursday' },
  { key: 'fri', label: 'Friday' },
  { key: 'sat', label: 'Saturday' },
  { key: 'sun', label: 'Sunday' },
] as const satisfies readonly { key: keyof OpeningHours; label: string }[];

const PERIOD = /^([01]\d|2[0-3]):([0-5]\d)\s*[-–]\s*([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * One day's hours as typed: "08:00-12:30, 13:30-18:00", or empty (or "closed") for a closed day.
 * Periods in order, each closing after it opens, none overlapping.
 */
export const dayHours = z.string().transform((typed, ctx): [string, string][] => {
  const text = typed.trim();
  if (text === '' || text.toLowerCase() === 'closed') return [];
  const periods: [string, string][] = [];
  for (const part of text.split(',')) {
    const match = PERIOD.exec(part.trim());
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'Write hours like 08:00-12:30, 13:30-18:00, or leave empty when closed.' });
      return z.NEVER;
    }
    const [, openH, openM, closeH, closeM] = match;
    const period: [string, string] = [`${openH}:${openM}`, `${closeH}:${closeM}`];
    if (period[1] <= period[0]) {
      ctx.addIssue({ code: 'custom', message: `${part.trim()}: the closing time must come after the opening time.` });
      return z.NEVER;
    }
    const previous = periods.at(-1);
    if (previous && period[0] < previous[1]) {
      ctx.addIssue({ code: 'custom', message: 'Write the periods in order, without overlaps.' });
      return z.NEVER;
    }
    periods.push(period);
  }
  return periods;
});

/** A week of hours as typed, one text per weekday; parsed into OpeningHours. */
export const weekHours = z.object({
  mon: dayHours,
  tue: dayHours,
  wed: dayHours,
  thu: dayHours,
  fri: dayHours,
  sat: dayHours,
  sun: dayHours,
});
export type WeekHoursText = z.input<typeof weekHours>;

/** Stored hours back into the text the form shows. */
export function weekHoursText(hours: Partial<OpeningHours> | null | undefined): WeekHoursText {
  const text = (day: keyof OpeningHours) => (hours?.[day] ?? []).map(([open, close]) => `${open}-${close}`).join(', ');
  return Object.fromEntries(WEEKDAYS.map(({ key }) => [key, text(key)])) as WeekHoursText;
}

export const clinicSettingsInput = z
  .object({
    name: z.string().trim().min(1, "Enter the clinic's name.").max(200, 'The name is too long (200 characters at most).'),
    phone: optionalPhone,
    email: z
      .string()
      .trim()
      .max(254, 'This email address is too long.')
      .pipe(z.union([z.literal(''), z.email('Enter a valid email address, like reception@clinic.com.')]))
      .transform((value) => (value === '' ? null : value)),
    addressLine1: optionalText('Address', 200),
    addressLine2: optionalText('Address', 200),
    city: optionalText('City', 100),
    state: optionalText('County / state', 100),
    postalCode: optionalText('Postcode', 20),
    country: optionalText('Country', 100),
    /** Where local phone numbers are read (ISO 3166 code: GB, US, DE…). */
    phoneRegion: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'Use the two-letter country code, like GB or US.'),
    /** Checked again by the server against the database's own list. */
    timezone: z.string().trim().min(1, 'Choose a timezone.').max(64),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .refine(
        (value) => /^[A-Z]{3}$/.test(value) && Intl.supportedValuesOf('currency').includes(value),
        'Use a currency code like GBP, EUR or USD.',
      ),
    language: z
      .string()
      .trim()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'Use a language code like en-GB, fr or es-MX.'),
    /** Lines printed under the address at the top of prescriptions, receipts and reports. */
    letterhead: z.string().trim().max(1000, 'The letterhead is too long (1000 characters at most).'),
    openingHours: weekHours,
  })
  .superRefine((settings, ctx) => {
    const region = settings.phoneRegion as CountryCode;
    if (!getCountries().includes(region)) {
      ctx.addIssue({ code: 'custom', path: ['phoneRegion'], message: 'This is not a country code. Use one like GB, US or DE.' });
    } else if (settings.phone && !isValidPhoneNumber(settings.phone, region)) {
      ctx.addIssue({ code: 'custom', path: ['phone'], message: `This is not a valid phone number in ${region}.` });
    }
  });
export type ClinicSettingsInput = z.input<typeof clinicSettingsInput>;

export interface ClinicSettings {
  name: string;
  phone: string | null;
  email: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  phoneRegion: string;
  timezone: string;
  currency: string;
  language: string;
  letterhead: string;
  openingHours: OpeningHours;
}

/** Timezones to choose from (the server checks the database knows the chosen one). */
export function timezoneChoices(): string[] {
  return Intl.supportedValuesOf('timeZone');
}

/** The logo heads every print, so it is small: 512 KiB at most (the database checks it too). */
export const MAX_LOGO_BYTES = 512 * 1024;
export const LOGO_TOO_LARGE = 'The logo can be at most 512 KB. Save it smaller (a few hundred pixels wide is plenty).';
export const LOGO_NOT_AN_IMAGE = 'Choose a PNG or JPEG image.';

export const clinicLogoInput = z.object({
  /** The image's bytes, base64; its type is read from the bytes. */
  content: z
    .base64(LOGO_NOT_AN_IMAGE)
    .min(1, LOGO_NOT_AN_IMAGE)
    .max(Math.ceil(MAX_LOGO_BYTES / 3) * 4, LOGO_TOO_LARGE),
});

/** The clinic's logo as the settings preview shows it. */
export interface ClinicLogo {
  mediaType: 'image/png' | 'image/jpeg';
  /** base64 */
  content: string;
}

/** One type's usual length as typed: whole minutes, 5 to 480, in steps of 5 (the database checks the same). */
const visitMinutes = z
  .string()
  .trim()
  .min(1, 'Enter the minutes.')
  .pipe(z.coerce.number<string>('Enter the minutes as a number, like 15.'))
  .pipe(
    z
      .number()
      .int('Use whole minutes.')
      .min(5, 'At least 5 minutes.')
      .max(480, 'At most 480 minutes (8 hours).')
      .multipleOf(5, 'Use steps of 5 minutes: 10, 15, 20…'),
  );

/** The usual length of every type of visit, keyed by type: booking prefills the end time from it. */
export const visitLengthsInput = z.object(
  Object.fromEntries(APPOINTMENT_TYPES.map((type) => [type, visitMinutes])) as Record<AppointmentType, typeof visitMinutes>,
);
export type VisitLengthsInput = z.input<typeof visitLengthsInput>;

/** Minutes per type of visit, as stored. */
export type VisitLengths = Record<AppointmentType, number>;
