import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { DOCUMENT_TYPES, uploadDocumentInput, type DocumentType } from '../../../../shared/documents';
import { todayIn } from '../../../../shared/dates';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { Field, SelectField } from '../../ui/Field';
import { useSignedIn } from '../../ui/useSignedIn';
import { fileProblem, readAsBase64, titleFromFileName } from './chosenFile';
import { FileDropZone } from './FileDropZone';

/** Attaches a PDF or an image to the patient's chart: chosen with the picker or dropped on the box. */
export function UploadDocumentDialog(props: { patientId: string; onClose(): void }) {
  const trpc = useTRPC();
  const { clinic } = useSignedIn();
  const refresh = useRefresh(trpc.documents.forPatient, trpc.clinical.timeline);
  const upload = useMutation(trpc.documents.upload.mutationOptions({ onSuccess: refresh }));
  const [file, setFile] = useState<File | null>(null);
  const [documentType, setDocumentType] = useState<DocumentType>('referral');
  const [title, setTitle] = useState('');
  const [documentDate, setDocumentDate] = useState(() => todayIn(clinic.timezone));
  const [isConfidential, setConfidential] = useState(false);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const server = upload.isError ? formErrorsOf(upload.error) : NO_ERRORS;
  const errors = { ...server.fields, ...problems };

  const take = (chosen: File | undefined) => {
    if (!chosen) return;
    upload.reset();
    const problem = fileProblem(chosen);
    setProblems(problem ? { content: problem } : {});
    setFile(problem ? null : chosen);
    if (!problem && !title) setTitle(titleFromFileName(chosen.name));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (upload.isPending) return;
    if (!file) {
      setProblems({ content: 'Choose a file.' });
      return;
    }
    const content = await readAsBase64(file);
    const checked = checkForm(uploadDocumentInput, {
      patientId: props.patientId,
      documentType,
      title,
      documentDate,
      isConfidential,
      fileName: file.name,
      content,
    });
    setProblems(checked.fields);
    if (checked.ok) upload.mutate(checked.value, { onSuccess: props.onClose });
  }

  return (
    <Dialog title="Add a document" onClose={props.onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <FileDropZone file={file} error={errors.content} onChoose={take} />
        <SelectField
          label="Kind of document"
          value={documentType}
          onChange={(event) => setDocumentType(event.target.value as DocumentType)}
        >
          {Object.entries(DOCUMENT_TYPES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <Field label="Title" value={title} onChange={(event) => setTitle(event.target.value)} error={errors.title} />
        <Field
          label="Date on the document"
          type="date"
          value={documentDate}
          onChange={(event) => setDocumentDate(event.target.value)}
          error={errors.documentDate}
        />
        <label className="check">
          <input type="checkbox" checked={isConfidential} onChange={(event) => setConfidential(event.target.checked)} /> Confidential (seen
          only by you and those allowed confidential records)
        </label>
        <DialogFooter
          problem={server.general}
          busy={upload.isPending}
          label="Add to the chart"
          busyLabel="Adding…"
          onCancel={props.onClose}
        />
      </form>
    </Dialog>
  );
}
