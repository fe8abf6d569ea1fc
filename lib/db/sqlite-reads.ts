/**
 * The view queries' reads on SQLite, straight through better-sqlite3 instead of
 * Prisma's $queryRaw: Prisma's raw-query path (argument typing, row deserialisation
 * into its own value types) costs 1-3x the query itself on the many-row reads of a
 * ranking (23,600 host rows: 44-112 ms through Prisma, 36 ms direct; measured in
 * docs/BENCHMARKS.md). Same SQL, same parameters as Prisma.sql would bind them; the
 * values differ only in type (numbers for BigInt columns, ISO text for DateTime),
 * which the queries' normalisers (num, isoTime, bytes) already accept.
 */
import type { Statement } from 'better-sqlite3';
import { processMap } from './process-map';
import { openSqlite, type SqliteDatabase, sqliteTimestamp } from './raw';

interface Reader {
  db: SqliteDatabase;
  statements: Map<string, Statement>;
}

/** Prepared statements kept per connection (the views' queries are a few hundred shapes). */
const MAX_STATEMENTS = 500;

/** One reader per file, kept across a dev server's module reloads. */
const readerMap = () => processMap<Reader>('sqliteReaders');

function readerFor(url: string): Reader {
  const readers = readerMap();
  let r = readers.get(url);
  if (!r) {
    r = { db: openSqlite(url, { busyTimeoutMs: 10_000 }), statements: new Map() };
    readers.set(url, r);
  }
  return r;
}

/** A Prisma.sql value as the better-sqlite3 adapter binds it. */
function bindable(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return sqliteTimestamp(v);
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) {
    return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  return v;
}

/** Runs one statement (`?` placeholders, as Prisma.sql renders for SQLite); its rows. */
export function sqliteRows<T>(url: string, sql: string, values: readonly unknown[]): T[] {
  const r = readerFor(url);
  let st = r.statements.get(sql);
  if (st) {
    r.statements.delete(sql);
  } else {
    st = r.db.prepare(sql);
    if (r.statements.size >= MAX_STATEMENTS) {
      r.statements.delete(r.statements.keys().next().value as string);
    }
  }
  r.statements.set(sql, st);
  const args = values.map(bindable);
  if (!st.reader) {
    st.run(...args);
    return [];
  }
  return st.all(...args) as T[];
}

/** Closes the connection(s) opened for `url` (all when omitted). */
export function closeSqliteReads(url?: string): void {
  const readers = readerMap();
  for (const [key, r] of [...readers]) {
    if (url !== undefined && key !== url) continue;
    readers.delete(key);
    r.db.close();
  }
}
