/**
 * Retention of per-host rows on both engines, and the monthly partitions of daily_host
 * on PostgreSQL: partitions are created on demand by the store, the partitioning
 * migration keeps existing rows, and `purgeHostRows` drops whole months where it can,
 * DELETEs the rest, and leaves every other aggregate untouched.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { deployMigrations, migrationsDir } from '../../lib/db/migrations';
import { disconnectPrisma, getPrisma } from '../../lib/db/prisma';
import { aggregatePackets, ledgerEntryFor, synthPackets } from '../../tests/support/aggregates';
import { ENGINES, emptyPgDb, freshDb, type TestDb } from '../../tests/support/db';
import { type Dump, dumpAggregates, rollupMismatches } from '../../tests/support/dump';
import { runRetention } from '../cli/retention-command';
import { openStore } from '.';
import { hostPartitionName, monthOf, nextMonthStart } from './pg-partitions';
import { cutoffForKeepDays, purgeHostRows } from './retention';

const PARTITION_MIGRATION = '20261126030000_daily_host_partition_by_month';
// daily_host_port's triggers are made on daily_host, which the partitioning rebuilds.
const AFTER_PARTITIONING = [
  '20261126160000_daily_host_country_asn_by_day',
  '20261126162312_daily_host_port',
  '20261127153949_daily_host_ip_day_sums',
];

const dbs: TestDb[] = [];
afterAll(async () => {
  for (const db of dbs) {
    await disconnectPrisma(db.url);
    await db.cleanup();
  }
});

/** Commits synthetic files over 2024-03-29 .. 2024-04-03 (two months) for two sensors. */
async function fill(url: string): Promise<void> {
  // One test fills a database before its partitioning migrations.
  const store = await openStore(url, { allowPendingMigrations: true });
  try {
    for (const [i, sensor] of ['s1', 's2'].entries()) {
      const id = await store.ensureSensor(sensor);
      const packets = synthPackets(10 + i, 4000, { day: '2024-03-29', days: 6, sources: 150 });
      const sha = `${String(i).repeat(2)}${'ab'.repeat(31)}`;
      expect(
        await store.commitFile(ledgerEntryFor(sha, packets), id, aggregatePackets(packets)),
      ).toBe('stored');
    }
  } finally {
    await store.close();
  }
}

