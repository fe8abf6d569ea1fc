/**
 * `next build` and `next start` on a free loopback port, as the browser tests and the
 * dashboard benchmark (bench/dashboard-bench.ts) run the app.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const NEXT_BIN = path.join(PROJECT_ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function waitFor(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms`);
}

function nextEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
}

/** `next build` in the project root (output inherited); throws when it fails. */
export function buildNext(): void {
  const build = spawnSync(process.execPath, [NEXT_BIN, 'build'], {
    cwd: PROJECT_ROOT,
    env: nextEnv(),
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('next build failed');
}

export interface NextServer {
  baseUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `next start` on a free 127.0.0.1 port against `databaseUrl`, once /api/v1/meta answers. */
export async function startNext(
  databaseUrl: string,
  opts: { stdio?: 'inherit' | 'ignore'; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<NextServer> {
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: PROJECT_ROOT,
      env: { ...nextEnv(), ...opts.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', opts.stdio ?? 'inherit', 'inherit'],
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(`${baseUrl}/api/v1/meta`, server, opts.timeoutMs ?? 60_000);
  return {
    baseUrl,
    process: server,
    async stop() {
      server.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      if (server.exitCode === null) server.kill('SIGKILL');
    },
  };
}
