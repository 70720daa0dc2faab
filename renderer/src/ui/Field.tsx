import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface Labelled {
  label: string;
  /** The message for this field (client check or server), shown beneath it and read with it. */
  error?: string;
  hint?: string;
  /** Extra class for the wrapper, e.g. to span two columns of a form grid. */
  className?: string;
}

/** What a control needs to be tied to its label, hint and error. */
interface ControlIds {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** The label, hint and error around one control, wired for screen readers. */
function FieldShell({ label, error, hint, className, control }: Labelled & { control(ids: ControlIds): ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint && hintId, error && errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {control({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

interface FieldProps extends Labelled, Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className'> {
  ref?: Ref<HTMLInputElement>;
}

/** A labelled text input whose hint and error are tied to it for screen readers. */
export function Field({ label, error, hint, className, ref, ...input }: FieldProps) {
  return (
    <FieldShell label={label} error={error} hint={hint} className={className} control={(ids) => <input {...input} {...ids} ref={ref} />} />
  );
}

interface SelectFieldProps extends Labelled, Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'className'> {
  ref?: Ref<HTMLSelectElement>;
}

export function SelectField({ label, error, hint, className, ref, children, ...select }: SelectFieldProps) {
  return (
    <FieldShell
      label={label}
      error={error}
      hint={hint}
      className={className}
      control={(ids) => (
        <select {...select} {...ids} ref={ref}>
          {children}
        </select>
      )}
    />
  );
}

interface TextAreaFieldProps extends Labelled, Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'className'> {
  ref?: Ref<HTMLTextAreaElement>;
}

export function TextAreaField({ label, error, hint, className, ref, ...textarea }: TextAreaFieldProps) {
  return (
    <FieldShell
      label={label}
      error={error}
      hint={hint}
      className={className}
      control={(ids) => <textarea {...textarea} {...ids} ref={ref} />}
    />
  );
}
