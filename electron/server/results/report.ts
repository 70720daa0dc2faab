import type { Patient } from '../../../shared/patients';
import { FLAG_MARKS, TEST_STATUS_LABELS, type LabTest } from '../../../shared/results';
import type { PdfContent, PdfDocument } from '../print/document';
import { letterheadBlock, type Letterhead } from '../print/letterhead';

/** How the clinic reads its own clock: every time on the report is the clinic's. */
export interface ClinicClock {
  timezone: string;
  language: string;
}

const FLAG_WORDS: Record<string, string> = {
  low: 'Low',
  high: 'High',
  critical_low: 'Critically low',
  critical_high: 'Critically high',
  critical: 'Critical',
  abnormal: 'Abnormal',
};

const labelled = (label: string, value: string): PdfContent => ({ stack: [{ text: label, style: 'label' }, { text: value || '—' }] });

/**
 * A test's results as the clinic prints them: patient, test, each analyte with its flag and the
 * range it was read against (and whose), findings, who entered and who verified. Unverified
 * results say so at the top.
 */
export function resultReport(test: LabTest, patient: Patient, letterhead: Letterhead, clock: ClinicClock): PdfDocument {
  const when = (iso: string | null) =>
    iso
      ? new Intl.DateTimeFormat(clock.language, { dateStyle: 'medium', timeStyle: 'short', timeZone: clock.timezone }).format(new Date(iso))
      : '';
  const born = new Intl.DateTimeFormat(clock.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${patient.date_of_birth}T00:00:00Z`),
  );
  const report = test.report;
  const entries = report?.result_values ?? [];
  const rows: PdfContent[][] = entries.map((entry) => {
    const out = entry.flag !== null && entry.flag !== 'normal';
    return [
      entry.parameter,
      { text: `${entry.value}${entry.unit ? ` ${entry.unit}` : ''}`, bold: out },
      {
        text: out && entry.flag ? `${FLAG_MARKS[entry.flag]} ${FLAG_WORDS[entry.flag]}` : '',
        bold: true,
        color: out ? '#a11b16' : '#333333',
      },
      entry.reference_range ? `${entry.reference_range}${entry.unit ? ` ${entry.unit}` : ''}` : '—',
      { text: entry.range_basis ?? '', style: 'small' },
    ];
  });
  const verified = report?.verified_at
    ? `Verified by ${report.verified_by_name ?? 'unknown'}, ${when(report.verified_at)}`
    : 'NOT YET VERIFIED: preliminary results, to be checked by a second person.';
  return {
    info: { title: `${test.test_name} · ${test.patient_name}`, author: letterhead.name, subject: test.test_number },
    content: [
      letterheadBlock(letterhead),
      { text: `Laboratory report: ${test.test_name}`, style: 'title' },
      ...(report?.verified_at
        ? []
        : [{ text: verified, bold: true, color: '#a11b16', margin: [0, 0, 0, 8] as [number, number, number, number] }]),
      {
        columns: [
          {
            stack: [
              labelled('Patient', `${test.patient_name} (${test.patient_number})`),
              labelled('Date of birth · sex', `${born} · ${patient.gender}`),
              labelled('Clinical details', test.clinical_notes ?? ''),
            ],
          },
          {
            stack: [
              labelled(
                'Test',
                `${test.test_number} · ${TEST_STATUS_LABELS[test.status]}${test.priority === 'routine' ? '' : ` · ${test.priority}`}`,
              ),
              labelled('Ordered by', `${test.doctor_name ?? ''}, ${when(test.ordered_at)}`),
              labelled('Sample collected', when(test.collected_at)),
            ],
          },
        ],
        columnGap: 24,
        margin: [0, 0, 0, 12],
      },
      ...(rows.length > 0
        ? [
            {
              table: {
                headerRows: 1,
                widths: ['*', 'auto', 'auto', 'auto', 'auto'] as ('*' | 'auto')[],
                dontBreakRows: true,
                body: [
                  ['Analyte', 'Result', 'Flag', 'Reference range', 'Range for'].map((text) => ({ text, style: 'tableHeader' })),
                  ...rows,
                ],
              },
              layout: 'lightHorizontalLines' as const,
              margin: [0, 0, 0, 12] as [number, number, number, number],
            },
          ]
        : []),
      ...(report?.findings ? [labelled('Findings', report.findings)] : []),
      ...(report?.interpretation ? [labelled('Interpretation', report.interpretation)] : []),
      {
        stack: [
          { text: `Entered by ${report?.reported_by_name ?? 'unknown'}, ${when(report?.reported_at ?? null)}` },
          { text: verified, bold: !report?.verified_at },
        ],
        margin: [0, 12, 0, 0],
        unbreakable: true,
      },
    ],
    footer: (page, pages) => ({
      columns: [
        {
          text: 'Flags read against ClinicDesk’s reference ranges for the patient’s sex and age; the performing laboratory’s own ranges prevail.',
          style: 'small',
        },
        { text: `Page ${page} of ${pages}`, style: 'small', alignment: 'right', width: 'auto' },
      ],
      margin: [48, 16, 48, 0],
    }),
  };
}
