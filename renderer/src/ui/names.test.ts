import { describe, expect, it } from 'vitest';
import { languageName, roleName } from './names';

describe('languageName', () => {
  it('names a language code in the clinic’s language', () => {
    expect(languageName('es', 'en-GB')).toBe('Spanish');
    expect(languageName('pt-BR', 'en-GB')).toBe('Brazilian Portuguese');
    expect(languageName('de', 'fr')).toBe('allemand');
  });

  it('shows a language typed out by hand as it is', () => {
    expect(languageName('Spanish', 'en-GB')).toBe('Spanish');
    expect(languageName('Yoruba and English', 'en-GB')).toBe('Yoruba and English');
  });
});

describe('roleName', () => {
  it('reads a stored role name as words', () => {
    expect(roleName('receptionist')).toBe('Receptionist');
    expect(roleName('practice_manager')).toBe('Practice manager');
  });
});
