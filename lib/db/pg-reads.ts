/**
 * The view queries' reads on PostgreSQL, straight through node-postgres instead of
 * Prisma's $queryRaw, as sqlite-reads.ts does for SQLite: Prisma's raw-query path (its
 * argument typing and per-value row deserialisation) costs 1.3-1.5x the pg driver on
 * reads of many rows (24,000 rows: 91 ms against 71 ms; with a bytea column, as the
 * sketch reads have, 140 ms against 91 ms). Same SQL and parameters as Prisma.sql renders
 * for PostgreSQL (`$1` placeholders); values come back as the pool's type parsers make
 * them (int8 as number, timestamp as a UTC Date, numeric as text, bytea as Buffer), which
 * the queries' normalisers (num, isoTime, bytes) already accept.
 */
import type pg from 'pg';
import { processMap } from './process-map';
import { openPgPool, pgTimestamp } from './raw';

/** One pool per URL, kept across a dev server's module reloads. */
const poolMap = () => processMap<pg.Pool>('pgReaders');

function poolFor(url: string): pg.Pool {
  const pools = poolMap();
  let p = pools.get(url);
  if (!p) {
    // node-postgres' default size, the pool Prisma's adapter opened for these reads.
    p = openPgPool(url, { max: 10 });
    pools.set(url, p);
  }
  return p;
}

/** A Prisma.sql value as pg should bind it (timestamps are UTC without zone). */
function bindable(v: unknown): unknown {
  if (v instanceof Date) return pgTimestamp(v);
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) {
    return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  return v;
}

/** Runs one statement (`$n` placeholders, as Prisma.sql renders for PostgreSQL); its rows. */
export async function pgRows<T>(
  url: string,
  text: string,
  values: readonly unknown[],
): Promise<T[]> {
  const r = await poolFor(url).query(text, values.map(bindable));
  return r.rows as T[];
}

/** Closes the pool(s) opened for `url` (all when omitted). */
export async function closePgReads(url?: string): Promise<void> {
  const pools = poolMap();
  for (const [key, p] of [...pools]) {
    if (url !== undefined && key !== url) continue;
    pools.delete(key);
    await p.end();
  }
}
