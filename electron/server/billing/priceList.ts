import type { z } from 'zod';
import type { addServiceInput, PriceListService, ServicePrice, setPriceInput } from '../../../shared/billing';
import { maybeOne } from '../db/rows';
import type { Queryable } from '../db/types';

/**
 * The price list as rows of periods (migrations/015): a new price is a new row from its day and
 * the row before it ends that day, so a visit is always priced as on its own day. Rows are
 * never deleted: the list's history is the table.
 */

const PERIOD = `jsonb_build_object('unit_price', pl.unit_price::text, 'tax_rate', pl.tax_rate::text,
  'valid_from', to_char(pl.valid_from, 'YYYY-MM-DD'), 'valid_until', to_char(pl.valid_until, 'YYYY-MM-DD'))`;

/** Every service of the request's clinic with its price today, the next one and its history. */
export async function listPriceList(tx: Queryable, today: string): Promise<PriceListService[]> {
  const { rows } = await tx.query<PriceListService>(
    `SELECT latest.code, latest.description, latest.category, latest.appointment_type, latest.test_code,
       (SELECT ${PERIOD} FROM price_list pl WHERE pl.code = latest.code
         AND pl.valid_from <= $1::date AND (pl.valid_until IS NULL OR pl.valid_until > $1::date)) AS current,
       (SELECT ${PERIOD} FROM price_list pl WHERE pl.code = latest.code AND pl.valid_from > $1::date
         ORDER BY pl.valid_from LIMIT 1) AS next,
       to_char(latest.valid_until, 'YYYY-MM-DD') AS retired_from,
       (SELECT jsonb_agg(${PERIOD} ORDER BY pl.valid_from) FROM price_list pl WHERE pl.code = latest.code) AS history
     FROM (SELECT DISTINCT ON (code) * FROM price_list ORDER BY code, valid_from DESC) latest
     ORDER BY latest.category, latest.code`,
    [today],
  );
  return rows;
}

/** Whether the clinic's price list has this code, at any time. */
export async function serviceExists(tx: Queryable, code: string): Promise<boolean> {
  return (await maybeOne(tx, `SELECT 1 FROM price_list WHERE code = $1 LIMIT 1`, [code])) !== undefined;
}

export async function insertService(tx: Queryable, service: z.output<typeof addServiceInput>): Promise<void> {
  await tx.query(
    `INSERT INTO price_list (tenant_id, clinic_id, code, description, category, appointment_type, test_code, unit_price, tax_rate, valid_from)
     VALUES (current_tenant_id(), current_app_clinic_id(), $1, $2, $3, $4, $5, $6::numeric, $7::numeric, $8::date)`,
    [
      service.code,
      service.description,
      service.category,
      service.appointmentType ?? null,
      service.testCode ?? null,
      service.unitPrice,
      service.taxRate,
      service.validFrom,
    ],
  );
}

/** A service's periods, locked: two desks changing one service's prices go one after the other. */
async function lockedPeriods(tx: Queryable, code: string): Promise<(ServicePrice & { id: string })[]> {
  const { rows } = await tx.query<ServicePrice & { id: string }>(
    `SELECT id, unit_price::text, tax_rate::text, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_until, 'YYYY-MM-DD') AS valid_until
     FROM price_list WHERE code = $1 ORDER BY valid_from FOR UPDATE`,
    [code],
  );
  return rows;
}

const covers = (period: ServicePrice, day: string) => period.valid_from <= day && (period.valid_until === null || period.valid_until > day);

/**
 * Sets the price from a day on: the period covering that day ends there and the new one runs
 * until it would have (a later price already set still starts on its day). A period starting on
 * that very day takes the new price. A retired service is charged again from that day.
 * Returns false when the service does not exist.
 */
export async function setPrice(tx: Queryable, change: z.output<typeof setPriceInput>): Promise<boolean> {
  const periods = await lockedPeriods(tx, change.code);
  const latest = periods.at(-1);
  if (!latest) return false;
  const covering = periods.find((period) => covers(period, change.validFrom));
  if (covering?.valid_from === change.validFrom) {
    await tx.query(`UPDATE price_list SET unit_price = $2::numeric, tax_rate = $3::numeric WHERE id = $1`, [
      covering.id,
      change.unitPrice,
      change.taxRate,
    ]);
    return true;
  }
  if (covering) await tx.query(`UPDATE price_list SET valid_until = $2::date WHERE id = $1`, [covering.id, change.validFrom]);
  const following = periods.find((period) => period.valid_from > change.validFrom);
  await tx.query(
    `INSERT INTO price_list (tenant_id, clinic_id, code, description, category, appointment_type, test_code, unit_price, tax_rate,
       valid_from, valid_until)
     SELECT tenant_id, clinic_id, code, description, category, appointment_type, test_code, $2::numeric, $3::numeric, $4::date, $5::date
     FROM price_list WHERE id = $1`,
    [latest.id, change.unitPrice, change.taxRate, change.validFrom, covering?.valid_until ?? following?.valid_from ?? null],
  );
  return true;
}

export type Retirement = 'retired' | 'unknown' | 'not charged then' | 'priced later';

/**
 * Ends the service's charging from a day on. Refused while a price starts on or after that day
 * (it would be charged again): prices already set are history, never deleted.
 */
export async function retireService(tx: Queryable, code: string, from: string): Promise<Retirement> {
  const periods = await lockedPeriods(tx, code);
  if (periods.length === 0) return 'unknown';
  if (periods.some((period) => period.valid_from >= from)) return 'priced later';
  const covering = periods.find((period) => covers(period, from));
  if (!covering) return 'not charged then';
  await tx.query(`UPDATE price_list SET valid_until = $2::date WHERE id = $1`, [covering.id, from]);
  return 'retired';
}
