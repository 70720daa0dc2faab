import { useEffect, useId, useRef } from 'react';
import { todayIn } from '../../../../shared/dates';
import { formErrorsOf } from '../../errors';
import { useActiveOption } from '../../ui/useActiveOption';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { usePatientSearch } from './patientQueries';
import { usePatientsDesk } from './patientsDesk';
import { PatientSummary } from './PatientSummary';
import { startFromSearch } from './startFromSearch';

/** The desk's front door: one box, results as you type, the keyboard never leaves it. */
export function PatientSearch() {
  const { clinic } = useSignedIn();
  const can = useCan();
  const text = usePatientsDesk((s) => s.searchText);
  const setText = usePatientsDesk((s) => s.setSearchText);
  const focusRequests = usePatientsDesk((s) => s.searchFocusRequests);
  const notice = usePatientsDesk((s) => s.notice);
  const { openPatient, register, showArchived } = usePatientsDesk.getState();
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const hintId = useId();

  const typed = text.trim();
  const search = usePatientSearch(text);
  // A failed search shows nothing: the last answer under new text would be taken for this one.
  const results = typed === '' || search.isError ? [] : (search.data ?? []);
  // The answer to an earlier keystroke, shown while this one is asked: dimmed, and Enter waits for the real one.
  const stale = search.isPlaceholderData;
  // An empty list means "no one" only when it answers what is typed now, not an earlier keystroke.
  const nobodyFound = typed !== '' && search.data?.length === 0 && !search.isPlaceholderData && !search.isError;
  const { activeIndex, setActiveIndex, onKeyDown } = useActiveOption(results.length, typed, (index) => {
    const chosen = results[index];
    if (chosen && !stale) openPatient(chosen.id);
  });

  useEffect(() => {
    if (focusRequests === 0) return;
    input.current?.focus();
    input.current?.select();
  }, [focusRequests]);

  const today = todayIn(clinic.timezone);
  const optionId = (index: number) => `${listId}-${index}`;
  const registerNew = () => register(startFromSearch(text, clinic.language));

  return (
    <section className="patient-search" aria-label="Patients">
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <div className="search-box">
        <label htmlFor={`${listId}-box`}>Search patients</label>
        <input
          ref={input}
          id={`${listId}-box`}
          data-area-start
          type="search"
          role="combobox"
          aria-expanded={results.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
          aria-describedby={hintId}
          aria-keyshortcuts="F2 Control+K"
          autoComplete="off"
          spellCheck={false}
          placeholder="Name, phone, patient number or date of birth"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && text !== '') {
              event.preventDefault();
              setText('');
            } else onKeyDown(event);
          }}
        />
        <p className="field-hint" id={hintId}>
          <kbd>F2</kbd> or <kbd>Ctrl+K</kbd> from anywhere in Reception · <kbd>↑</kbd> <kbd>↓</kbd> to choose · <kbd>Enter</kbd> to open ·{' '}
          <kbd>Esc</kbd> to clear
        </p>
      </div>

      <p className="visually-hidden" role="status">
        {typed === '' || stale ? '' : nobodyFound ? 'No patient found.' : results.length > 0 ? `${results.length} patients found.` : ''}
      </p>
      {search.isError && typed !== '' && <p className="form-problem">{formErrorsOf(search.error).general}</p>}

      <ul
        className={stale ? 'search-results search-results-stale' : 'search-results'}
        id={listId}
        role="listbox"
        aria-label="Patients found"
        aria-busy={search.isFetching}
      >
        {results.map((patient, index) => (
          <li
            key={patient.id}
            id={optionId(index)}
            role="option"
            aria-selected={index === activeIndex}
            className="search-result"
            onPointerMove={() => index !== activeIndex && setActiveIndex(index)}
            onClick={() => openPatient(patient.id)}
          >
            <PatientSummary patient={patient} today={today} language={clinic.language} />
          </li>
        ))}
      </ul>

      {nobodyFound && (
        <div className="search-empty">
          <p>
            No patient found for “<strong>{typed}</strong>”.
          </p>
          {can('patients.write') && (
            <button type="button" className="button-primary" onClick={registerNew} aria-keyshortcuts="Alt+N">
              Register new patient <kbd>Alt+N</kbd>
            </button>
          )}
        </div>
      )}

      {typed === '' && (
        <div className="search-start">
          <p className="muted">
            Type any part of a name (accents and small misspellings are fine), a phone number in any format, a patient number such as
            P-000001, or a date of birth such as 14/03/1968.
          </p>
          {can('patients.write') && (
            <button type="button" className="button-secondary" onClick={registerNew} aria-keyshortcuts="Alt+N">
              Register new patient <kbd>Alt+N</kbd>
            </button>
          )}
        </div>
      )}
      {/* Whatever is typed: the one looked for may be among the archived. */}
      {can('patients.restore') && (
        <button type="button" className="button-quiet search-archived" onClick={showArchived}>
          Archived patients
        </button>
      )}
    </section>
  );
}
