import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A throwaway PostgreSQL server for tests and the benchmark: its own data dir, 127.0.0.1 only. */
export interface PostgresServer {
  /** Superuser `postgres`, database `postgres`. */
  url: string;
  stop(): Promise<void>;
}

const MINIMUM_MAJOR = 15;
const INSTALL_HINT =
  'Install the PostgreSQL server: sudo apt-get install -y postgresql (Debian/Ubuntu), ' +
  'or set PG_BIN to a folder holding initdb and pg_ctl of PostgreSQL 15 or newer.';

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = findServerBinaries();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-pg-'));
  // initdb and postgres refuse to run as root: hand the folder to the postgres OS user.
  const asPostgresUser = process.getuid?.() === 0;
  if (asPostgresUser) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    fs.chownSync(dataDir, uid, gid);
  }
  const run = (program: string, args: string[]) => {
    const [command, commandArgs] = asPostgresUser
      ? ['runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args]]
      : [path.join(bin, program), args];
    const result = spawnSync(command, commandArgs, { encoding: 'utf8' });
    if (result.error) throw result.error;
    return result;
  };
  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true });

  // C collation and UTF-8, as in PGlite, so both engines sort and compare alike.
  const initdb = run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C']);
  if (initdb.status !== 0) {
    removeDataDir();
    throw new Error(`initdb failed:\n${initdb.stderr}`);
  }

  // The superuser the tests set up with is trusted on loopback; everyone else (staff logins)
  // proves their password with SCRAM, as on a real clinic server.
  fs.writeFileSync(
    path.join(dataDir, 'pg_hba.conf'),
    [
      'local all all trust',
      'host all postgres 127.0.0.1/32 trust',
      'host all all 127.0.0.1/32 scram-sha-256',
      'host all all 0.0.0.0/0 scram-sha-256',
      '',
    ].join('\n'),
  );

  const logFile = path.join(dataDir, 'server.log');
  // A free port can be taken by someone else before the server binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    const serverOptions = [
      `-p ${port}`,
      // Also on the machine's own addresses, so a test can reach it as a server "on another machine" would be.
      '-c listen_addresses=*',
      `-c unix_socket_directories=${dataDir}`,
      '-c shared_preload_libraries=pg_stat_statements',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    const start = run('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
    if (start.status === 0) {
      return {
        url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
        async stop() {
          run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
          removeDataDir();
        },
      };
    }
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    if (attempt === 3 || !/could not bind|already in use/i.test(log)) {
      removeDataDir();
      throw new Error(`PostgreSQL did not start:\n${start.stderr}\n${log}`);
    }
  }
}

/** initdb and pg_ctl of PostgreSQL 15+: PG_BIN, else Debian's /usr/lib/postgresql/<major>/bin, else PATH. */
export function findServerBinaries(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const debianRoot = '/usr/lib/postgresql';
  if (fs.existsSync(debianRoot)) {
    const majors = fs
      .readdirSync(debianRoot)
      .map(Number)
      .filter((major) => major >= MINIMUM_MAJOR)
      .sort((a, b) => b - a);
    candidates.push(...majors.map((major) => path.join(debianRoot, String(major), 'bin')));
  }
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));

  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')));
  if (!found) throw new Error(`PostgreSQL server binaries (initdb, pg_ctl) not found. ${INSTALL_HINT}`);
  const version = execFileSync(path.join(found, 'pg_ctl'), ['--version'], { encoding: 'utf8' });
  const major = Number(/(\d+)/.exec(version)?.[1]);
  if (!(major >= MINIMUM_MAJOR)) throw new Error(`${found} holds PostgreSQL ${major}; 15 or newer is needed. ${INSTALL_HINT}`);
  return found;
}

/** A loopback port nobody listens on right now. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
