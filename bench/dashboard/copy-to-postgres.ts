/**
 * The benchmark's SQLite data (or its first days) copied into a PostgreSQL database, so
 * the same measurements run on both engines. Seeding PostgreSQL through the store would
 * take hours at /16 scale; rows written by the store are copied as they are instead:
 * binary COPY for the daily tables (the monthly rollups fill through their triggers, as
 * on an ingest), parameterised INSERTs for the small ones. A database that already holds
 * the ledger is taken as copied.
 */
import type { Database } from 'better-sqlite3';
import pg from 'pg';
import type { PgType } from '@/ingest/store/codec';
import { copyRows } from '@/ingest/store/pg-copy';
import { ensureHostPartitions } from '@/ingest/store/pg-partitions';
import { deployMigrations } from '@/lib/db/migrations';
import { openSqlite } from '@/lib/db/raw';
import { DAILY_TABLES } from './seed';

/** The daily tables go by binary COPY, these by INSERT. */
const SMALL = ['sensor', 'ingested_file', 'anomaly', 'anomaly_scan'];
const SERIAL = ['sensor', 'ingested_file'];
const COPY_TYPE: Record<string, PgType> = {
  text: 'text',
  integer: 'int4',
  bigint: 'int8',
  bytea: 'bytea',
  'timestamp without time zone': 'timestamp',
};

export interface CopyInfo {
  days: number;
  rows: Record<string, number>;
  seconds: number;
  databaseBytes: number;
}

interface Column {
  name: string;
  type: string;
}

async function columnsOf(pool: pg.Pool | pg.PoolClient, table: string): Promise<Column[]> {
  const r = await pool.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return r.rows.map((c) => ({ name: c.column_name, type: c.data_type }));
}

function value(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  if (type.startsWith('timestamp')) return new Date(typeof v === 'string' ? v : Number(v));
  if (type === 'boolean') return v === 1 || v === true;
  return v;
}

function* selectRows(
  db: Database,
  table: string,
  cols: Column[],
  lastDay: string | null,
): Generator<unknown[]> {
  const names = cols.map((c) => `"${c.name}"`).join(', ');
  const where =
    lastDay && (DAILY_TABLES.includes(table) || table === 'anomaly') ? ' WHERE "day" <= ?' : '';
  const st = db.prepare(`SELECT ${names} FROM ${table}${where}`).raw(true);
  for (const row of (where ? st.iterate(lastDay) : st.iterate()) as Iterable<unknown[]>) {
    yield row.map((v, i) => value(v, cols[i]!.type));
  }
}

/** Copies `sqliteUrl`'s rows (days up to `lastDay`, or all) into `pgUrl`. */
export async function copyToPostgres(
  sqliteUrl: string,
  pgUrl: string,
  lastDay: string | null,
  log: (line: string) => void,
): Promise<CopyInfo> {
  await deployMigrations(sqliteUrl);
  await deployMigrations(pgUrl);
  const db = openSqlite(sqliteUrl, { readonly: true });
  const pool = new pg.Pool({ connectionString: pgUrl, max: 1 });
  const t0 = performance.now();
  try {
    const counted = async (): Promise<Record<string, number>> => {
      const out: Record<string, number> = {};
      for (const t of [...DAILY_TABLES, 'anomaly']) {
        out[t] = Number((await pool.query(`SELECT COUNT(*) AS n FROM ${t}`)).rows[0].n);
      }
      return out;
    };
    const ledger = Number((await pool.query('SELECT COUNT(*) AS n FROM ingested_file')).rows[0].n);
    if (ledger === 0) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const table of SMALL) {
          const cols = await columnsOf(client, table);
          const names = cols.map((c) => `"${c.name}"`).join(', ');
          let batch: unknown[][] = [];
          const flush = async () => {
            if (batch.length === 0) return;
            const params = batch.flat();
            const tuples = batch.map(
              (_, r) => `(${cols.map((_, c) => `$${r * cols.length + c + 1}`).join(', ')})`,
            );
            await client.query(
              `INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`,
              params,
            );
            batch = [];
          };
          for (const row of selectRows(db, table, cols, lastDay)) {
            batch.push(row);
            if (batch.length === 200) await flush();
          }
          await flush();
        }
        for (const table of SERIAL) {
          await client.query(
            `SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT MAX(id) FROM ${table}), 1))`,
          );
        }
        const days = (
          db
            .prepare(`SELECT DISTINCT day FROM daily_total${lastDay ? ' WHERE day <= ?' : ''}`)
            .raw(true)
            .all(...(lastDay ? [lastDay] : [])) as string[][]
        ).map((r) => r[0]!);
        await ensureHostPartitions(client, days, true);
        for (const table of DAILY_TABLES) {
          const t = performance.now();
          const cols = await columnsOf(client, table);
          const types = cols.map((c) => {
            const ty = COPY_TYPE[c.type];
            if (!ty) throw new Error(`${table}.${c.name}: no COPY type for ${c.type}`);
            return [c.name, ty] as const;
          });
          await copyRows(client, table, types, selectRows(db, table, cols, lastDay));
          log(`postgres: ${table} copied in ${((performance.now() - t) / 1000).toFixed(1)} s`);
        }
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
      // VACUUM as well: until the visibility map is set, every index-only scan (the host
      // rankings' sorted access) visits the heap. Autovacuum does it after a bulk load too,
      // but throttled, and while the measurements run.
      const v = performance.now();
      await pool.query('VACUUM (ANALYZE)');
      log(`postgres: VACUUM (ANALYZE) in ${((performance.now() - v) / 1000).toFixed(0)} s`);
    } else {
      log('postgres: the database already holds the data (ledger not empty), not copied');
    }
    const rows = await counted();
    const [ext] = (
      await pool.query(
        'SELECT COUNT(*) AS days, pg_database_size(current_database()) AS bytes FROM daily_total WHERE sensor_id = 0',
      )
    ).rows as { days: string; bytes: string }[];
    return {
      days: Number(ext?.days ?? 0),
      rows,
      seconds: ledger === 0 ? (performance.now() - t0) / 1000 : 0,
      databaseBytes: Number(ext?.bytes ?? 0),
    };
  } finally {
    db.close();
    await pool.end();
  }
}
