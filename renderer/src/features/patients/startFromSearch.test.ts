import { describe, expect, it } from 'vitest';
import { startFromSearch } from './startFromSearch';

describe('registering from a search that found no one', () => {
  it('takes a typed date as the date of birth, read in the clinic’s order', () => {
    expect(startFromSearch('14/03/1968', 'en-GB')).toEqual({ date_of_birth: '1968-03-14' });
    expect(startFromSearch('03/14/1968', 'en-US')).toEqual({ date_of_birth: '1968-03-14' });
  });

  it('takes a number with six digits or more as the phone', () => {
    expect(startFromSearch('07700 900123', 'en-GB')).toEqual({ phone: '07700 900123' });
    expect(startFromSearch('+44 (0)20 7946-0000', 'en-GB')).toEqual({ phone: '+44 (0)20 7946-0000' });
  });

  it('carries nothing over from a short number such as part of a patient number', () => {
    expect(startFromSearch('0042', 'en-GB')).toEqual({});
  });

  it('takes one word as the last name, which is what the desk usually searches by', () => {
    expect(startFromSearch('  Okonkwo ', 'en-GB')).toEqual({ last_name: 'Okonkwo' });
  });

  it('takes the last of several words as the last name and the rest as the first', () => {
    expect(startFromSearch('Mary Ann  Okonkwo', 'en-GB')).toEqual({ first_name: 'Mary Ann', last_name: 'Okonkwo' });
  });

  it('starts an empty form from an empty search', () => {
    expect(startFromSearch('   ', 'en-GB')).toEqual({});
  });
});
