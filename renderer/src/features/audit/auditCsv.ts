import Papa from 'papaparse';
import { AUDIT_ACTIONS, type AuditEntry } from '../../../../shared/audit';

/**
 * The trail as a spreadsheet: one line per changed field (a chart opening is one line), times in
 * the clinic's timezone as shown on screen. Cells that a spreadsheet would run as a formula are
 * quoted by papaparse's escapeFormulae.
 */
export function auditCsv(entries: readonly AuditEntry[], when: (iso: string) => string): string {
  const rows = entries.flatMap((entry) => {
    const common = {
      When: when(entry.at),
      Who: entry.user_name ?? '',
      What: AUDIT_ACTIONS[entry.action] ?? entry.action,
      Record: entry.table_name,
      'Record id': entry.record_id ?? '',
      Patient: [entry.patient_number, entry.patient_name].filter(Boolean).join(' '),
      Reason: entry.reason ?? '',
    };
    const fields = entry.fields.length > 0 ? entry.fields : [{ field: '', old: null, new: null }];
    return fields.map((change) => ({ ...common, Field: change.field, Before: change.old ?? '', After: change.new ?? '' }));
  });
  return Papa.unparse(rows, {
    columns: ['When', 'Who', 'What', 'Record', 'Record id', 'Patient', 'Field', 'Before', 'After', 'Reason'],
    escapeFormulae: true,
  });
}
