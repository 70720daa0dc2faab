import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { Dialog } from '../../ui/Dialog';
import { savePdf } from '../../ui/savePdf';
import { fileSizeLabel } from './chosenFile';
import { PdfPages } from './PdfPages';

/**
 * A document shown inside the app: its newest version, or an earlier one chosen from the list of
 * versions (who uploaded each, when). Every opening is logged by the database.
 */
export function DocumentViewer(props: { documentId: string; title: string; onClose(): void }) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.documents.versions.queryOptions({ documentId: props.documentId }));
  // undefined: the newest, whatever its number.
  const [version, setVersion] = useState<number | undefined>(undefined);
  const open = useMutation(trpc.documents.open.mutationOptions());
  const { mutate } = open;
  useEffect(() => mutate({ documentId: props.documentId, version }), [mutate, props.documentId, version]);

  const file = open.isPending ? undefined : open.data;
  const newest = versions.data?.[0]?.version;
  const shown = version ?? newest;
  const problem = open.isError || versions.isError ? formErrorsOf(open.error ?? versions.error).general : null;

  return (
    <Dialog title={props.title} onClose={props.onClose} className="dialog-document">
      <div className="document-viewer">
        <section aria-labelledby="document-versions-title" className="document-versions">
          <h3 id="document-versions-title">Versions</h3>
          <ol>
            {versions.data?.map((v) => (
              <li key={v.version}>
                <button
                  type="button"
                  aria-pressed={v.version === shown}
                  onClick={() => setVersion(v.version === newest ? undefined : v.version)}
                >
                  Version {v.version}
                  {v.version === newest && ' (newest)'}
                </button>
                <span className="muted">
                  {v.uploaded_local} · {v.uploaded_by_name}
                  <br />
                  {v.file_name} · {fileSizeLabel(v.file_size)}
                </span>
              </li>
            ))}
          </ol>
        </section>
        <div className="document-shown" aria-busy={open.isPending}>
          {problem && <p className="form-problem">{problem}</p>}
          {open.isPending && <p className="muted">Opening…</p>}
          {file?.mime_type === 'application/pdf' && <PdfPages base64={file.content} title={`${props.title}, version ${file.version}`} />}
          {file && file.mime_type !== 'application/pdf' && (
            <img className="document-image" src={`data:${file.mime_type};base64,${file.content}`} alt={props.title} />
          )}
          {file && (
            <p className="document-actions">
              {file.mime_type === 'application/pdf' ? (
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() => void savePdf({ fileName: file.file_name, base64: file.content })}
                >
                  {window.clinicDesk ? 'Open in system viewer' : 'Download'}
                </button>
              ) : (
                <a href={`data:${file.mime_type};base64,${file.content}`} download={file.file_name}>
                  Save a copy
                </a>
              )}
            </p>
          )}
        </div>
      </div>
    </Dialog>
  );
}
