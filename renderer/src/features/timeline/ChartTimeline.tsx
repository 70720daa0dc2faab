import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { TimelineEntry } from '../../../../shared/clinical';
import { DOCUMENT_TYPES, type DocumentType } from '../../../../shared/documents';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { DocumentViewer } from '../documents/DocumentViewer';

const KIND_LABELS: Record<TimelineEntry['kind'], string> = {
  note: 'Note',
  prescription: 'Prescription',
  test: 'Test',
  document: 'Document',
};

/** Status words of the rows, as the chart says them; others (a prescription's "active") as stored. */
const STATUS_LABELS: Record<string, string> = {
  draft: 'draft',
  signed: 'signed',
  filed: '',
  ordered: 'ordered',
  sample_collected: 'sample collected',
  in_progress: 'at the laboratory',
  completed: 'results in',
  verified: 'verified',
  cancelled: 'cancelled',
};

/** Everything in the chart by date, newest first: notes, prescriptions, tests and documents. */
export function ChartTimeline({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const timeline = useQuery(trpc.clinical.timeline.queryOptions({ patientId }));
  const [viewing, setViewing] = useState<TimelineEntry | null>(null);
  return (
    <section className="panel timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {timeline.isError && <p className="form-problem">{formErrorsOf(timeline.error).general}</p>}
      {timeline.data?.length === 0 && <p className="muted">Nothing in the chart yet.</p>}
      {timeline.data && timeline.data.length > 0 && (
        <ol>
          {timeline.data.map((entry) => {
            const status = STATUS_LABELS[entry.status] ?? entry.status;
            // A document's detail is its kind, said as the upload form says it.
            const detail = entry.kind === 'document' ? (DOCUMENT_TYPES[entry.detail as DocumentType] ?? entry.detail) : entry.detail;
            return (
              <li key={`${entry.kind}:${entry.id}`} className={`timeline-${entry.kind}`}>
                <span className="muted">
                  {entry.local_date} · {KIND_LABELS[entry.kind]}
                  {status && ` · ${status}`}
                </span>{' '}
                <strong>{entry.title}</strong>
                {detail && <span> — {detail}</span>}
                {entry.is_confidential && <span className="tag-confidential">Confidential</span>}
                <span className="muted"> · {entry.author_name}</span>
                {entry.kind === 'document' && (
                  <button type="button" className="button-quiet" onClick={() => setViewing(entry)}>
                    Open <span className="visually-hidden">{entry.title}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {viewing && <DocumentViewer documentId={viewing.id} title={viewing.title} onClose={() => setViewing(null)} />}
    </section>
  );
}
