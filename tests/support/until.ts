import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `done` until it is true; throws, naming `what`, after `timeoutMs`. */
export async function until(
  what: string,
  done: () => boolean | Promise<boolean>,
  { timeoutMs = 60_000, pollMs = 100 }: { timeoutMs?: number; pollMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    await sleep(pollMs);
  }
}
