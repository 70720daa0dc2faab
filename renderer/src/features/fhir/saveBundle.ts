import type { FhirExport } from '../../../../shared/fhir';

/** Hands an exported Bundle to the person as a .json file (a download, as the audit CSV is). */
export function saveBundle(exported: FhirExport): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([exported.json], { type: 'application/fhir+json' }));
  link.download = exported.fileName;
  link.click();
  // The download has its own copy once started; the next task is soon enough to let go.
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}
