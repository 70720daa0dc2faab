import { phoneCountry, phoneKey } from '../../../shared/phones';
import type { Queryable } from './types';

interface MissingKeys {
  id: string;
  phone: string | null;
  alternate_phone: string | null;
  country_code: string | null;
  language: string;
}

/**
 * Fills the E.164 phone keys (see 017_patient_search.sql) that only libphonenumber can compute:
 * patients from before 017, rows loaded as SQL (the demo clinic) and phones changed by hand.
 * As the owner, one clinic at a time (an owner that is not a superuser sees one at a time);
 * usually finds nothing, through a partial index of the rows that miss a key.
 */
export async function fillPhoneKeys(tx: Queryable): Promise<number> {
  const { rows: tenants } = await tx.query<{ id: string }>(`SELECT id FROM tenants`);
  let filled = 0;
  for (const tenant of tenants) {
    await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenant.id]);
    const { rows } = await tx.query<MissingKeys>(
      `SELECT p.id, p.phone, p.alternate_phone, c.country_code, c.language
       FROM patients p JOIN clinics c ON c.tenant_id = p.tenant_id AND c.id = p.clinic_id
       WHERE p.tenant_id = $1
         AND ((p.phone IS NOT NULL AND p.phone_e164 IS NULL) OR (p.alternate_phone IS NOT NULL AND p.alternate_phone_e164 IS NULL))`,
      [tenant.id],
    );
    if (rows.length === 0) continue;
    const keyOf = (phone: string | null, row: MissingKeys) =>
      phone ? phoneKey(phone, phoneCountry(row.country_code, row.language)) : null;
    await tx.query(`SELECT set_config('app.change_reason', 'Phone numbers stored in international form for search', true)`);
    await tx.query(
      `UPDATE patients p SET phone_e164 = k.phone_key, alternate_phone_e164 = k.alternate_key
       FROM unnest($2::uuid[], $3::text[], $4::text[]) AS k (id, phone_key, alternate_key)
       WHERE p.tenant_id = $1 AND p.id = k.id`,
      [tenant.id, rows.map((r) => r.id), rows.map((r) => keyOf(r.phone, r)), rows.map((r) => keyOf(r.alternate_phone, r))],
    );
    filled += rows.length;
  }
  await tx.query(`SELECT set_config('app.current_tenant_id', '', true), set_config('app.change_reason', '', true)`);
  return filled;
}
