import { useMutation } from '@tanstack/react-query';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { saveBundle } from './saveBundle';

/** One patient's chart as a FHIR R4 Bundle file, for clinical staff (the router and the database check it). */
export function ExportPatientButton({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const exported = useMutation(trpc.fhir.exportPatient.mutationOptions({ onSuccess: saveBundle }));
  return (
    <>
      <button
        type="button"
        className="button-secondary"
        aria-disabled={exported.isPending}
        onClick={() => exported.isPending || exported.mutate({ patientId })}
      >
        {exported.isPending ? 'Exporting…' : 'Export FHIR'}
      </button>
      {exported.isError && <p className="form-problem">{formErrorsOf(exported.error).general}</p>}
    </>
  );
}
