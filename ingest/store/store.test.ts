import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployMigrations, listMigrations, migrationsDir } from '../../lib/db/migrations';
import { disconnectPrisma, getPrisma } from '../../lib/db/prisma';
import {
  aggregatePackets,
  ledgerEntryFor,
  type SynthPacket,
  synthPackets,
} from '../../tests/support/aggregates';
import { ENGINES, emptyDb, freshDb, type TestDb } from '../../tests/support/db';
import {
  type Dump,
  dumpAggregates,
  rollupMismatches,
  type SketchCell,
  sensorRows,
} from '../../tests/support/dump';
import { pickVoted, tcpPackets } from '../aggregate/merge-rows';
import { SourceSketch } from '../aggregate/source-sketch';
import { openStore, ROLLUP_SENSOR_ID, type Store } from '.';

const SKETCH_TABLES = ['total', 'port', 'country', 'countryPort', 'window', 'tag'];

function only(dump: Dump, tables: string[]): Dump {
  return Object.fromEntries(Object.entries(dump).filter(([t]) => tables.includes(t)));
}

describe('opening a store that is not there', () => {
  it('a missing SQLite file is an error naming it, not an empty file made on the way', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scanline-open-'));
    try {
      const url = `file:${dir}/typo/scanline.db`;
      await expect(openStore(url)).rejects.toThrow(`The database ${url} does not exist`);
      expect(existsSync(path.join(dir, 'typo'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unreachable PostgreSQL server: the error names it, password hidden', async () => {
    await expect(openStore('postgres://u:secret@127.0.0.1:1/x')).rejects.toThrow(
      /^PostgreSQL postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x: .*ECONNREFUSED/,
    );
  });
});

describe.each(ENGINES)('opening a database of an earlier version on %s', (engine) => {
  it('names the migrations it lacks and how to apply them; once applied, it opens', async () => {
    const db = await emptyDb(engine);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scanline-migrations-'));
    try {
      const all = listMigrations(migrationsDir(engine));
      const latest = all.at(-1)!.name;
      cpSync(migrationsDir(engine), dir, { recursive: true });
      rmSync(path.join(dir, latest), { recursive: true });
      await deployMigrations(db.url, { dir });
      await expect(openStore(db.url)).rejects.toThrow(
        `lacks 1 migration(s) of this version (${latest}): apply them first (npm run db:migrate`,
      );
      await deployMigrations(db.url);
      const store = await openStore(db.url);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.cleanup();
    }
  });
});

describe.each(ENGINES)('store on %s', (engine) => {
  let db: TestDb;
  let store: Store;

  beforeEach(async () => {
    db = await freshDb(engine);
    store = await openStore(db.url);
  });

  afterEach(async () => {
    await store.close();
    await disconnectPrisma(db.url);
    await db.cleanup();
  });

  async function commit(sha: string, packets: SynthPacket[], sensorId: number) {
    return store.commitFile(ledgerEntryFor(sha, packets), sensorId, aggregatePackets(packets));
  }

  it('creates sensors once, updates prefixes, reserves *', async () => {
    const a = await store.ensureSensor('tokyo-1', '203.0.113.0/24');
    expect(a).toBeGreaterThan(0);
    expect(await store.ensureSensor('tokyo-1')).toBe(a);
    expect(await store.ensureSensor('tokyo-1', '198.51.100.0/24,203.0.113.0/24')).toBe(a);
    const b = await store.ensureSensor('osaka-1');
    expect(b).not.toBe(a);
    await expect(store.ensureSensor('*')).rejects.toThrow(/reserved/);
    const sensors = await getPrisma(db.url).sensor.findMany({ orderBy: { id: 'asc' } });
    expect(sensors.map((s) => [s.id, s.name, s.prefixes])).toEqual([
      [0, '*', ''],
      [a, 'tokyo-1', '198.51.100.0/24,203.0.113.0/24'],
      [b, 'osaka-1', ''],
    ]);
    expect(
      sensors.every((s) => s.createdAt instanceof Date && !Number.isNaN(s.createdAt.getTime())),
    ).toBe(true);
  });

  it('stores a file, then the same file again is a no-op', async () => {
    const sid = await store.ensureSensor('s1');
    const packets = synthPackets(1, 3000, { days: 2 });
    const agg = aggregatePackets(packets);
    expect(await store.hasFile('f1')).toBeNull();
    expect(await store.commitFile(ledgerEntryFor('f1', packets), sid, agg)).toBe('stored');
    const first = await dumpAggregates(db.url);
    expect(await store.commitFile(ledgerEntryFor('f1', packets), sid, agg)).toBe('duplicate');
    expect(await dumpAggregates(db.url)).toEqual(first);

    // The sensor's rows are the file's aggregates; sources = the sketch's estimate.
    const mine = sensorRows(first, sid);
    expect(Object.keys(mine.total ?? {}).sort()).toEqual(['2024-03-01', '2024-03-02']);
    for (const r of agg.ports) {
      const c = mine.port?.[`${r.day}|${r.proto}|${r.port}`] as SketchCell;
      expect(c.packets).toBe(r.packets);
      expect(c.sources).toBe(Math.round(r.sources.estimate()));
      expect(c.estimate).toBe(c.sources);
    }
    expect(Object.keys(mine.host ?? {})).toHaveLength(agg.hosts.length);
    const hosts = [...agg.hosts];
    const h = hosts[0]!;
    expect(mine.host?.[`${h.day}|${h.ip}`]).toEqual({
      ...h,
      day: undefined,
      ip: undefined,
      firstSeen: h.firstSeen.toISOString(),
      lastSeen: h.lastSeen.toISOString(),
    } as unknown as Record<string, unknown>);
    // TCP sequence numbers are unsigned 32-bit: values past 2^31 - 1 (up to 0xffffffff)
    // and -1 (no TCP) come back as they went in.
    expect(hosts.some((x) => x.seq === 0xffffffff)).toBe(true);
    expect(hosts.some((x) => x.seq > 0x7fffffff && x.seq < 0xffffffff)).toBe(true);
    expect(hosts.some((x) => x.seq === -1)).toBe(true);
    for (const x of hosts) {
      const stored = mine.host?.[`${x.day}|${x.ip}`] as { seq: number } | undefined;
      expect(stored?.seq, x.ip).toBe(x.seq);
    }
    // Hosts are per sensor only.
    expect(sensorRows(first, ROLLUP_SENSOR_ID).host).toBeUndefined();

    const row = await store.hasFile('f1');
    const entry = ledgerEntryFor('f1', packets);
    expect(row).toMatchObject({
      sha256: 'f1',
      path: entry.path,
      size: entry.size,
      sensorId: sid,
      status: 'complete',
      format: 'pcap',
      compression: 'none',
      linkTypes: '1',
      packets: 3000,
      ipPackets: 3000,
      days: ['2024-03-01', '2024-03-02'],
      errorMessage: null,
      durationMs: 12,
    });
    expect(row?.firstNs).toBe(
      (BigInt(entry.first.sec) * 1_000_000_000n + BigInt(entry.first.nsec)).toString(),
    );
    expect(row?.firstTs?.getTime()).toBe(
      entry.first.sec * 1000 + Math.floor(entry.first.nsec / 1e6),
    );
    expect(JSON.parse(row?.datasets ?? '')).toEqual(entry.datasets);
    expect(await store.findFileByPath(entry.path, entry.size)).toMatchObject({ sha256: 'f1' });
    expect(await store.findFileByPath(entry.path, entry.size + 1)).toBeNull();
    const viaPrisma = await getPrisma(db.url).ingestedFile.findUnique({ where: { sha256: 'f1' } });
    expect(viaPrisma?.packets).toBe(3000n);
    expect(viaPrisma?.lastTs?.getTime()).toBe(row?.lastTs?.getTime());
  });

  it('records partial files with their error', async () => {
    const sid = await store.ensureSensor('s1');
    const packets = synthPackets(2, 50);
    const entry = {
      ...ledgerEntryFor('bad', packets),
      status: 'partial' as const,
      error: { message: 'truncated record', record: 51, offset: 3084 },
      first: null,
      last: null,
    };
    expect(await store.commitFile(entry, sid, aggregatePackets(packets))).toBe('stored');
    expect(await store.hasFile('bad')).toMatchObject({
      status: 'partial',
      errorMessage: 'truncated record',
      errorRecord: 51,
      errorOffset: 3084,
      firstTs: null,
      firstNs: null,
    });
  });

  it('folds every sensor into the rollup: packets add, sketches merge', async () => {
    const s1 = await store.ensureSensor('s1');
    const s2 = await store.ensureSensor('s2');
    await commit('a', synthPackets(10, 4000, { sources: 300 }), s1);
    await commit('b', synthPackets(11, 4000, { sources: 300 }), s2);
    const dump = await dumpAggregates(db.url);
    const [r1, r2, all] = [
      sensorRows(dump, s1),
      sensorRows(dump, s2),
      sensorRows(dump, ROLLUP_SENSOR_ID),
    ];
    for (const table of SKETCH_TABLES) {
      const keys = new Set([...Object.keys(r1[table] ?? {}), ...Object.keys(r2[table] ?? {})]);
      expect(Object.keys(all[table] ?? {}).sort()).toEqual([...keys].sort());
      for (const key of keys) {
        const a = r1[table]?.[key] as SketchCell | undefined;
        const b = r2[table]?.[key] as SketchCell | undefined;
        const rollup = all[table]?.[key] as SketchCell;
        expect(rollup.packets).toBe((a?.packets ?? 0) + (b?.packets ?? 0));
        const merged = new SourceSketch();
        for (const c of [a, b])
          if (c) merged.merge(SourceSketch.deserialize(Buffer.from(c.sketch, 'hex')));
        expect(rollup.sources).toBe(Math.round(merged.estimate()));
        expect(rollup.estimate).toBe(rollup.sources);
      }
    }
  });

  it('two files of a day merge to the same aggregates as one file with both, in either order', async () => {
    const [ab, ba, one] = [
      await store.ensureSensor('a-then-b'),
      await store.ensureSensor('b-then-a'),
      await store.ensureSensor('one-file'),
    ];
    const all = synthPackets(20, 6000, { sources: 400 });
    const a = all.slice(0, 2500);
    const b = all.slice(2500);
    expect(await commit('ab-a', a, ab)).toBe('stored');
    expect(await commit('ab-b', b, ab)).toBe('stored');
    expect(await commit('ba-b', b, ba)).toBe('stored');
    expect(await commit('ba-a', a, ba)).toBe('stored');
    expect(await commit('one', all, one)).toBe('stored');
    const dump = await dumpAggregates(db.url);
    const [dab, dba, done] = [sensorRows(dump, ab), sensorRows(dump, ba), sensorRows(dump, one)];

    // Counters and sketches: identical whatever the split and order.
    expect(only(dab, SKETCH_TABLES)).toEqual(only(done, SKETCH_TABLES));
    expect(only(dba, SKETCH_TABLES)).toEqual(only(done, SKETCH_TABLES));

    // Host rows: order does not matter.
    expect(dab.host).toEqual(dba.host);
    // Against one file: exact where the merge is exact; distinctDsts is a lower bound;
    // window/ttl/seq are the heavier side's majority, not the overall one, and their
    // weights that side's packets, at most the totals.
    expect(Object.keys(dab.host ?? {}).sort()).toEqual(Object.keys(done.host ?? {}).sort());
    for (const [key, merged] of Object.entries(dab.host ?? {})) {
      const {
        distinctDsts: d1,
        window: _w1,
        ttl: _t1,
        seq: _s1,
        tcpVoteWeight: tw1,
        ttlVoteWeight: lw1,
        ...rest1
      } = merged as Record<string, number>;
      const {
        distinctDsts: d2,
        window: _w2,
        ttl: _t2,
        seq: _s2,
        tcpVoteWeight: tw2,
        ttlVoteWeight: lw2,
        ...rest2
      } = (done.host?.[key] ?? {}) as Record<string, number>;
      expect(rest1).toEqual(rest2);
      expect(d1).toBeLessThanOrEqual(d2 ?? Number.NaN);
      expect(tw1).toBeLessThanOrEqual(tw2 ?? Number.NaN);
      expect(lw1).toBeLessThanOrEqual(lw2 ?? Number.NaN);
    }
  });

  it('keeps the monthly rollups, daily_port_window and daily_host_port equal to their sources through inserts, merges, updates, deletes', async () => {
    const s1 = await store.ensureSensor('one');
    const s2 = await store.ensureSensor('two');
    // Two days in different months, two sensors,
    // and a second file of the same days: inserts, then merges into stored rows.
    const packets = synthPackets(43, 4000, { sources: 200, days: 2, day: '2024-02-29' });
    expect(await commit('a', packets.slice(0, 1500), s1)).toBe('stored');
    expect(await commit('b', packets.slice(1500), s1)).toBe('stored');
    expect(await commit('c', packets, s2)).toBe('stored');
    expect(await rollupMismatches(db.url)).toEqual([]);
    const months = await getPrisma(db.url).$queryRawUnsafe<{ month: string }[]>(
      'SELECT DISTINCT month FROM monthly_port ORDER BY month',
    );
    expect(months.map((m) => m.month)).toEqual(['2024-02', '2024-03']);
    const p = getPrisma(db.url);
    const portWindows = await p.dailyPortWindow.count();
    expect(portWindows).toBeGreaterThan(0);
    expect(portWindows).toBeLessThan(await p.dailyWindow.count());
    // Writes by hand keep them equal too: a counter changed, a row moved, rows deleted.
    await p.$executeRawUnsafe(
      `UPDATE daily_port SET packets = packets + 5 WHERE sensor_id = ${s1}`,
    );
    await p.$executeRawUnsafe(
      `UPDATE daily_country SET day = '2024-04-01' WHERE day = '2024-03-01' AND sensor_id = ${s2}`,
    );
    await p.$executeRawUnsafe(`DELETE FROM daily_country_port WHERE sensor_id = ${s2}`);
    // daily_port_window sums the rollup's rows (sensor 0) only.
    expect(await p.dailyPortWindow.count({ where: { sensorId: { not: 0 } } })).toBe(0);
    await p.$executeRawUnsafe(
      `UPDATE daily_window SET packets = packets + 3, sources = sources + 1 WHERE sensor_id IN (0, ${s1})`,
    );
    await p.$executeRawUnsafe(
      `UPDATE daily_window SET day = '2024-04-02' WHERE day = '2024-03-01' AND sensor_id IN (0, ${s2})`,
    );
    await p.$executeRawUnsafe(
      `UPDATE daily_window SET sensor_id = 0 WHERE day = '2024-03-01' AND sensor_id = ${s1} AND port % 2 = 0`,
    );
    await p.$executeRawUnsafe(
      `DELETE FROM daily_window WHERE day = '2024-02-29' AND sensor_id = 0`,
    );
    // daily_host_port: one row per kept port of every host row, merges included.
    const hostPorts = await p.dailyHostPort.count();
    expect(hostPorts).toBeGreaterThan(await p.dailyHost.count());
    await p.$executeRawUnsafe(
      `UPDATE daily_host SET packets = packets + 7, country = 'ZZ' WHERE sensor_id = ${s1} AND day = '2024-02-29'`,
    );
    await p.$executeRawUnsafe(
      `UPDATE daily_host SET ports = '{"udp/53": 1}' WHERE sensor_id = ${s2} AND day = '2024-02-29'`,
    );
    await p.$executeRawUnsafe(
      `UPDATE daily_host SET day = '2024-03-02' WHERE sensor_id = ${s2} AND day = '2024-03-01'`,
    );
    await p.$executeRawUnsafe(
      `DELETE FROM daily_host WHERE sensor_id = ${s1} AND day = '2024-03-01'`,
    );
    expect(await rollupMismatches(db.url)).toEqual([]);
    expect(
      await p.dailyHostPort.count({
        where: { sensorId: s2, day: '2024-02-29', port: { not: 'udp/53' } },
      }),
    ).toBe(0);
    expect(
      await p.$queryRawUnsafe(`SELECT * FROM daily_port_window WHERE day = '2024-02-29'`),
    ).toEqual([]);
    expect(
      await p.$queryRawUnsafe(`SELECT * FROM monthly_country_port WHERE sensor_id = ${s2}`),
    ).toEqual([]);
  });

  it('commits a group of files in one call as if one by one, duplicates included', async () => {
    const [grouped, single] = [
      await store.ensureSensor('grouped'),
      await store.ensureSensor('single'),
    ];
    const packets = synthPackets(41, 3000, { sources: 60, days: 2 });
    const parts = [packets.slice(0, 900), packets.slice(900, 2100), packets.slice(2100)];
    const results = await store.commitFiles([
      ...parts.map((p, i) => ({
        entry: ledgerEntryFor(`g${i}`, p),
        sensorId: grouped,
        aggregates: aggregatePackets(p),
      })),
      // The same content again, in the same group: nothing added.
      {
        entry: ledgerEntryFor('g1', parts[1]!),
        sensorId: grouped,
        aggregates: aggregatePackets(parts[1]!),
      },
    ]);
    expect(results).toEqual(['stored', 'stored', 'stored', 'duplicate']);
    for (const [i, p] of parts.entries()) expect(await commit(`s${i}`, p, single)).toBe('stored');
    const dump = await dumpAggregates(db.url);
    expect(Object.keys(sensorRows(dump, grouped).host ?? {}).length).toBeGreaterThan(0);
    expect(sensorRows(dump, grouped)).toEqual(sensorRows(dump, single));
    const ledger = await getPrisma(db.url).ingestedFile.findMany({ where: { sensorId: grouped } });
    expect(ledger.map((f) => f.sha256).sort()).toEqual(['g0', 'g1', 'g2']);
  });

  it('a file read before another row of its path was added is stale on every commit path: nothing written', async () => {
    const sid = await store.ensureSensor('s1');
    const packets = synthPackets(42, 1200, { sources: 40 });
    const [early, late] = [packets.slice(0, 600), packets.slice(600)];
    const capture = '/spool/s1/growing.pcap';
    // The first ingest of the growing file: no row of its path before it.
    const first = { ...ledgerEntryFor('grown-a', early, capture), basedOn: null };
    expect(await store.commitFile(first, sid, aggregatePackets(early))).toBe('stored');
    const firstId = (await store.findFileByPath(capture))!.id;
    const before = await dumpAggregates(db.url);

    // A second run that looked at the ledger before that commit.
    const stale = { ...ledgerEntryFor('grown-b', late, capture), basedOn: null };
    expect(await store.commitFile(stale, sid, aggregatePackets(late))).toBe('stale');
    expect(
      await store.commitFiles([
        { entry: stale, sensorId: sid, aggregates: aggregatePackets(late) },
      ]),
    ).toEqual(['stale']);
    const other = ledgerEntryFor('other', late);
    expect(await store.commitMerged([other, stale], sid, aggregatePackets(late))).toEqual([
      { at: 1, why: 'stale' },
    ]);
    expect(await store.commitMerged([first, stale], sid, aggregatePackets(packets))).toEqual([
      { at: 0, why: 'duplicate' },
      { at: 1, why: 'stale' },
    ]);
    const inParts = await store.beginFile(sid, []);
    await inParts.write(aggregatePackets(late));
    expect(await inParts.commit(stale)).toBe('stale');
    expect(await dumpAggregates(db.url)).toEqual(before);

    // Read again, it is based on the row that is there now.
    const again = { ...stale, basedOn: firstId };
    expect(await store.commitMerged([again], sid, aggregatePackets(late))).toEqual([]);
    expect((await store.findFileByPath(capture))!.sha256).toBe('grown-b');
  });

  it('merges keys repeated within one file', async () => {
    const [split, whole] = [await store.ensureSensor('split'), await store.ensureSensor('whole')];
    const packets = synthPackets(40, 3000, { sources: 50 });
    const a = aggregatePackets(packets.slice(0, 1000));
    const b = aggregatePackets(packets.slice(1000));
    // One file whose rows repeat keys (e.g. two workers' outputs concatenated).
    const concatenated = {
      totals: [...a.totals, ...b.totals],
      ports: [...a.ports, ...b.ports],
      countries: [...a.countries, ...b.countries],
      countryPorts: [...a.countryPorts, ...b.countryPorts],
      windows: [...a.windows, ...b.windows],
      tags: [...a.tags, ...b.tags],
      hosts: [...a.hosts, ...b.hosts],
    };
    expect(await store.commitFile(ledgerEntryFor('cat', packets), split, concatenated)).toBe(
      'stored',
    );
    // The day was new to the rollup too: its rows are the sensor's, repeated keys merged.
    const first = await dumpAggregates(db.url);
    expect(only(sensorRows(first, ROLLUP_SENSOR_ID), SKETCH_TABLES)).toEqual(
      only(sensorRows(first, split), SKETCH_TABLES),
    );
    expect(await commit('a', packets.slice(0, 1000), whole)).toBe('stored');
    expect(await commit('b', packets.slice(1000), whole)).toBe('stored');
    const dump = await dumpAggregates(db.url);
    expect(sensorRows(dump, split)).toEqual(sensorRows(dump, whole));
  });

  it('merges host rows with the merge rules (ports, unknown country)', async () => {
    const sid = await store.ensureSensor('s1');
    const packets = synthPackets(30, 200, { sources: 5 });
    const agg1 = aggregatePackets(packets.slice(0, 100));
    const agg2 = aggregatePackets(packets.slice(100));
    const h1 = [...agg1.hosts][0]!;
    h1.country = 'ZZ';
    const h2 = [...agg2.hosts].find((h) => h.ip === h1.ip)!;
    expect(h2).toBeDefined();
    h2.seq = h1.seq === 0x80000001 ? 0x80000002 : 0x80000001;
    await store.commitFile(ledgerEntryFor('p1', packets.slice(0, 100)), sid, agg1);
    await store.commitFile(ledgerEntryFor('p2', packets.slice(100)), sid, agg2);
    const row = await getPrisma(db.url).dailyHost.findUniqueOrThrow({
      where: { day_sensorId_ip: { day: h1.day, sensorId: sid, ip: h1.ip } },
    });
    expect(row.country).toBe(h2.country);
    expect(Number(row.packets)).toBe(h1.packets + h2.packets);
    const ports = JSON.parse(row.ports) as Record<string, number>;
    for (const [k, v] of Object.entries(h1.ports)) expect(ports[k]).toBe(v + (h2.ports[k] ?? 0));
    expect(row.firstSeen.getTime()).toBe(Math.min(h1.firstSeen.getTime(), h2.firstSeen.getTime()));
    // seq: the value of the side with more TCP packets (merge-rows.ts), which keeps its weight.
    expect(Number(row.seq)).toBe(pickVoted(h1.seq, tcpPackets(h1), h2.seq, tcpPackets(h2)));
    expect(Number(row.tcpVoteWeight)).toBe(Math.max(tcpPackets(h1), tcpPackets(h2)));
    expect(Number(row.ttlVoteWeight)).toBe(Math.max(h1.packets, h2.packets));
  });
});
