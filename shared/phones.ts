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
  const digits = typed.replace(/\D/g, '');
  if (digits === '') return null;
  const reader = new AsYouType(country);
  reader.input(typed);
  return reader.getNumber()?.number ?? (/^\s*\+/.test(typed) ? `+${digits}` : digits);
}
