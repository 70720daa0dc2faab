// The embedded clinic database, opened one way for both hosts: in-process (tests, CLI, bench)
// imports `openPgliteEngine`, and the app loads this file as a worker_threads Worker so that
// PGlite's synchronous queries never block Electron's main thread.
// Plain JavaScript that imports only PGlite and its sibling date-columns.mjs, so it runs unchanged
// under tsx, vitest and a bundle.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { DATE_TIME_COLUMNS } from './date-columns.mjs';

const keepText = (text) => text;

/** Opens PGlite with every extension the schema uses (reopening without one breaks writes). */
export function openPgliteEngine(dataDir, loadDataDir) {
  return PGlite.create({
    dataDir,
    loadDataDir,
    extensions: { pg_trgm, btree_gist, pgcrypto, unaccent },
    // Same shapes as pg: bigint stays a string (money and counts never lose digits), and dates
    // and timestamps are the strings of date-columns.mjs.
    parsers: { [types.INT8]: keepText, ...Object.fromEntries(DATE_TIME_COLUMNS.map(({ oid, parse }) => [oid, parse])) },
  });
}

/**
 * A tarball's bytes as the Blob PGlite loads: it gunzips only what is typed as gzip (untyped
 * gzip bytes are misread as a plain tar, silently), so the type comes from the gzip magic.
 */
export function tarballBlob(bytes) {
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return new Blob([bytes], { type: gzip ? 'application/x-gzip' : 'application/x-tar' });
}

/** One parameterized statement, answered as { rows, rowCount } like pg. */
export async function runStatement(pglite, sql, params) {
  const result = await pglite.query(sql, params);
  return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
}

// The PostgreSQL error fields callers branch on (code 23505, constraint …), as plain data
// because an Error's own properties do not survive postMessage.
const errorFields = [
  'code',
  'severity',
  'detail',
  'hint',
  'position',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'routine',
];

function describeError(error) {
  const described = { message: error instanceof Error ? error.message : String(error) };
  for (const field of errorFields) {
    if (error?.[field] !== undefined) described[field] = error[field];
  }
  return described;
}

async function serveWorker({ dataDir, loadDataDir }) {
  let pglite;
  try {
    pglite = await openPgliteEngine(dataDir, loadDataDir && tarballBlob(loadDataDir));
  } catch (error) {
    parentPort.postMessage({ opened: false, error: describeError(error) });
    return;
  }
  parentPort.postMessage({ opened: true });

  parentPort.on('message', async ({ id, op, sql, params, compression }) => {
    try {
      if (op === 'query') {
        parentPort.postMessage({ id, ok: true, result: await runStatement(pglite, sql, params) });
      } else if (op === 'exec') {
        await pglite.exec(sql);
        parentPort.postMessage({ id, ok: true });
      } else if (op === 'dump') {
        const tarball = await (await pglite.dumpDataDir(compression)).arrayBuffer();
        parentPort.postMessage({ id, ok: true, result: tarball }, [tarball]);
      } else if (op === 'close') {
        await pglite.close();
        parentPort.postMessage({ id, ok: true });
        parentPort.close();
      } else {
        throw new Error(`unknown PGlite worker operation ${op}`);
      }
    } catch (error) {
      parentPort.postMessage({ id, ok: false, error: describeError(error) });
    }
  });
}

// Only when started by openPgliteInWorker: importing this file from any other thread
// (a test runner's worker, say) must not take over that thread's messages.
if (!isMainThread && workerData?.clinicDeskPglite) {
  serveWorker(workerData.clinicDeskPglite);
}
