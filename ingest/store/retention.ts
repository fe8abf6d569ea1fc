/**
 * Retention of per-host rows: deletes daily_host rows of days before a cutoff (and their
 * daily_host_port rows, by the triggers that keep that table, or with their partitions,
 * and the host rankings' month lists of those months) and keeps
 * every other aggregate (totals, ports, countries, windows, tags, sketches, the
 * ledger), which are small and stay valid: host rows are per sensor and never folded
 * into the other tables at read time.
 *
 * - SQLite: one DELETE inside BEGIN IMMEDIATE (serialised with ingest commits). The
 *   file does not shrink by itself: freed pages are reused by later ingests (VACUUM
 *   returns them to the file system).
 * - PostgreSQL: under the ingest's commit lock (pg_advisory_xact_lock), so a commit
 *   never merges into rows that are being removed. When daily_host is partitioned by
 *   month (pg-partitions.ts), every partition that lies wholly before the cutoff is
 *   dropped (no dead rows, no VACUUM), and the rows of the cutoff's own month before
 *   the cutoff are DELETEd. Unpartitioned: one DELETE.
 *
 * A capture of a day before the cutoff ingested later brings that day's host rows back.
 */
import { openPgPool, openSqlite } from '../../lib/db/raw';
import { engineOf } from '../../lib/db/url';
import { PG_COMMIT_LOCK } from './codec';
import { HOST_PORT_TABLE, hostTableIsPartitioned } from './pg-partitions';

export interface RetentionOptions {
  /** Rows of days before this one ('YYYY-MM-DD') are removed. */
  before: string;
  dryRun?: boolean;
}

