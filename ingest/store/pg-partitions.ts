/**
 * Monthly partitions of daily_host on PostgreSQL (migration
 * 20261126030000_daily_host_partition_by_month): `daily_host` is range-partitioned on
 * "day" ('YYYY-MM-DD' text), one partition per calendar month named daily_host_pYYYY_MM,
 * fillfactor 70 like the other aggregate tables. A row of a month without a partition
 * cannot be inserted, so the store calls ensureHostPartitions() before each commit.
 * daily_host_port (the host rows' ports, kept by triggers on daily_host) is partitioned
 * the same way, daily_host_port_pYYYY_MM, and its partitions are made alongside.
 *
 * The partitions are created in their own short transaction, before the commit's
 * transaction: CREATE TABLE ... PARTITION OF takes an ACCESS EXCLUSIVE lock on
 * daily_host, which should not be held for a whole commit (readers would wait). An
 * empty partition left by a commit that then fails is harmless. Concurrent creators
 * serialise on an advisory lock, and IF NOT EXISTS makes the loser a no-op.
 */
import type pg from 'pg';

/** Advisory lock key of partition creation (the commit lock is 72707370). */
export const PG_PARTITION_LOCK = 72707371;

const HOST_TABLE = 'daily_host';
/** The host rows' port index (migration 20261126162312_daily_host_port), same bounds. */
export const HOST_PORT_TABLE = 'daily_host_port';
const PARTITIONED_HOST_TABLES = [HOST_TABLE, HOST_PORT_TABLE];

/** 'YYYY-MM' of a 'YYYY-MM-DD' day. */
export function monthOf(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a YYYY-MM-DD day: '${day}'`);
  return day.slice(0, 7);
}

/** The partition of a month: daily_host_p2020_07. */
export function hostPartitionName(month: string): string {
  return partitionName(HOST_TABLE, month);
}

/** A month's partition of a month-partitioned table: daily_host_port_p2020_07. */
export function partitionName(table: string, month: string): string {
  return `${table}_p${month.replace('-', '_')}`;
}

/** The first day of the month after `month` ('YYYY-MM'): the partition's upper bound. */
export function nextMonthStart(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12
    ? `${String(y + 1).padStart(4, '0')}-01-01`
    : `${month.slice(0, 4)}-${String(m + 1).padStart(2, '0')}-01`;
}

/** True when daily_host is a partitioned table (the migration has been applied). */
export async function hostTableIsPartitioned(db: pg.ClientBase | pg.Pool): Promise<boolean> {
  const r = await db.query<{ kind: string | null }>(
    `SELECT c.relkind::text AS kind FROM pg_class c
      WHERE c.oid = to_regclass($1)`,
    [HOST_TABLE],
  );
  return r.rows[0]?.kind === 'p';
}

/**
 * Makes sure daily_host and daily_host_port have a partition for every month of `days`
 * (each table that is partitioned: daily_host_port always is, daily_host once its
 * migration ran). Commits its own short transaction, unless `inTransaction`: then the
 * partitions join the caller's open transaction, and readers of daily_host wait for its
 * end. That is for a file written in parts (Store.beginFile) that reaches a month not
 * seen when it began: creating it from another connection would wait for the locks that
 * open transaction holds on daily_host.
 */
export async function ensureHostPartitions(
  client: pg.ClientBase,
  days: readonly string[],
  inTransaction = false,
): Promise<void> {
  const months = [...new Set(days.map(monthOf))].sort();
  if (months.length === 0) return;
  const wanted = PARTITIONED_HOST_TABLES.flatMap((table) =>
    months.map((month) => ({ table, month, name: partitionName(table, month) })),
  );
  const probe = await client.query<{ partitioned: string[]; missing: string[] }>(
    `SELECT ARRAY(SELECT t FROM unnest($1::text[]) AS t
                   WHERE (SELECT relkind = 'p' FROM pg_class WHERE oid = to_regclass(t))) AS partitioned,
            ARRAY(SELECT n FROM unnest($2::text[]) AS n WHERE to_regclass(n) IS NULL) AS missing`,
    [PARTITIONED_HOST_TABLES, wanted.map((w) => w.name)],
  );
  const row = probe.rows[0];
  const partitioned = new Set(row?.partitioned ?? []);
  const missing = new Set(row?.missing ?? []);
  const todo = wanted.filter((w) => partitioned.has(w.table) && missing.has(w.name));
  if (todo.length === 0) return;
  await client.query(inTransaction ? 'SAVEPOINT scanline_partitions' : 'BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [PG_PARTITION_LOCK]);
    for (const { table, month, name } of todo) {
      await client.query(
        `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF ${table}
           FOR VALUES FROM ('${month}-01') TO ('${nextMonthStart(month)}')${
             table === HOST_TABLE ? ' WITH (fillfactor = 70)' : ''
           }`,
      );
    }
    await client.query(inTransaction ? 'RELEASE SAVEPOINT scanline_partitions' : 'COMMIT');
  } catch (e) {
    if (!inTransaction) await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
