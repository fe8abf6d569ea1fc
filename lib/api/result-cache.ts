/**
 * Results of the aggregate endpoints, reused while the data they read has not changed.
 * Aggregates change only when a file is ingested (a new ledger row) or a sensor is
 * added, so a result is kept under the ledger's version and reused until it moves; a
 * time limit bounds what no ledger row announces (retention deleting host rows). A
 * dashboard under load asks the same few period queries again and again: each is
 * computed once per version instead of once per request.
 *
 * Production servers only (`next start`): tests and `next dev` change their databases
 * behind the ledger's back, and see every query run.
 */
import 'server-only';
import { Prisma, rows } from '@/lib/queries/db';

const MAX_ENTRIES = 500;
const MAX_AGE_MS = 60_000;

interface Entry {
  version: string;
  at: number;
  value: Promise<unknown>;
}

const entries = new Map<string, Entry>();

export function resultCacheEnabled(): boolean {
  const flag = process.env.SCANLINE_RESULT_CACHE;
  if (flag === '0') return false;
  return flag === '1' || process.env.NODE_ENV === 'production';
}

/** The data's version: the ledger's size and newest row, and the sensors. */
async function dataVersion(): Promise<string> {
  const [r] = await rows<{ n: unknown; m: unknown; s: unknown }>(Prisma.sql`
    SELECT (SELECT COUNT(*) FROM ingested_file) AS n, (SELECT MAX(id) FROM ingested_file) AS m,
      (SELECT COUNT(*) FROM sensor) AS s`);
  return `${r?.n}|${r?.m}|${r?.s}`;
}

/** A stable key for an endpoint's parameters, whatever their order. */
export function paramsKey(input: URLSearchParams | Record<string, unknown>): string {
  const pairs =
    input instanceof URLSearchParams
      ? [...input.entries()]
      : Object.entries(input)
          .filter(([, v]) => v !== undefined && v !== null)
          .map(([k, v]) => [k, String(v)] as [string, string]);
  return JSON.stringify(pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : 1)));
}

/** `run()`'s result for `key`, computed once per data version (failures are not kept). */
export async function cachedResult<T>(key: string, run: () => Promise<T>): Promise<T> {
  if (!resultCacheEnabled()) return run();
  const version = await dataVersion();
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && hit.version === version && now - hit.at < MAX_AGE_MS) {
    // Most recently used last, so the oldest entry is the first to go.
    entries.delete(key);
    entries.set(key, hit);
    return hit.value as Promise<T>;
  }
  const value = run();
  entries.set(key, { version, at: now, value });
  value.catch(() => {
    if (entries.get(key)?.value === value) entries.delete(key);
  });
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return value;
}