export interface RetentionResult {
  engine: 'sqlite' | 'postgres';
  before: string;
  dryRun: boolean;
  /** Whole partitions dropped (PostgreSQL, partitioned daily_host), with their rows. */
  droppedPartitions: { name: string; rows: number }[];
  /** Rows removed by DELETE. */
  deletedRows: number;
  /** All host rows removed (dropped + deleted); what would be with dryRun. */
  totalRows: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The host rankings' month lists (month_host_list) of every month with a purged day:
 * kept, they would still name the purged hosts.
 */
const DELETE_MONTH_LISTS = 'DELETE FROM month_host_list WHERE "month" <= substr($1, 1, 7)';

/** The cutoff day that keeps `keepDays` whole days before `today` ('YYYY-MM-DD', UTC). */
export function cutoffForKeepDays(keepDays: number, today: Date = new Date()): string {
  if (!Number.isInteger(keepDays) || keepDays < 0)
    throw new Error(`keep days must be a non-negative integer (got ${keepDays})`);
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return new Date(midnight - keepDays * 86_400_000).toISOString().slice(0, 10);
}

export async function purgeHostRows(url: string, opts: RetentionOptions): Promise<RetentionResult> {
  if (!DAY.test(opts.before) || Number.isNaN(Date.parse(`${opts.before}T00:00:00Z`)))
    throw new Error(`cutoff must be a day YYYY-MM-DD (got '${opts.before}')`);
  return engineOf(url) === 'sqlite' ? purgeSqlite(url, opts) : purgePg(url, opts);
}

function purgeSqlite(url: string, opts: RetentionOptions): RetentionResult {
  const db = openSqlite(url, { busyTimeoutMs: 300_000 });
  try {
    const result: RetentionResult = {
      engine: 'sqlite',
      before: opts.before,
      dryRun: opts.dryRun ?? false,
      droppedPartitions: [],
      deletedRows: 0,
      totalRows: 0,
    };
    if (opts.dryRun) {
      const n = db
        .prepare('SELECT COUNT(*) FROM daily_host WHERE "day" < ?')
        .pluck()
        .get(opts.before) as number;
      result.totalRows = n;
      return result;
    }
    db.exec('BEGIN IMMEDIATE');
    try {
      const r = db.prepare('DELETE FROM daily_host WHERE "day" < ?').run(opts.before);
      db.prepare(DELETE_MONTH_LISTS.replace('$1', '?')).run(opts.before);
      db.exec('COMMIT');
      result.deletedRows = r.changes;
      result.totalRows = r.changes;
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
    return result;
  } finally {
    db.close();
  }
}

interface PartitionBound {
  name: string;
  /** Range bounds ('YYYY-MM-DD'), null for a DEFAULT partition. */
  from: string | null;
  to: string | null;
}

/** A table's partitions (daily_host unless named) and their bounds, from the catalog. */
export async function hostPartitions(
  db: { query: (sql: string, values?: unknown[]) => Promise<{ rows: unknown[] }> },
  table = 'daily_host',
): Promise<PartitionBound[]> {
  const r = await db.query(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = to_regclass($1)
      ORDER BY c.relname`,
    [table],
  );
  return (r.rows as { name: string; bound: string }[]).map(({ name, bound }) => {
    const m = /FROM \('([^']*)'\) TO \('([^']*)'\)/.exec(bound);
    return { name, from: m?.[1] ?? null, to: m?.[2] ?? null };
  });
}

/** A table's partitions wholly before the cutoff (the exclusive upper bound is at or before it). */
async function partitionsBefore(
  client: { query: (sql: string, values?: unknown[]) => Promise<{ rows: unknown[] }> },
  table: string,
  before: string,
): Promise<{ name: string; quoted: string }[]> {
  return (await hostPartitions(client, table))
    .filter((p) => p.to !== null && p.to <= before)
    .map((p) => ({ name: p.name, quoted: `"${p.name.replace(/"/g, '""')}"` }));
}

async function purgePg(url: string, opts: RetentionOptions): Promise<RetentionResult> {
  const pool = openPgPool(url, { max: 1 });
  const client = await pool.connect();
  const result: RetentionResult = {
    engine: 'postgres',
    before: opts.before,
    dryRun: opts.dryRun ?? false,
    droppedPartitions: [],
    deletedRows: 0,
    totalRows: 0,
  };
  try {
    await client.query('BEGIN');
    if (!opts.dryRun) await client.query('SELECT pg_advisory_xact_lock($1)', [PG_COMMIT_LOCK]);
    if (await hostTableIsPartitioned(client)) {
      for (const p of await partitionsBefore(client, 'daily_host', opts.before)) {
        const n = await client.query<{ n: number }>(
          `SELECT COUNT(*)::bigint AS n FROM ${p.quoted}`,
        );
        const rows = Number(n.rows[0]?.n ?? 0);
        result.droppedPartitions.push({ name: p.name, rows });
        if (!opts.dryRun) await client.query(`DROP TABLE ${p.quoted}`);
      }
    }
    // The port index of the host rows has the same month bounds: its months wholly before
    // the cutoff go with them (a DROP fires no trigger). The DELETE below fires them.
    if (!opts.dryRun) {
      for (const p of await partitionsBefore(client, HOST_PORT_TABLE, opts.before)) {
        await client.query(`DROP TABLE ${p.quoted}`);
      }
    }
    if (opts.dryRun) {
      // Partitions counted above are gone from this count only when dropped: count the rest.
      const skip = result.droppedPartitions.map((p) => p.name);
      const r = await client.query<{ n: number }>(
        `SELECT COUNT(*)::bigint AS n FROM daily_host h
          WHERE h."day" < $1 AND h.tableoid::regclass::text <> ALL($2::text[])`,
        [opts.before, skip],
      );
      result.deletedRows = Number(r.rows[0]?.n ?? 0);
      await client.query('ROLLBACK');
    } else {
      const r = await client.query('DELETE FROM daily_host WHERE "day" < $1', [opts.before]);
      await client.query(DELETE_MONTH_LISTS, [opts.before]);
      result.deletedRows = r.rowCount ?? 0;
      await client.query('COMMIT');
    }
    result.totalRows =
      result.deletedRows + result.droppedPartitions.reduce((a, p) => a + p.rows, 0);
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
    await pool.end();
  }
}
