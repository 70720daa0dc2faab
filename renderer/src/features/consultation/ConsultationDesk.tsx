import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Note } from '../../../../shared/clinical';
import { formErrorsOf } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { useSignedIn } from '../../ui/useSignedIn';
import { DocumentsPanel } from '../documents/DocumentsPanel';
import { PrescriptionsPanel } from '../prescribing/PrescriptionsPanel';
import { PatientResults } from '../results/PatientResults';
import { ChartTimeline } from '../timeline/ChartTimeline';
import { VitalsCharts } from '../vitals/VitalsCharts';
import { ChartHeader } from './ChartHeader';
import { MyDayList } from './MyDayList';
import { NoteEditor } from './NoteEditor';

/** The consulting room: the doctor's day on the left, the open patient's chart and note on the right. */
export function ConsultationDesk() {
  const trpc = useTRPC();
  const refreshDay = useRefresh(trpc.clinical.myDay);
  const [open, setOpen] = useState<Note | null>(null);
  const start = useMutation(
    trpc.clinical.start.mutationOptions({
      onSuccess: async (note) => {
        setOpen(note);
        await refreshDay();
      },
    }),
  );
  return (
    <div className="consultation">
      <MyDayList
        openVisitId={open?.appointment_id ?? null}
        starting={start.isPending}
        onStart={(visit) => start.mutate({ appointmentId: visit.appointment_id })}
      />
      <div className="consultation-main">
        {start.isError && (
          <p className="form-problem" role="alert">
            {formErrorsOf(start.error).general}
          </p>
        )}
        {open ? (
          <OpenVisit key={open.id} note={open} />
        ) : (
          <p className="empty-note muted">Start the next patient who has arrived: their chart and note open here.</p>
        )}
      </div>
    </div>
  );
}

function OpenVisit({ note }: { note: Note }) {
  const trpc = useTRPC();
  const { clinic } = useSignedIn();
  // One fetch per opening: each is a logged read of the chart, so no refetch on focus or re-render.
  const chart = useQuery(
    trpc.clinical.chart.queryOptions({ patientId: note.patient_id }, { staleTime: Infinity, gcTime: 0, refetchOnWindowFocus: false }),
  );
  return (
    <>
      {chart.isError && <p className="form-problem">{formErrorsOf(chart.error).general}</p>}
      {chart.data && <ChartHeader chart={chart.data} timezone={clinic.timezone} language={clinic.language} />}
      <NoteEditor initial={note} />
      <PrescriptionsPanel patientId={note.patient_id} />
      {chart.data && <PatientResults patient={chart.data.patient} appointmentId={note.appointment_id ?? undefined} />}
      {chart.data && <VitalsCharts notes={chart.data.notes} language={clinic.language} />}
      <DocumentsPanel patientId={note.patient_id} />
      <ChartTimeline patientId={note.patient_id} />
    </>
  );
}
