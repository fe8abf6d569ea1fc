/**
 * Running `scanline inspect --json` on a list of files, and the helpers both real-tool
 * comparisons (inspect-vs-tshark.test.ts, mutations.test.ts) share.
 */
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Counts } from './tshark-counts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface InspectLine extends Counts {
  file: string;
  ok: boolean;
  error: { message: string; record: number; offset: number } | null;
  format: string | null;
  compression: string | null;
  linkTypes: number[];
}

export interface InspectRun {
  code: number | null;
  lines: Map<string, InspectLine>;
  stderr: string;
}

export function runInspect(files: string[]): Promise<InspectRun> {
  return new Promise((res, rej) => {
    execFile(
      join(ROOT, 'node_modules/.bin/tsx'),
      ['ingest/cli/main.ts', 'inspect', '--json', ...files],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        if (err && code === null) return rej(err);
        const lines = new Map<string, InspectLine>();
        for (const l of stdout.split('\n')) {
          if (l.trim() === '') continue;
          const j = JSON.parse(l) as InspectLine;
          lines.set(j.file, j);
        }
        res({ code, lines, stderr });
      },
    );
  });
}

/** Runs fn over the items, `width` at a time. */
export async function pool<T>(
  items: T[],
  width: number,
  fn: (t: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** The fields of a report that inspect and tshark must agree on. */
export const countsOf = (c: Counts): Counts => ({
  packets: c.packets,
  ipPackets: c.ipPackets,
  nonIpPackets: c.nonIpPackets,
  first: c.first,
  last: c.last,
  days: c.days,
});
