/** The `scanline` CLI as a child process, as a user runs it (tsx, from the project root). */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ChildRun, childRun } from './child-run';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Starts `scanline ...args` with stdout and stderr piped; `env` adds to this process's. */
export function startScanline(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'ingest/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits for a started command; rejects (killing it) after `timeoutMs`. */
export function finished(
  child: ChildProcess,
  timeoutMs = 90_000,
  what = 'scanline',
): Promise<ChildRun> {
  return childRun(child, { timeoutMs, rejectOnTimeout: true, what });
}

/** `scanline ingest --no-detect --json ...args`, run to its end. */
export function ingestJson(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 90_000,
): Promise<ChildRun> {
  return finished(
    startScanline(['ingest', '--no-detect', '--json', ...args], env),
    timeoutMs,
    'ingest',
  );
}
