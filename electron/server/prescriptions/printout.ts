import { formatDate } from '../../../shared/dates';
import { plainQuantity } from '../../../shared/prescriptions';
import type { PdfContent, PdfDocument } from '../print/document';
import { letterheadBlock, type Letterhead } from '../print/letterhead';
import type { PrintedItem } from './queries';

/** "Once daily" inside a sentence reads "once daily"; "BD" or "PRN" stay as written. */
const midSentence = (text: string) => (/^\p{Lu}\p{Ll}/u.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);

/** One item: what, how to take it, how much, since when, and what to tell the patient. */
function itemBlock(item: PrintedItem, n: number, today: string, language: string): PdfContent {
  const medicine = [item.medication_name, item.strength, item.dosage_form].filter(Boolean).join(' ');
  const directions = [item.dosage, item.route, midSentence(item.frequency), item.duration_days && `for ${item.duration_days} days`]
    .filter(Boolean)
    .join(', ');
  const supply = [
    item.quantity && `Quantity: ${plainQuantity(item.quantity)}`,
    `Repeats: ${item.refills_allowed === 0 ? 'none' : item.refills_allowed}`,
    item.start_date !== today && `Started ${formatDate(item.start_date, language)}`,
  ].filter(Boolean);
  return {
    unbreakable: true,
    margin: [0, 0, 0, 10],
    columns: [
      { width: 18, text: `${n}.`, bold: true },
      {
        width: '*',
        stack: [
          { text: medicine, bold: true, fontSize: 11 },
          { text: `${directions}.` },
          { text: supply.join('   ·   '), style: 'small' },
          ...(item.instructions ? [{ text: item.instructions, italics: true }] : []),
        ],
      },
    ],
  };
}

const labelled = (label: string, value: string): PdfContent => ({
  stack: [
    { text: label, style: 'label' },
    { text: value, bold: true },
  ],
});

/** The printed prescription: letterhead, prescriber, patient, the date it is issued (`today`), items, signature line. */
export function prescriptionDocument(letterhead: Letterhead, today: string, items: [PrintedItem, ...PrintedItem[]]): PdfDocument {
  const [first] = items;
  const date = formatDate(today, letterhead.language);
  const prescriber = first.doctor_name ?? 'Unknown prescriber';
  const registration = first.prescriber_registration ?? 'not recorded';
  return {
    info: { title: `Prescription ${first.patient_number} ${today}`, author: letterhead.name },
    content: [
      letterheadBlock(letterhead),
      { text: 'Prescription', style: 'title' },
      {
        columns: [
          labelled('Patient', first.patient_name),
          labelled('Patient number', first.patient_number),
          labelled('Date of birth', formatDate(first.patient_date_of_birth, letterhead.language)),
          labelled('Date', date),
        ],
        columnGap: 12,
        margin: [0, 0, 0, 8],
      },
      {
        columns: [
          labelled('Prescriber', [prescriber, first.prescriber_qualification].filter(Boolean).join(', ')),
          labelled('Registration number', registration),
        ],
        columnGap: 12,
        margin: [0, 0, 0, 12],
      },
      { canvas: [{ type: 'line', x1: 0, y1: 0, x2: 499, y2: 0, lineWidth: 0.5, lineColor: '#bbbbbb' }], margin: [0, 0, 0, 10] },
      items.map((item, i) => itemBlock(item, i + 1, today, letterhead.language)),
      {
        unbreakable: true,
        margin: [0, 36, 0, 0],
        columns: [
          {
            width: 260,
            stack: [
              { canvas: [{ type: 'line', x1: 0, y1: 0, x2: 240, y2: 0, lineWidth: 0.75 }] },
              { text: `Signature — ${prescriber}`, style: 'small', margin: [0, 4, 0, 0] },
              { text: `Registration number ${registration}`, style: 'small' },
            ],
          },
          {
            width: '*',
            stack: [
              { canvas: [{ type: 'line', x1: 0, y1: 0, x2: 140, y2: 0, lineWidth: 0.75 }] },
              { text: 'Date', style: 'small', margin: [0, 4, 0, 0] },
            ],
          },
        ],
      },
    ],
    footer: (page, pages) => ({
      text: `${first.patient_name} · ${first.patient_number} · page ${page} of ${pages}`,
      style: 'small',
      alignment: 'center',
    }),
  };
}
