/**
 * Writes of the read path's caches (month_sketch, month_host_list): UPSERTs that may
 * fail without harm, since a cache row not kept only costs the next request the time to
 * make it again.
 *
 * On SQLite the writes go through a connection per file that never waits for a lock
 * (busy_timeout 0): an ingest commit can hold the write lock for minutes, and
 * better-sqlite3 waits in the calling thread, which would stall every request of the
 * server. A busy database just skips keeping the rows.
 */
import 'server-only';
import type { Database } from 'better-sqlite3';
import { getPrisma } from '@/lib/db';
import { openSqlite } from '@/lib/db/raw';
import { databaseUrl, engineOf } from '@/lib/db/url';
import { Prisma } from './db';

/** Rows per INSERT on PostgreSQL (a few parameters a row, far under its 65,535). */
const ROWS_PER_INSERT = 500;

const noWait = new Map<string, Database>();

function noWaitDb(url: string): Database {
  let db = noWait.get(url);
  if (!db) {
    db = openSqlite(url, { busyTimeoutMs: 0 });
    noWait.set(url, db);
  }
  return db;
}

/**
 * `insert` ('INSERT INTO t (a, b)') of each row of `values`, with `onConflict` (its
 * DO UPDATE clause); all or nothing per statement, errors swallowed (see the top).
 * Whether every row was kept.
 */
export async function keepRows(
  insert: string,
  onConflict: string,
  values: unknown[][],
): Promise<boolean> {
  if (values.length === 0) return true;
  const url = databaseUrl();
  try {
    if (engineOf(url) === 'sqlite') {
      const db = noWaitDb(url);
      const marks = values[0]!.map(() => '?').join(', ');
      const upsert = db.prepare(`${insert} VALUES (${marks}) ${onConflict}`);
      db.transaction(() => {
        for (const row of values) upsert.run(...row);
      }).immediate();
      return true;
    }
    for (let i = 0; i < values.length; i += ROWS_PER_INSERT) {
      const tuples = values
        .slice(i, i + ROWS_PER_INSERT)
        .map((row) => Prisma.sql`(${Prisma.join(row)})`);
      await getPrisma(url).$executeRaw(
        Prisma.sql`${Prisma.raw(insert)} VALUES ${Prisma.join(tuples)} ${Prisma.raw(onConflict)}`,
      );
    }
    return true;
  } catch {
    // Not kept: the answer is the same, the next request makes the rows again.
    return false;
  }
}
