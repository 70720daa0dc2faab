import { describe, expect, it } from 'vitest';
import { phoneCountry, phoneKey, readPhoneNumber } from './phones';

describe('phoneCountry', () => {
  it('is the clinic’s own country, else its language’s region, else none', () => {
    expect(phoneCountry('FR', 'en-GB')).toBe('FR');
    expect(phoneCountry(null, 'en-GB')).toBe('GB');
    expect(phoneCountry(null, 'en')).toBeUndefined();
    expect(phoneCountry('XX', 'en')).toBeUndefined();
  });
});

describe('phoneKey', () => {
  it('reads national and international forms of one UK number as one E.164 number', () => {
    for (const typed of ['07700 900123', '+44 7700 900123', '7700 900123', '0044 7700 900123', '(07700) 900-123']) {
      expect(phoneKey(typed, 'GB')).toBe('+447700900123');
    }
    expect(phoneKey('020 7946 0187', 'GB')).toBe('+442079460187');
  });

  it('turns the first digits typed into the start of the E.164 number', () => {
    expect(phoneKey('07700 9', 'GB')).toBe('+4477009');
    expect(phoneKey('077', 'GB')).toBe('+4477');
    expect(phoneKey('+44 77', 'GB')).toBe('+4477');
  });

  it('reads numbers in the clinic’s country, and foreign numbers typed with their code', () => {
    expect(phoneKey('(415) 555-0100', 'US')).toBe('+14155550100');
    expect(phoneKey('06 12 34 56 78', 'FR')).toBe('+33612345678');
    expect(phoneKey('+1 415 555 0100', 'GB')).toBe('+14155550100');
  });

  it('keeps the digits of what it cannot read, with the + when one was typed', () => {
    expect(phoneKey('07700 900123', undefined)).toBe('07700900123');
    expect(phoneKey('+44 7700 900123', undefined)).toBe('+447700900123');
    expect(phoneKey(' - ', 'GB')).toBeNull();
  });

  it('tells with the key whether the number can be whole: the start of one cannot', () => {
    expect(readPhoneNumber('07700 900123', 'GB')).toEqual({ key: '+447700900123', possible: true });
    expect(readPhoneNumber('07700 9', 'GB')).toEqual({ key: '+4477009', possible: false });
    expect(readPhoneNumber('06 12 34 56 78', 'FR')).toEqual({ key: '+33612345678', possible: true });
    expect(readPhoneNumber('', 'GB')).toEqual({ key: null, possible: false });
  });
});
