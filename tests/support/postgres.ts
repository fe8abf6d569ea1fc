/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temp folder, listen on
 * 127.0.0.1 on a free port with trust auth, stop and delete on teardown.
 *
 * Server binaries are looked up in SCANLINE_PG_BIN, then on PATH (`pg_ctl`), then in
 * the Debian/Ubuntu layout /usr/lib/postgresql/<version>/bin (highest version).
 * PostgreSQL refuses to run as root, so when this process is root the cluster is
 * owned by, and run as, the `postgres` system user (runuser).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface PgCluster {
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server and deletes the cluster. */
  stop(): void;
  /** Stops the server, keeping the cluster (an outage, for fault tests). */
  halt(): void;
  /** Starts a halted server again, on the same port. */
  resume(): void;
}

export class PostgresUnavailableError extends Error {}

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const out = r.stdout.trim();
  return r.status === 0 && out ? out : null;
}

/** The folder holding initdb/pg_ctl/postgres, or null. */
export function findPgBin(): string | null {
  const fromEnv = process.env.SCANLINE_PG_BIN;
  if (fromEnv) return existsSync(path.join(fromEnv, 'pg_ctl')) ? fromEnv : null;
  const onPath = which('pg_ctl');
  if (onPath && existsSync(path.join(path.dirname(onPath), 'initdb'))) return path.dirname(onPath);
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => /^\d+$/.test(v) && existsSync(path.join(debianRoot, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(debianRoot, versions[0], 'bin');
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => {
        if (addr && typeof addr === 'object') resolve(addr.port);
        else reject(new Error('no port'));
      });
    });
  });
}

function systemUser(name: string): { uid: number; gid: number } | null {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    if (!line) return null;
    const f = line.split(':');
    return { uid: Number(f[2]), gid: Number(f[3]) };
  } catch {
    return null;
  }
}

export async function startPostgres(): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) {
    throw new PostgresUnavailableError(
      'PostgreSQL server binaries (initdb, pg_ctl) not found: the database tests need a real ' +
        'PostgreSQL server. Install one (Debian: apt-get install postgresql), or set ' +
        'SCANLINE_PG_BIN to its bin folder, or set SCANLINE_TEST_PG_URL to a superuser URL of a ' +
        'running server.',
    );
  }
  const isRoot = process.getuid?.() === 0;
  const pgUser = isRoot ? systemUser('postgres') : null;
  if (isRoot && !pgUser) {
    throw new PostgresUnavailableError(
      'Running as root, but there is no `postgres` system user to run the test cluster as ' +
        '(PostgreSQL refuses to run as root). Create one, or set SCANLINE_TEST_PG_URL.',
    );
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'scanline-pg-'));
  if (pgUser) chownSync(dataDir, pgUser.uid, pgUser.gid);
  const run = (file: string, args: string[]) => {
    const cmd = path.join(bin, file);
    const [exe, argv] = pgUser ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    return execFileSync(exe, argv, { stdio: 'pipe', encoding: 'utf8' });
  };
  try {
    run('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    const port = await freePort();
    const opts = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dataDir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=100',
      '-c shared_buffers=256MB',
    ].join(' ');
    const start = () =>
      run('pg_ctl', [
        '-D',
        dataDir,
        '-o',
        opts,
        '-l',
        path.join(dataDir, 'server.log'),
        '-w',
        'start',
      ]);
    start();
    return {
      url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      port,
      dataDir,
      halt() {
        run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      },
      resume: start,
      stop() {
        try {
          run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    const err = e as Error & { stderr?: string };
    const log = path.join(dataDir, 'server.log');
    const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(
      `Could not start a test PostgreSQL cluster: ${err.message}\n${err.stderr ?? ''}\n${tail}`,
    );
  }
}
