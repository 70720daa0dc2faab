import fs from 'node:fs';
import path from 'node:path';
import { findProjectFolder } from './migrate';
import { fillPhoneKeys } from './phone-keys';
import type { Db } from './types';

/** The demo clinic's tenant slug (and, in remote mode, its clinic code). */
export const DEMO_CLINIC_SLUG = 'demo';

/**
 * Loads the demo clinic (Riverside Family Clinic) into a migrated database: the `NN_name.sql`
 * files of demo/ in name order, one per domain, all in one transaction as the owner, so a
 * failure leaves no half clinic. Does nothing if the demo clinic is already there.
 * The app's "Try the demo" and the tests load it the same way, after every migration.
 */
export async function loadDemoClinic(db: Db, dir = findProjectFolder('demo')): Promise<{ loaded: boolean }> {
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  return db.transaction(async (tx) => {
    const present = await tx.query('SELECT 1 FROM tenants WHERE slug = $1', [DEMO_CLINIC_SLUG]);
    if (present.rows.length > 0) return { loaded: false };
    for (const name of files) {
      try {
        await tx.exec(fs.readFileSync(path.join(dir, name), 'utf8'));
      } catch (error) {
        throw new Error(`demo data ${name} failed: ${(error as Error).message}`, { cause: error });
      }
    }
    await fillPhoneKeys(tx);
    return { loaded: true };
  });
}
