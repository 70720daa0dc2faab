// `npm run schema`: writes schema.sql, the migrated schema as the catalog describes it.
import fs from 'node:fs';
import path from 'node:path';
import { findMigrationsDir, migrate } from '../../electron/server/db/migrate';
import { openPglite } from '../../electron/server/db/pglite';
import { describeSchema } from './describe-schema';

const db = await openPglite({});
try {
  await migrate(db, { dir: findMigrationsDir() });
  const file = path.join(findMigrationsDir(), '..', 'schema.sql');
  fs.writeFileSync(file, await describeSchema(db));
  console.log(`Wrote ${file}`);
} finally {
  await db.close();
}
