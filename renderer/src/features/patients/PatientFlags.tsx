import type { Allergy } from '../../../../shared/patients';

function allergyText(allergy: Allergy): string {
  return `${allergy.substance} (${allergy.severity}${allergy.reaction ? `: ${allergy.reaction}` : ''})`;
}

/** Severe allergies first, so the most dangerous is the one that shows when space is short. */
export function bySeverity(allergies: readonly Allergy[]): Allergy[] {
  const rank = { severe: 0, moderate: 1, mild: 2 } as const;
  return [...allergies].sort((a, b) => rank[a.severity] - rank[b.severity]);
}

/** A compact allergy badge for lists: red when any allergy is severe. */
export function AllergyBadge({ allergies }: { allergies: readonly Allergy[] }) {
  if (allergies.length === 0) return null;
  const sorted = bySeverity(allergies);
  const severe = sorted[0]?.severity === 'severe';
  const shown = sorted.slice(0, 2).map((a) => a.substance);
  const more = sorted.length - shown.length;
  return (
    <span className={severe ? 'allergy-badge allergy-badge-severe' : 'allergy-badge'} title={sorted.map(allergyText).join('\n')}>
      {severe ? 'Severe allergy' : sorted.length > 1 ? 'Allergies' : 'Allergy'}: {shown.join(', ')}
      {more > 0 && ` +${more}`}
    </span>
  );
}

/** An alert sign whose text is read by screen readers and shown on hover. */
export function AlertMark({ alerts }: { alerts: string | null }) {
  if (!alerts) return null;
  return (
    <span className="alert-mark" title={alerts}>
      <span aria-hidden="true">!</span>
      <span className="visually-hidden">Alert: {alerts}</span>
    </span>
  );
}
