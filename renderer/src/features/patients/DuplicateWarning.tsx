import { useId, type Ref } from 'react';
import type { DuplicateCandidate } from '../../../../shared/patients';
import { formatDate } from '../../ui/dates';
import { useSignedIn } from '../../ui/useSignedIn';

const REASONS: Record<DuplicateCandidate['reasons'][number], string> = {
  same_phone: 'same phone number',
  similar_name_same_birth_date: 'similar name, same date of birth',
};

interface DuplicateWarningProps {
  candidates: DuplicateCandidate[];
  /** The receptionist has said this is a different person. */
  acknowledged: boolean;
  onOpen(patientId: string): void;
  onSomeoneElse(): void;
  ref?: Ref<HTMLElement>;
}

/** Shown before saving whenever the details match someone already registered. */
export function DuplicateWarning({ candidates, acknowledged, onOpen, onSomeoneElse, ref }: DuplicateWarningProps) {
  const { clinic } = useSignedIn();
  const titleId = useId();
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className={acknowledged ? 'duplicates duplicates-acknowledged' : 'duplicates'}
      aria-labelledby={titleId}
    >
      <h3 id={titleId}>Possible duplicates</h3>
      <p>{acknowledged ? 'You confirmed this is a different person from:' : 'This may be someone already registered:'}</p>
      <ul>
        {candidates.map((candidate) => (
          <li key={candidate.id}>
            <p>
              <strong>
                {candidate.first_name} {candidate.last_name}
              </strong>{' '}
              <span className="patient-number">{candidate.patient_number}</span>
            </p>
            <p className="muted">
              Born {formatDate(candidate.date_of_birth, clinic.language)}
              {candidate.phone && ` · ${candidate.phone}`}
            </p>
            <p className="duplicate-reason">Matches: {candidate.reasons.map((reason) => REASONS[reason]).join('; ')}</p>
            <button
              type="button"
              className="button-secondary button-small"
              aria-label={`Open existing record of ${candidate.first_name} ${candidate.last_name}, ${candidate.patient_number}`}
              onClick={() => onOpen(candidate.id)}
            >
              Open existing record
            </button>
          </li>
        ))}
      </ul>
      {!acknowledged && (
        <button type="button" className="button-secondary button-wide" onClick={onSomeoneElse}>
          It's someone else — continue
        </button>
      )}
    </section>
  );
}
