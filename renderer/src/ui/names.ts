/** Role names are stored in lowercase ("receptionist", "practice_manager"); people read them capitalised, in words. */
export function roleName(role: string): string {
  const words = role.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A language as people read it, in the clinic's language ("es" → "Spanish"); text that is not a
 * language code (typed by hand, "Spanish") is shown as it is.
 */
export function languageName(language: string, inLanguage: string): string {
  try {
    const name = new Intl.DisplayNames([inLanguage], { type: 'language', fallback: 'none' }).of(language.trim());
    return name ?? language;
  } catch {
    return language;
  }
}

/** A patient's name as the desk says it: first, middle, last. */
export function fullName(person: { first_name: string; middle_name?: string | null; last_name: string }): string {
  return [person.first_name, person.middle_name, person.last_name].filter(Boolean).join(' ');
}
