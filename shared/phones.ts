import { AsYouType, isSupportedCountry, type CountryCode } from 'libphonenumber-js';

/**
 * The country a clinic reads phone numbers in: its own setting, else the region of its language
 * (en-GB → GB), else none (then only numbers typed with their country code are understood).
 */
export function phoneCountry(countryCode: string | null, language: string): CountryCode | undefined {
  const region = countryCode ?? /-([A-Z]{2})$/.exec(language)?.[1];
  return region && isSupportedCountry(region) ? region : undefined;
}

/**
 * A phone number, whole or its first digits, as stored and searched: E.164 (+447700900123), read
 * with the clinic's country, so "07700 900123", "7700 900123" and "+44 7700 900123" are one
 * number and "07700 9" is its start (+4477009). What libphonenumber cannot read keeps its digits
 * (and its +), so it is still found as typed.
 */
export function phoneKey(typed: string, country: CountryCode | undefined): string | null {
  return readPhoneNumber(typed, country).key;
}

/**
 * One reading of a typed phone: its key (phoneKey's), and whether it can be a whole number
 * there (the right length for its country and kind). The import asks both of each phone.
 */
export function readPhoneNumber(typed: string, country: CountryCode | undefined): { key: string | null; possible: boolean } {
  const digits = typed.replace(/\D/g, '');
  if (digits === '') return { key: null, possible: false };
  const reader = new AsYouType(country);
  reader.input(typed);
  const number = reader.getNumber();
  return {
    key: number?.number ?? (/^\s*\+/.test(typed) ? `+${digits}` : digits),
    possible: number?.isPossible() ?? false,
  };
}
