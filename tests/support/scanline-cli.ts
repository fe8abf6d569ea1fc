/** The `scanline` CLI as a child process, as a user runs it (tsx, from the project root). */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ChildRun, childRun } from './child-run';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Starts `scanline ...args` with stdout and stderr piped; `env` adds to this process's.
 * With `input`, those bytes are its standard input (a pipe closed after them).
 */
export function startScanline(
  args: string[],
  env: Record<string, string> = {},
  input?: Uint8Array,
): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'ingest/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  child.stdin?.on('error', () => {}); // a child that exits early closes its end
  child.stdin?.end(input);
  return child;
}

/** Waits for a started command; rejects (killing it) after `timeoutMs`. */
export function finished(
  child: ChildProcess,
  timeoutMs = 90_000,
  what = 'scanline',
): Promise<ChildRun> {
  return childRun(child, { timeoutMs, rejectOnTimeout: true, what });
}

/** `scanline ingest --no-detect --json ...args`, run to its end (`input`: its stdin). */
export function ingestJson(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 90_000,
  input?: Uint8Array,
): Promise<ChildRun> {
  return finished(
    startScanline(['ingest', '--no-detect', '--json', ...args], env, input),
    timeoutMs,
    'ingest',
  );
}

/** A `--json` line of `scanline ingest`. */
export interface IngestLine {
  file: string;
  outcome: string;
  packets: number;
  parts?: number;
}

/** ingestJson, with its stdout's JSON lines parsed. */
export async function ingestLines(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<ChildRun & { lines: IngestLine[] }> {
  const run = await ingestJson(args, env, timeoutMs);
  const lines = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('{"file"'))
    .map((l) => JSON.parse(l) as IngestLine);
  return { ...run, lines };
}
