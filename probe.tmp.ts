import { openPglite } from '/work/main/electron/server/db/pglite';
import { migrate, findMigrationsDir } from '/work/main/electron/server/db/migrate';
import { withRequest } from '/work/main/electron/server/db/request';
const db = await openPglite({});
await migrate(db, { dir: findMigrationsDir(), demo: true });
const tenantId = '00000000-0000-4000-8000-000000000001';
for (const q of ['jon smith', 'zoe muller', '900123', 'thompson', 'jonh smiht', 'P-000003', 'p3', '1968-03-14', 'smi', 'siob', "o'brien", 'garcia maria', '07700 900', '%']) {
  const t = performance.now();
  const r = await withRequest(db, { tenantId, userId: null }, (tx) => tx.query<any>(`SELECT patient_number, first_name, last_name, match_kind, score FROM search_patients($1, 5)`, [q]));
  console.log(q.padEnd(14), (performance.now() - t).toFixed(1).padStart(6), 'ms', r.rows.map((x) => `${x.patient_number} ${x.first_name} ${x.last_name} (${x.match_kind} ${x.score.toFixed(2)})`).join('; '));
}
await db.close();
