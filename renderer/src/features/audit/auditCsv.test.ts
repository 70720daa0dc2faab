import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../../shared/audit';
import { auditCsv } from './auditCsv';

const entry = (overrides: Partial<AuditEntry>): AuditEntry => ({
  id: 'a',
  kind: 'change',
  at: '2026-11-29T10:00:00.000Z',
  user_id: 'u',
  user_name: 'Sam Rivers',
  action: 'UPDATE',
  table_name: 'patients',
  record_id: 'p',
  patient_id: 'p',
  patient_number: 'P-000005',
  patient_name: 'Ada Lovelace',
  reason: null,
  fields: [],
  ...overrides,
});

describe('auditCsv', () => {
  it('writes one line per changed field, and one for a chart opening', () => {
    const csv = auditCsv(
      [
        entry({
          fields: [
            { field: 'phone', old: '020 7946 0001', new: '020 7946 0999' },
            { field: 'email', old: null, new: 'a@b.example' },
          ],
        }),
        entry({ kind: 'chart_read', action: 'READ' }),
      ],
      (iso) => `at ${iso.slice(11, 16)}`,
    );
    expect(csv.split('\r\n')).toEqual([
      'When,Who,What,Record,Record id,Patient,Field,Before,After,Reason',
      'at 10:00,Sam Rivers,Changed,patients,p,P-000005 Ada Lovelace,phone,020 7946 0001,020 7946 0999,',
      'at 10:00,Sam Rivers,Changed,patients,p,P-000005 Ada Lovelace,email,,a@b.example,',
      'at 10:00,Sam Rivers,Chart opened,patients,p,P-000005 Ada Lovelace,,,,',
    ]);
  });

  it('keeps what was typed from running as a spreadsheet formula', () => {
    const csv = auditCsv([entry({ fields: [{ field: 'notes', old: null, new: '=HYPERLINK("http://x")' }] })], (iso) => iso);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});
