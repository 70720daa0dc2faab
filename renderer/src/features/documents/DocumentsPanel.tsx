import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DOCUMENT_TYPES, type ChartDocument, type DocumentFile } from '../../../../shared/documents';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { Dialog } from '../../ui/Dialog';
import { savePdf } from '../../ui/savePdf';
import { useCan } from '../../ui/useSignedIn';
import { fileSizeLabel } from './chosenFile';
import { UploadDocumentDialog } from './UploadDocumentDialog';

/** The patient's documents: letters, scans and images, opened (each opening logged) or added. */
export function DocumentsPanel({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const can = useCan();
  const documents = useQuery(trpc.documents.forPatient.queryOptions({ patientId }));
  const [adding, setAdding] = useState(false);
  const [viewing, setViewing] = useState<{ doc: ChartDocument; file: DocumentFile } | null>(null);
  const open = useMutation(trpc.documents.open.mutationOptions());

  const show = (doc: ChartDocument) =>
    open.mutate(
      { documentId: doc.id },
      {
        // A PDF goes to the system's viewer (desktop) or the downloads (browser); an image shows here.
        onSuccess: (file) =>
          file.mime_type === 'application/pdf'
            ? void savePdf({ fileName: file.file_name, base64: file.content })
            : setViewing({ doc, file }),
      },
    );

  return (
    <section className="panel documents" aria-labelledby="documents-title">
      <h2 id="documents-title">Documents</h2>
      {(documents.isError || open.isError) && <p className="form-problem">{formErrorsOf(documents.error ?? open.error).general}</p>}
      {documents.data?.length === 0 && <p className="muted">No documents yet.</p>}
      {documents.data && documents.data.length > 0 && (
        <table className="document-list">
          <thead>
            <tr>
              <th>Date</th>
              <th>Title</th>
              <th>Kind</th>
              <th>Added</th>
              <th>
                <span className="visually-hidden">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {documents.data.map((doc) => (
              <tr key={doc.id}>
                <td>{doc.document_date}</td>
                <td>
                  {doc.title}
                  {doc.is_confidential && <span className="tag-confidential">Confidential</span>}
                  <span className="muted"> · {fileSizeLabel(doc.file_size)}</span>
                </td>
                <td>{DOCUMENT_TYPES[doc.document_type]}</td>
                <td className="muted">
                  {doc.added_local} · {doc.added_by_name}
                </td>
                <td>
                  <button type="button" className="button-quiet" aria-disabled={open.isPending} onClick={() => show(doc)}>
                    Open <span className="visually-hidden">{doc.title}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can('documents.write') && (
        <div className="panel-actions">
          <button type="button" className="button-secondary" onClick={() => setAdding(true)}>
            Add a document…
          </button>
        </div>
      )}
      {adding && <UploadDocumentDialog patientId={patientId} onClose={() => setAdding(false)} />}
      {viewing && (
        <Dialog title={viewing.doc.title} onClose={() => setViewing(null)} wide>
          <img className="document-image" src={`data:${viewing.file.mime_type};base64,${viewing.file.content}`} alt={viewing.doc.title} />
          <p>
            <a href={`data:${viewing.file.mime_type};base64,${viewing.file.content}`} download={viewing.file.file_name}>
              Save a copy
            </a>
          </p>
        </Dialog>
      )}
    </section>
  );
}
