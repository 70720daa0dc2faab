import type { PrintedPdf } from '../../../shared/print';

/**
 * Hands a printout from the router to the person: in the desktop app main saves it where they
 * choose and opens it in the system viewer to print; in browser mode the browser downloads it.
 */
export async function savePdf(pdf: PrintedPdf): Promise<void> {
  if (window.clinicDesk) {
    await window.clinicDesk.savePdf(pdf);
    return;
  }
  const bytes = Uint8Array.from(atob(pdf.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = pdf.fileName;
  link.click();
  // The download has its own copy once started; the next task is soon enough to let go.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
