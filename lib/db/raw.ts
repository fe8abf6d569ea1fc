/**
 * Raw driver handles for the ingest's fast path (bulk upserts in one transaction per
 * file), next to the Prisma client the app uses. Same URL rules as getPrisma().
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sqlitePath } from './url';

export type SqliteDatabase = Database.Database;

export interface SqliteOptions {
  readonly?: boolean;
  /** How long a writer waits for another writer's lock (busy_timeout), ms. */
  busyTimeoutMs?: number;
}

/**
 * Opens a SQLite file (creating its folder) with Scanline's pragmas: WAL journal,
 * synchronous=NORMAL (durable at checkpoints, never corrupt), busy_timeout.
 */
export function openSqlite(url: string, opts: SqliteOptions = {}): SqliteDatabase {
  const file = sqlitePath(url);
  if (file !== ':memory:' && !opts.readonly) mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, {
    readonly: opts.readonly ?? false,
    timeout: opts.busyTimeoutMs ?? 60_000,
  });
  applySqlitePragmas(db, opts.busyTimeoutMs ?? 60_000);
  return db;
}

export function applySqlitePragmas(db: SqliteDatabase, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  if (!db.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
}

const PG_TIMESTAMP = 1114;

let parsedDay = '';
let parsedDayMs = 0;

/**
 * PostgreSQL `timestamp` text ('YYYY-MM-DD HH:MM:SS[.ffffff]', UTC by Prisma's
 * convention) to a Date, without Date's string parser (slow at a million rows).
 */
export function parsePgTimestamp(s: string): Date {
  if (s.length < 19 || s.charCodeAt(10) !== 32 || s.length > 26) {
    return new Date(`${s.replace(' ', 'T')}Z`);
  }
  const day = s.slice(0, 10);
  if (day !== parsedDay) {
    parsedDay = day;
    parsedDayMs = Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
  }
  const ms = s.length > 20 ? +s.slice(20, 23).padEnd(3, '0') : 0;
  return new Date(
    parsedDayMs +
      +s.slice(11, 13) * 3_600_000 +
      +s.slice(14, 16) * 60_000 +
      +s.slice(17, 19) * 1000 +
      ms,
  );
}
const PG_INT8 = 20;

/**
 * Type parsers for raw pg queries: `timestamp` (Prisma's DateTime, stored as UTC
 * without zone) is read as UTC (pg's default would read it in the local zone), and int8
 * as a JS number (Scanline's counters stay far below 2^53).
 */
export const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (format !== 'binary') {
      if (oid === PG_TIMESTAMP) return parsePgTimestamp;
      if (oid === PG_INT8) return (s: string) => Number(s);
    }
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads are not expressible here
    return pg.types.getTypeParser(oid, format as any);
  },
} as pg.CustomTypesConfig;

/** A pg Pool with Scanline's type parsers. */
export function openPgPool(url: string, config: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4, types: pgTypes, ...config });
  pool.on('error', () => {
    // An idle client lost its connection; the next query reconnects.
  });
  return pool;
}

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAY_MS = 86_400_000;
const MAX_4_DIGIT_YEAR_MS = 253402300799999;
let cachedDay = Number.NaN;
let cachedDate = '';

/**
 * 'YYYY-MM-DD' + sep + 'HH:MM:SS.mmm' in UTC. Date#toISOString costs ~1.5 us here, and a
 * file has millions of timestamps that mostly share a day: the day part is cached.
 */
function utcText(d: Date, sep: string): string {
  const ms = d.getTime();
  if (!(ms >= 0 && ms <= MAX_4_DIGIT_YEAR_MS))
    return d.toISOString().replace('T', sep).replace('Z', '');
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * DAY_MS).toISOString().slice(0, 10);
  }
  let r = ms - day * DAY_MS;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const s = Math.floor(r / 1000);
  return `${cachedDate}${sep}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[r - s * 1000]}`;
}

/** A Date as PostgreSQL `timestamp(3)` text in UTC (what Prisma stores for DateTime). */
export function pgTimestamp(d: Date): string {
  return utcText(d, ' ');
}

/** A Date as Prisma's SQLite adapter stores DateTime (ISO 8601 with ms, '+00:00'). */
export function sqliteTimestamp(d: Date): string {
  return `${utcText(d, 'T')}+00:00`;
}
