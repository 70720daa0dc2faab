/**
 * Browser mode: `npm run browser -- [--port N] [--data-dir DIR] [--demo]`.
 * Serves the built renderer and the router on 127.0.0.1 and prints one line with the
 * address to open. CLINICDESK_DATABASE_URL switches to a remote tenant PostgreSQL.
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { openBackend, type DatabaseConfig } from './backend';
import { startBrowserServer } from './http';
import { defaultDataDir } from './paths';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    demo: { type: 'boolean', default: false },
    'renderer-dir': { type: 'string', default: resolve(import.meta.dirname, '../../out/renderer') },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535 (0 picks a free port), not "${values.port}".`);
  process.exit(2);
}

const remoteUrl = process.env.CLINICDESK_DATABASE_URL;
const database: DatabaseConfig = remoteUrl
  ? { kind: 'postgres', connectionString: remoteUrl }
  : { kind: 'pglite', dataDir: resolve(values['data-dir'] ?? defaultDataDir()), worker: true };
const idleLockSeconds = Number(process.env.CLINICDESK_IDLE_LOCK_SECONDS ?? 0);

try {
  const { backend, close } = await openBackend({
    database,
    demo: values.demo,
    clinicCode: process.env.CLINICDESK_CLINIC_CODE,
    idleLockMinutes: idleLockSeconds > 0 ? idleLockSeconds / 60 : undefined,
  });
  const server = await startBrowserServer({ backend, rendererDir: values['renderer-dir'], port });
  console.log(`ClinicDesk ready at ${server.url}`);
  // Each link opens one browser, once: Enter here prints another.
  console.log('Each link opens one browser, once, within 10 minutes. Press Enter here for a new one.');
  createInterface({ input: process.stdin }).on('line', () => console.log(`ClinicDesk link: ${server.newLink()}`));

  let stopping = false;
  const stop = async () => {
    if (stopping) {
      console.error('Stopping at once: a second signal.');
      process.exit(1);
    }
    stopping = true;
    // A query that never finishes must not keep the process alive for ever.
    setTimeout(() => {
      console.error('ClinicDesk did not close its database within 15 s; stopping anyway.');
      process.exit(1);
    }, 15_000).unref();
    await server.close();
    await close(); // checkpoints and closes the offline database cleanly
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(`ClinicDesk could not start: ${(error as Error).message}`);
  process.exit(1);
}
