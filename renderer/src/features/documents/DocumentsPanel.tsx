import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DOCUMENT_TYPES, type ChartDocument } from '../../../../shared/documents';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { useCan } from '../../ui/useSignedIn';
import { fileSizeLabel } from './chosenFile';
import { DocumentViewer } from './DocumentViewer';
import { UploadDocumentDialog } from './UploadDocumentDialog';
import { UploadVersionDialog } from './UploadVersionDialog';

/** The patient's documents: letters, scans and images, read here (each opening logged), added, or replaced by a new version. */
export function DocumentsPanel({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const can = useCan();
  const documents = useQuery(trpc.documents.forPatient.queryOptions({ patientId }));
  const [adding, setAdding] = useState(false);
  const [viewing, setViewing] = useState<ChartDocument | null>(null);
  const [replacing, setReplacing] = useState<ChartDocument | null>(null);

  return (
    <section className="panel documents" aria-labelledby="documents-title">
      <h2 id="documents-title">Documents</h2>
      {documents.isError && <p className="form-problem">{formErrorsOf(documents.error).general}</p>}
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
                  <span className="muted">
                    {doc.version > 1 && ` · version ${doc.version}`} · {fileSizeLabel(doc.file_size)}
                  </span>
                </td>
                <td>{DOCUMENT_TYPES[doc.document_type]}</td>
                <td className="muted">
                  {doc.added_local} · {doc.added_by_name}
                </td>
                <td>
                  <button type="button" className="button-quiet" onClick={() => setViewing(doc)}>
                    Open <span className="visually-hidden">{doc.title}</span>
                  </button>
                  {can('documents.write') && (
                    <button type="button" className="button-quiet" onClick={() => setReplacing(doc)}>
                      New version… <span className="visually-hidden">of {doc.title}</span>
                    </button>
                  )}
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
      {viewing && <DocumentViewer documentId={viewing.id} title={viewing.title} onClose={() => setViewing(null)} />}
      {replacing && (
        <UploadVersionDialog
          documentId={replacing.id}
          title={replacing.title}
          version={replacing.version}
          onClose={() => setReplacing(null)}
        />
      )}
    </section>
  );
}
