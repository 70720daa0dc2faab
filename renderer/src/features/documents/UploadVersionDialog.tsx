import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { uploadVersionInput } from '../../../../shared/documents';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { fileProblem, readAsBase64 } from './chosenFile';
import { FileDropZone } from './FileDropZone';

/**
 * Files a new version of a document (a corrected letter, a better scan): the document keeps its
 * title, kind and confidentiality, and the chart shows the newest; earlier versions stay.
 */
export function UploadVersionDialog(props: { documentId: string; title: string; version: number; onClose(): void }) {
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.documents.forPatient, trpc.documents.versions, trpc.clinical.timeline);
  const upload = useMutation(trpc.documents.uploadVersion.mutationOptions({ onSuccess: refresh }));
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const server = upload.isError ? formErrorsOf(upload.error) : NO_ERRORS;

  const take = (chosen: File | undefined) => {
    if (!chosen) return;
    upload.reset();
    const refused = fileProblem(chosen);
    setProblem(refused ?? undefined);
    setFile(refused ? null : chosen);
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (upload.isPending) return;
    if (!file) {
      setProblem('Choose a file.');
      return;
    }
    const checked = checkForm(uploadVersionInput, { documentId: props.documentId, fileName: file.name, content: await readAsBase64(file) });
    setProblem(checked.fields.content ?? checked.fields.fileName);
    if (checked.ok) upload.mutate(checked.value, { onSuccess: props.onClose });
  }

  return (
    <Dialog title={`New version of ${props.title}`} onClose={props.onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <p className="dialog-text">
          It becomes version {props.version + 1} and is shown from now on; the earlier versions stay in the chart.
        </p>
        <FileDropZone file={file} error={problem ?? server.fields.content} onChoose={take} />
        <DialogFooter
          problem={server.general}
          busy={upload.isPending}
          label="Upload the new version"
          busyLabel="Uploading…"
          onCancel={props.onClose}
        />
      </form>
    </Dialog>
  );
}