function hostDays(dump: Dump): Map<string, number> {
  const days = new Map<string, number>();
  for (const key of Object.keys(dump.host ?? {})) {
    const day = key.split('|')[1]!;
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return days;
}

function withoutHosts(dump: Dump): Dump {
  const { host: _host, ...rest } = dump;
  return rest;
}

async function hostPortDaysBefore(url: string, day: string): Promise<number> {
  return getPrisma(url).dailyHostPort.count({ where: { day: { lt: day } } });
}

async function pgQuery<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

async function partitions(url: string, table = 'daily_host'): Promise<string[]> {
  const rows = await pgQuery<{ name: string }>(
    url,
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = '${table}'::regclass ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

describe('partition names and bounds', () => {
  it('maps days to month partitions', () => {
    expect(monthOf('2020-07-31')).toBe('2020-07');
    expect(hostPartitionName('2020-07')).toBe('daily_host_p2020_07');
    expect(nextMonthStart('2020-07')).toBe('2020-08-01');
    expect(nextMonthStart('2020-12')).toBe('2021-01-01');
    expect(() => monthOf("2020-07-01'; DROP TABLE x")).toThrow(/YYYY-MM-DD/);
  });

  it('counts --keep-host-days back from today (UTC)', () => {
    const now = new Date('2020-09-30T23:30:00Z');
    expect(cutoffForKeepDays(30, now)).toBe('2020-08-31');
    expect(cutoffForKeepDays(0, now)).toBe('2020-09-30');
    expect(() => cutoffForKeepDays(-1, now)).toThrow();
  });
});

describe.each(ENGINES)('retention on %s', (engine) => {
  it('deletes host rows before the cutoff and keeps every other aggregate', async () => {
    const db = await freshDb(engine);
    dbs.push(db);
    await fill(db.url);
    const before = await dumpAggregates(db.url);
    const days = hostDays(before);
    expect([...days.keys()].sort()).toEqual([
      '2024-03-29',
      '2024-03-30',
      '2024-03-31',
      '2024-04-01',
      '2024-04-02',
      '2024-04-03',
    ]);
    const expected = ['2024-03-29', '2024-03-30', '2024-03-31', '2024-04-01']
      .map((d) => days.get(d)!)
      .reduce((a, b) => a + b, 0);
    if (engine === 'postgres') {
      // The store created a partition for each month it wrote.
      expect(await partitions(db.url)).toEqual(['daily_host_p2024_03', 'daily_host_p2024_04']);
      expect(await partitions(db.url, 'daily_host_port')).toEqual([
        'daily_host_port_p2024_03',
        'daily_host_port_p2024_04',
      ]);
    }
    expect(await rollupMismatches(db.url)).toEqual([]);

    // Dry run: counts, changes nothing.
    const dry = await purgeHostRows(db.url, { before: '2024-04-02', dryRun: true });
    expect(dry.totalRows).toBe(expected);
    expect(await dumpAggregates(db.url)).toEqual(before);

    // The host rankings' month lists (a cache) of the months with purged days go too.
    for (const month of ['2024-03', '2024-04', '2024-05']) {
      await getPrisma(db.url).$executeRawUnsafe(
        `INSERT INTO month_host_list (kind, sensor_id, month, total, depth, hosts)
         VALUES ('hosts', 0, '${month}', 1, 200, '[["192.0.2.1", 1]]')`,
      );
    }
    const r = await purgeHostRows(db.url, { before: '2024-04-02' });
    expect(r.totalRows).toBe(expected);
    const lists = await getPrisma(db.url).$queryRawUnsafe<{ month: string }[]>(
      'SELECT month FROM month_host_list ORDER BY month',
    );
    expect(lists.map((l) => l.month)).toEqual(['2024-05']);
    if (engine === 'postgres') {
      // March lies wholly before the cutoff: dropped whole. April 1st: deleted.
      expect(r.droppedPartitions.map((p) => p.name)).toEqual(['daily_host_p2024_03']);
      expect(r.deletedRows).toBe(days.get('2024-04-01'));
      expect(await partitions(db.url)).toEqual(['daily_host_p2024_04']);
      expect(await partitions(db.url, 'daily_host_port')).toEqual(['daily_host_port_p2024_04']);
    } else {
      expect(r.deletedRows).toBe(expected);
    }
    // The host rows' ports went with them (partitions dropped, rows deleted by the triggers).
    expect(await rollupMismatches(db.url)).toEqual([]);
    expect(await hostPortDaysBefore(db.url, '2024-04-02')).toBe(0);
    const after = await dumpAggregates(db.url);
    expect(withoutHosts(after)).toEqual(withoutHosts(before));
    const kept = Object.fromEntries(
      Object.entries(before.host ?? {}).filter(([k]) => k.split('|')[1]! >= '2024-04-02'),
    );
    expect(after.host).toEqual(kept);

    // The command line, again: nothing left before the cutoff.
    expect(await runRetention(['--db', db.url, '--before', '2024-04-02', '--json'])).toBe(0);
    expect(await dumpAggregates(db.url)).toEqual(after);
    expect(await runRetention(['--db', db.url, '--keep-host-days', '3', '--before', 'x'])).toBe(2);
    for (const bad of ['2024-02-30', '2024-4-1', 'yesterday']) {
      expect(await runRetention(['--db', db.url, '--before', bad]), bad).toBe(2);
    }
    expect(await dumpAggregates(db.url)).toEqual(after);

    // A late file for a purged month: the store re-creates its partition.
    const store = await openStore(db.url);
    try {
      const id = await store.ensureSensor('s1');
      const late = synthPackets(99, 200, { day: '2024-03-15', sources: 20 });
      expect(
        await store.commitFile(ledgerEntryFor('cd'.repeat(32), late), id, aggregatePackets(late)),
      ).toBe('stored');
    } finally {
      await store.close();
    }
    expect(hostDays(await dumpAggregates(db.url)).get('2024-03-15')).toBeGreaterThan(0);
    expect(await hostPortDaysBefore(db.url, '2024-04-02')).toBeGreaterThan(0);
    expect(await rollupMismatches(db.url)).toEqual([]);
    if (engine === 'postgres') {
      expect(await partitions(db.url)).toEqual(['daily_host_p2024_03', 'daily_host_p2024_04']);
      expect(await partitions(db.url, 'daily_host_port')).toEqual([
        'daily_host_port_p2024_03',
        'daily_host_port_p2024_04',
      ]);
    }
  });
});

describe('the partitioning migration on PostgreSQL', () => {
  it('moves existing host rows into month partitions, unchanged', async () => {
    const db = await emptyPgDb();
    dbs.push(db);
    // Every migration but the partitioning one (the store writes columns added after
    // it), then data, then the rest. Later migrations that drop indexes the partitioning
    // one drops and recreates wait for it, as they do in any real deploy (in order).
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scanline-migrations-'));
    try {
      cpSync(migrationsDir('postgres'), dir, { recursive: true });
      for (const m of [PARTITION_MIGRATION, ...AFTER_PARTITIONING]) {
        rmSync(path.join(dir, m), { recursive: true });
      }
      await deployMigrations(db.url, { dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const kind = `SELECT relkind::text AS k FROM pg_class WHERE oid = 'daily_host'::regclass`;
    expect(await pgQuery(db.url, kind)).toEqual([{ k: 'r' }]);
    await fill(db.url); // the store's partition step is a no-op on a plain table
    const before = await dumpAggregates(db.url);
    await disconnectPrisma(db.url);

    const { applied } = await deployMigrations(db.url);
    expect(applied).toContain(PARTITION_MIGRATION);
    expect(await pgQuery(db.url, kind)).toEqual([{ k: 'p' }]);
    expect(await partitions(db.url)).toEqual(['daily_host_p2024_03', 'daily_host_p2024_04']);
    expect(await dumpAggregates(db.url)).toEqual(before);
    const ff = await pgQuery<{ o: string[] }>(
      db.url,
      `SELECT reloptions AS o FROM pg_class WHERE relname = 'daily_host_p2024_03'`,
    );
    expect(ff[0]?.o).toEqual(['fillfactor=70']);
    // The host rows' ports, made after: one partition per month with rows, every port.
    expect(await partitions(db.url, 'daily_host_port')).toEqual([
      'daily_host_port_p2024_03',
      'daily_host_port_p2024_04',
    ]);
    expect(await hostPortDaysBefore(db.url, '2024-05-01')).toBeGreaterThan(0);
    expect(await rollupMismatches(db.url)).toEqual([]);
  });
});
