import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { collectInputs, type InputFile } from './collect-inputs';

export type SettledFile = InputFile & { size: number };

export interface WatchOptions {
  dir: string;
  sensor?: string;
  /** A file is taken once its size and mtime have not changed for this long. */
  settleMs: number;
  pollMs?: number;
  /** Stop after this long (for tests and one-shot runs); otherwise until SIGINT/SIGTERM. */
  exitAfterMs?: number;
  /**
   * The captures found settled in one look at the spool, in directory order, with their
   * sizes: one file when the sensor closes them as they come, all of a backlog at once
   * (files closed while nothing watched, or while the previous ones were ingested).
   * `stopping()` turns true on SIGINT/SIGTERM: a handler that takes long checks it
   * between its steps and leaves the rest for the next watch. It returns the paths to
   * hand over again later (not stored for a reason that may pass: the database was
   * down), each after a wait that doubles with its failures (RETRY_FIRST_MS up to
   * RETRY_MAX_MS).
   */
  onFiles: (inputs: SettledFile[], stopping: () => boolean) => Promise<readonly string[]>;
}

export const RETRY_FIRST_MS = 5_000;
export const RETRY_MAX_MS = 300_000;

/**
 * Polls a sensor's spool directory and hands over each capture (collectInputs: by name
 * or first bytes) once the sensor has closed it: names ending .tmp/.part and dotfiles
 * are ignored (the rename-into-place convention), and a capture must stay unchanged for
 * `settleMs`. Polling rather than inotify works the same on network filesystems. A file
 * the handler hands back is offered again after a wait; a file that grows is offered
 * again once settled; a file removed from the spool is forgotten.
 */
export async function watchSpool(opts: WatchOptions): Promise<void> {
  // Missing at the start: a mistyped path. One that vanishes later (a remount) is waited for.
  if (!(await stat(opts.dir).catch(() => null))?.isDirectory()) {
    throw new Error(`--watch ${opts.dir}: no such directory`);
  }
  const pollMs = opts.pollMs ?? Math.max(200, Math.min(1000, opts.settleMs / 2));
  const seen = new Map<string, { size: number; mtimeMs: number; since: number }>();
  /** Path -> the size and mtime it was handed over at (a file that grows is taken again). */
  const done = new Map<string, string>();
  /** Path -> when it may be taken again, and the wait after its next failure. */
  const retry = new Map<string, { at: number; nextWaitMs: number }>();
  let stopping = false;
  const stop = (): void => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const deadline =
    opts.exitAfterMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + opts.exitAfterMs;
  try {
    while (!stopping && Date.now() < deadline) {
      const inputs = await collectInputs([opts.dir], opts.sensor).catch(() => null);
      if (inputs === null) {
        // The spool could not be listed this time (a remount, say): look again later.
        await sleep(pollMs);
        continue;
      }
      // Files gone from the spool (ingested, then removed by the sensor's rotation) are
      // forgotten: a watch of months would otherwise keep every name it ever saw.
      const present = new Set(inputs.map((input) => input.path));
      for (const map of [seen, done, retry]) {
        for (const p of map.keys()) if (!present.has(p)) map.delete(p);
      }
      const now = Date.now();
      const settled: SettledFile[] = [];
      for (const input of inputs) {
        const s = await stat(input.path).catch(() => null);
        // Empty: created, nothing flushed into it yet (tcpdump's buffer fills first).
        if (!s || s.size === 0) continue;
        const state = `${s.size}\0${s.mtimeMs}`;
        if (done.get(input.path) === state) continue;
        const prev = seen.get(input.path);
        if (!prev || prev.size !== s.size || prev.mtimeMs !== s.mtimeMs) {
          seen.set(input.path, { size: s.size, mtimeMs: s.mtimeMs, since: now });
          continue;
        }
        if (now - prev.since < opts.settleMs) continue;
        if ((retry.get(input.path)?.at ?? 0) > now) continue;
        done.set(input.path, state);
        settled.push({ ...input, size: s.size });
      }
      if (settled.length > 0) {
        const again = new Set(await opts.onFiles(settled, () => stopping));
        for (const { path } of settled) {
          if (!again.has(path)) {
            retry.delete(path);
            continue;
          }
          done.delete(path);
          const wait = retry.get(path)?.nextWaitMs ?? RETRY_FIRST_MS;
          retry.set(path, { at: Date.now() + wait, nextWaitMs: Math.min(wait * 2, RETRY_MAX_MS) });
        }
      } else await sleep(pollMs);
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
