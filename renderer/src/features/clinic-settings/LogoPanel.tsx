import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { clinicLogoInput, LOGO_NOT_AN_IMAGE, LOGO_TOO_LARGE, MAX_LOGO_BYTES } from '../../../../shared/clinic-settings';
import { formErrorsOf } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { readAsBase64 } from '../documents/chosenFile';

/** Why a chosen file cannot be the logo, before reading it (the server reads the bytes), or null. */
function logoProblem(file: File): string | null {
  if (file.size > MAX_LOGO_BYTES) return LOGO_TOO_LARGE;
  if (file.type && file.type !== 'image/png' && file.type !== 'image/jpeg') return LOGO_NOT_AN_IMAGE;
  return null;
}

/** The logo at the top of every print: choosing an image stores it at once; the preview is what prints. */
export function LogoPanel() {
  const trpc = useTRPC();
  const logo = useQuery(trpc.admin.logo.queryOptions());
  const refresh = useRefresh(trpc.admin.logo);
  const [problem, setProblem] = useState<string | null>(null);
  const failed = (error: Parameters<typeof formErrorsOf>[0]) => {
    const errors = formErrorsOf(error);
    setProblem(errors.fields.content ?? errors.general);
  };
  const save = useMutation(trpc.admin.saveLogo.mutationOptions({ onSuccess: refresh, onError: failed }));
  const remove = useMutation(trpc.admin.removeLogo.mutationOptions({ onSuccess: refresh, onError: failed }));
  const busy = save.isPending || remove.isPending;

  async function take(file: File | undefined) {
    if (!file || busy) return;
    const early = logoProblem(file);
    const checked = early ? null : checkForm(clinicLogoInput, { content: await readAsBase64(file) });
    setProblem(early ?? (checked && !checked.ok ? (checked.fields.content ?? LOGO_NOT_AN_IMAGE) : null));
    if (checked?.ok) save.mutate(checked.value);
  }

  return (
    <section className="panel" aria-labelledby="logo-title">
      <h3 id="logo-title">Logo on prints</h3>
      <div className="logo-settings">
        <div className="logo-preview">
          {logo.data ? (
            <img src={`data:${logo.data.mediaType};base64,${logo.data.content}`} alt="The clinic’s logo, as printed" />
          ) : (
            <p className="muted">{logo.isPending ? 'Loading…' : 'No logo: prints show the name and address only.'}</p>
          )}
        </div>
        <div className="field">
          <label htmlFor="logo-file">Logo image</label>
          <p className="field-hint" id="logo-hint">
            PNG or JPEG, up to 512 KB. Printed at the top left of prescriptions, receipts and reports.
          </p>
          <input
            id="logo-file"
            type="file"
            accept=".png,.jpg,.jpeg,image/png,image/jpeg"
            aria-describedby={problem ? 'logo-hint logo-problem' : 'logo-hint'}
            aria-invalid={problem ? true : undefined}
            disabled={busy}
            onChange={(event) => {
              void take(event.target.files?.[0]);
              // Choosing the same file again still stores it.
              event.target.value = '';
            }}
          />
          {problem && (
            <p className="field-error" id="logo-problem" role="alert">
              {problem}
            </p>
          )}
          {save.isPending && <p className="muted">Storing the logo…</p>}
          {logo.data && (
            <button type="button" className="button-quiet logo-remove" onClick={() => remove.mutate()} aria-disabled={busy}>
              Remove logo
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
