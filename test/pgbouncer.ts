import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from './postgres-server';

/** Debian's pgbouncer, or PGBOUNCER_BIN. */
export function findPgbouncer(): string | undefined {
  return [process.env.PGBOUNCER_BIN, '/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((file) => file && fs.existsSync(file));
}

export interface Pgbouncer {
  port: number;
  stop(): Promise<void>;
}

async function listening(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited:\n${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`pgbouncer did not listen on ${port}:\n${log()}`);
}

/**
 * A real pgbouncer in transaction mode in front of one database, authenticating clients with
 * SCRAM through `auth_query` (the operator's lookup function), as a clinic server would run it.
 */
export async function startPgbouncer(options: {
  binary: string;
  database: string;
  serverPort: number;
  authUser: string;
  authPassword: string;
  authQuery: string;
}): Promise<Pgbouncer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-pgbouncer-'));
  const port = await findFreePort();
  const logFile = path.join(dir, 'pgbouncer.log');
  fs.writeFileSync(path.join(dir, 'userlist.txt'), `"${options.authUser}" "${options.authPassword}"\n`);
  fs.writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `${options.database} = host=127.0.0.1 port=${options.serverPort} dbname=${options.database}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      `logfile = ${logFile}`,
      `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
      'auth_type = scram-sha-256',
      `auth_file = ${path.join(dir, 'userlist.txt')}`,
      `auth_user = ${options.authUser}`,
      `auth_query = ${options.authQuery}`,
      'pool_mode = transaction',
      'max_client_conn = 200',
      'default_pool_size = 8',
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'),
  );
  // pgbouncer will not run as root: hand it to the postgres user, as the server is.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const ini = path.join(dir, 'pgbouncer.ini');
  const child = asRoot
    ? spawn('runuser', ['-u', 'postgres', '--', options.binary, ini], { stdio: 'ignore' })
    : spawn(options.binary, [ini], { stdio: 'ignore' });
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  try {
    await listening(port, child, log);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    port,
    async stop() {
      // SIGTERM is pgbouncer's immediate shutdown; sent to pgbouncer itself, not to runuser.
      const pid = Number(fs.readFileSync(path.join(dir, 'pgbouncer.pid'), 'utf8'));
      const exited = new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
