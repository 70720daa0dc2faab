import { parseTypedDate } from '../../../../shared/dates';
import type { RegistrationStart } from './patientsDesk';

/**
 * Carries what was searched for into the registration form: a date becomes the date of birth,
 * a number with enough digits the phone, anything else the name ("Jane Doe"; one word is
 * taken as the last name, which is what the desk usually searches by).
 */
export function startFromSearch(text: string, language: string): RegistrationStart {
  const typed = text.trim();
  if (typed === '') return {};
  const date = parseTypedDate(typed, language);
  if (date) return { date_of_birth: date };
  if (/^\+?[0-9 ().-]+$/.test(typed)) return typed.replace(/\D/g, '').length >= 6 ? { phone: typed } : {};
  const words = typed.split(/\s+/);
  if (words.length === 1) return { last_name: typed };
  return { first_name: words.slice(0, -1).join(' '), last_name: words.at(-1) };
}
