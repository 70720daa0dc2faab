/** Role names are stored in lowercase ("receptionist"); people read them capitalised. */
export function roleName(role: string): string {
  return role.charAt(0).toUpperCase() + role.slice(1);
}

/** A patient's name as the desk says it: first, middle, last. */
export function fullName(person: { first_name: string; middle_name?: string | null; last_name: string }): string {
  return [person.first_name, person.middle_name, person.last_name].filter(Boolean).join(' ');
}
