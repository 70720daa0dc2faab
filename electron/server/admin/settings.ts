import type { z } from 'zod';
import { APPOINTMENT_TYPES } from '../../../shared/appointments';
import type { ClinicLogo, ClinicSettings, clinicSettingsInput, VisitLengths } from '../../../shared/clinic-settings';
import { maybeOne, one } from '../db/rows';
import type { Queryable } from '../db/types';

const SETTINGS_COLUMNS = `name, phone, email, address_line1 AS "addressLine1", address_line2 AS "addressLine2", city, state,
  postal_code AS "postalCode", country, timezone, currency, language, opening_hours AS "openingHours",
  coalesce(settings ->> 'letterhead', '') AS letterhead,
  coalesce(settings ->> 'phone_region', upper(substring(language FROM 4 FOR 2)), '') AS "phoneRegion"`;

export async function clinicSettings(tx: Queryable, clinicId: string): Promise<ClinicSettings> {
  return one<ClinicSettings>(tx, `SELECT ${SETTINGS_COLUMNS} FROM clinics WHERE id = $1`, [clinicId]);
}

/** Whether the database knows this timezone (the calendar turns clinic times into instants with it). */
export async function knownTimezone(tx: Queryable, timezone: string): Promise<boolean> {
  return (await maybeOne(tx, `SELECT 1 FROM pg_timezone_names WHERE name = $1`, [timezone])) !== undefined;
}

/** The database refuses this without admin.settings (policy permitted_update_clinics); audited. */
export async function saveClinicSettings(
  tx: Queryable,
  clinicId: string,
  input: z.output<typeof clinicSettingsInput>,
): Promise<ClinicSettings | undefined> {
  return maybeOne<ClinicSettings>(
    tx,
    `UPDATE clinics SET name = $2, phone = $3, email = $4, address_line1 = $5, address_line2 = $6, city = $7, state = $8,
                        postal_code = $9, country = $10, timezone = $11, currency = $12, language = $13, opening_hours = $14,
                        settings = settings || jsonb_build_object('letterhead', $15::text, 'phone_region', $16::text)
     WHERE id = $1
     RETURNING ${SETTINGS_COLUMNS}`,
    [
      clinicId,
      input.name,
      input.phone ?? null,
      input.email,
      input.addressLine1 ?? null,
      input.addressLine2 ?? null,
      input.city ?? null,
      input.state ?? null,
      input.postalCode ?? null,
      input.country ?? null,
      input.timezone,
      input.currency,
      input.language,
      JSON.stringify(input.openingHours),
      input.letterhead,
      input.phoneRegion,
    ],
  );
}

/** The caller's clinic's logo (clinic_logo() answers for the signed-in staff member's own clinic), or null. */
export async function clinicLogo(tx: Queryable): Promise<ClinicLogo | null> {
  const row = await maybeOne<ClinicLogo>(
    tx,
    `SELECT media_type AS "mediaType", translate(encode(content, 'base64'), E'\\n', '') AS content FROM clinic_logo()`,
  );
  return row ?? null;
}

/** Replaces the logo; the database reads the type from the bytes and asks for admin.settings (store_clinic_logo). */
export async function storeClinicLogo(tx: Queryable, base64: string): Promise<void> {
  await tx.query(`SELECT store_clinic_logo(decode($1, 'base64'))`, [base64]);
}

export async function removeClinicLogo(tx: Queryable): Promise<void> {
  await tx.query(`SELECT remove_clinic_logo()`);
}

/** The database refuses this without admin.settings (policy permitted_update_appointment_type_durations); audited. */
export async function saveVisitLengths(tx: Queryable, clinicId: string, lengths: VisitLengths): Promise<void> {
  await tx.query(
    `UPDATE appointment_type_durations d SET duration_minutes = l.minutes
     FROM unnest($2::text[], $3::integer[]) AS l (appointment_type, minutes)
     WHERE d.clinic_id = $1 AND d.appointment_type = l.appointment_type AND d.duration_minutes <> l.minutes`,
    [clinicId, [...APPOINTMENT_TYPES], APPOINTMENT_TYPES.map((type) => lengths[type])],
  );
}
