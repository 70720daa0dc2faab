import type { FormErrors } from '../../errors';
import { Field } from '../../ui/Field';

/** A new passphrase typed twice, with what the clinic must know about it. */
export function NewPassphraseFields({
  label = 'Passphrase',
  hint,
  passphrase,
  passphraseAgain,
  onPassphrase,
  onPassphraseAgain,
  errors,
}: {
  label?: string;
  hint: string;
  passphrase: string;
  passphraseAgain: string;
  onPassphrase(value: string): void;
  onPassphraseAgain(value: string): void;
  errors: FormErrors['fields'];
}) {
  return (
    <>
      <Field
        label={label}
        hint={hint}
        type="password"
        autoComplete="new-password"
        value={passphrase}
        onChange={(event) => onPassphrase(event.target.value)}
        error={errors.passphrase}
      />
      <Field
        label="Passphrase again"
        type="password"
        autoComplete="new-password"
        value={passphraseAgain}
        onChange={(event) => onPassphraseAgain(event.target.value)}
        error={errors.passphraseAgain}
      />
    </>
  );
}
