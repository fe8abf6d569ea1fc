/**
 * The view queries against real databases (SQLite file and PostgreSQL), seeded with the
 * fixture through the real store; expectations come from plain reference code over the
 * same records.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { SourceSketch } from '@/ingest/aggregate/source-sketch';
import { disconnectPrisma, getPrisma } from '@/lib/db';
import { openSqlite } from '@/lib/db/raw';
import { ENGINES, freshDb, type TestDb } from '@/tests/support/db';
import { ApiError } from '../api/errors';
import { daysOf, previousPeriod } from '../api/period';
import { dataExtent, resolvePeriod, sensorScope } from './db';
import { getHost } from './host';
import { getHosts, type HostsArgs } from './hosts';
import { getMeta } from './meta';
import { monthListsIdle } from './month-host-lists';
import { getPortShare } from './port-share';
import { getSeries } from './series';
import { getShareSeries } from './share-series';
import {
  type FixtureRecord,
  fixtureRecords,
  NZ_BACKSCATTER,
  NZ_SPIKE_PACKETS,
  Q2,
  Q3,
} from './testing/fixture';
import { refCountries, refDaily, refPorts, select } from './testing/reference';
import { seedFixture } from './testing/seed';
import { getTopAsns } from './top-asns';
import { getTopCountries } from './top-countries';
import { getTopPorts } from './top-ports';
import { getTotals } from './totals';

vi.mock('server-only', () => ({}));

const records = fixtureRecords();

/** A host's `seqs`: per (day, sensor) the majority by packets (ties: smaller), weighted by TCP packets. */
function refSeqs(rs: FixtureRecord[]): { value: number; packets: number }[] {
  const rows = new Map<string, { votes: Map<number, number>; tcp: number }>();
  for (const r of rs) {
    if (r.proto !== 'tcp') continue;
    const key = `${r.day}|${r.sensor}`;
    const row = rows.get(key) ?? { votes: new Map<number, number>(), tcp: 0 };
    rows.set(key, row);
    row.votes.set(r.seq, (row.votes.get(r.seq) ?? 0) + r.packets);
    row.tcp += r.packets;
  }
  const weights = new Map<number, number>();
  for (const { votes, tcp } of rows.values()) {
    const [seq] = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
    weights.set(seq, (weights.get(seq) ?? 0) + tcp);
  }
  return [...weights]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([value, packets]) => ({ value, packets }));
}
const all = { ids: [0], names: [], combined: false };

describe.each(ENGINES)('queries on %s', (engine) => {
  let db: TestDb;
  const saved = process.env.DATABASE_URL;

  beforeAll(async () => {
    db = await freshDb(engine);
    await seedFixture(db.url, records);
    process.env.DATABASE_URL = db.url;
  });

  afterAll(async () => {
    await disconnectPrisma(db.url);
    await db.cleanup();
    process.env.DATABASE_URL = saved;
  });

  test('meta: extent, default period (last complete quarter), sensors', async () => {
    expect(await dataExtent()).toEqual({
      from: '2020-04-01',
      to: '2020-09-30',
      months: ['2020-04', '2020-05', '2020-06', '2020-07', '2020-08', '2020-09'],
    });
    const meta = await getMeta();
    expect(meta.defaultPeriod).toEqual(Q3);
    expect(meta.sensors.map((s) => s.name)).toEqual(['osaka-2', 'tokyo-1']);
    expect(meta.sensors.map((s) => s.prefixes)).toEqual([[], []]);
    expect(await resolvePeriod(null)).toEqual(Q3);
    // The sensor picker shows what each sensor monitors (restored: rates depend on it).
    const sensor = getPrisma(db.url).sensor;
    await sensor.update({
      where: { name: 'tokyo-1' },
      data: { prefixes: '192.0.2.0/24,2001:db8:1::/48' },
    });
    try {
      expect((await getMeta()).sensors.map((s) => s.prefixes)).toEqual([
        [],
        ['192.0.2.0/24', '2001:db8:1::/48'],
      ]);
    } finally {
      await sensor.update({ where: { name: 'tokyo-1' }, data: { prefixes: '' } });
    }
  });

  test('sensor scopes: names to ids, unknown names are a 400', async () => {
    const s = await sensorScope(['tokyo-1', 'osaka-2']);
    expect(s.ids).toHaveLength(2);
    expect(s.combined).toBe(true);
    await expect(sensorScope(['nope'])).rejects.toMatchObject({
      status: 400,
      parameter: 'sensors',
    });
  });

  test('top ports: scenario ranks, previous ranks, merged distinct sources', async () => {
    const top = await getTopPorts({ period: Q3, limit: 5, scope: all });
    const ref = refPorts(records, { period: Q3 });
    const prev = refPorts(records, { period: Q2 }).map((r) => r.key);
    expect(top.map((r) => `${r.port}/${r.proto}`)).toEqual([
      '445/tcp',
      '23/tcp',
      '1433/tcp',
      '22/tcp',
      '80/tcp',
    ]);
    expect(top).toEqual(
      ref.slice(0, 5).map((r, i) => {
        const [port, proto] = r.key.split('/');
        return {
          proto,
          port: Number(port),
          packets: r.packets,
          sources: r.sources,
          rank: i + 1,
          previousRank: prev.indexOf(r.key) + 1 || null,
        };
      }),
    );
    // ranks 1<->2 and 4<->5 swapped against Q2
    expect(top.map((r) => r.previousRank)).toEqual([2, 1, 3, 5, 4]);
    // sources over the quarter are not the sum of daily counts
    const daily = refDaily(
      records,
      { period: Q3, port: { proto: 'tcp', port: 445 } },
      'sources',
    ).get('total')!;
    expect(top[0]!.sources).toBeLessThan(daily.reduce((a, b) => a + b, 0));
  });

  test('top ports of a country and of chosen sensors', async () => {
    const ru = await getTopPorts({ period: Q3, limit: 3, country: 'RU', scope: all });
    expect(ru.map((r) => r.port)).toEqual([22, 3389, 23]);
    const scope = await sensorScope(['tokyo-1']);
    const tokyo = await getTopPorts({ period: Q3, limit: 3, scope });
    const ref = refPorts(records, { period: Q3, sensors: ['tokyo-1'] });
    expect(tokyo.map((r) => [`${r.port}/${r.proto}`, r.packets, r.sources])).toEqual(
      ref.slice(0, 3).map((r) => [r.key, r.packets, r.sources]),
    );
  });

  test('top countries: scenario moves (Germany climbs, ZZ never ranked)', async () => {
    const top = await getTopCountries({ period: Q3, limit: 20, scope: all });
    const ref = refCountries(records, { period: Q3 });
    const prev = refCountries(records, { period: Q2 }).map((r) => r.key);
    expect(top.map((r) => [r.country, r.packets, r.sources])).toEqual(
      ref.map((r) => [r.key, r.packets, r.sources]),
    );
    expect(top.slice(0, 5).map((r) => r.country)).toEqual(['US', 'RU', 'CN', 'NL', 'DE']);
    expect(top.slice(0, 5).map((r) => r.previousRank)).toEqual([2, 1, 4, 3, 9]);
    expect(top.map((r) => r.previousRank)).toEqual(
      top.map((r) => prev.indexOf(r.country) + 1 || null),
    );
    expect(top.some((r) => r.country === 'ZZ')).toBe(false);
    const for22 = await getTopCountries({
      period: Q3,
      limit: 1,
      port: { proto: 'tcp', port: 22 },
      scope: all,
    });
    expect(for22[0]!.country).toBe('RU');
  });

  test('previous period of an arbitrary range is the same number of days before', async () => {
    const top = await getTopCountries({
      period: { from: '2020-08-31', to: '2020-08-31' },
      limit: 20,
      scope: all,
    });
    const nz = top.find((r) => r.country === 'NZ')!;
    // 2020-08-30 (the day before) also had NZ backscatter
    expect(nz.previousRank).not.toBeNull();
  });

  test('port rankings by threshold equal the GROUP BY (tops and previous ranks)', async () => {
    const periods = [
      { from: '2020-04-01', to: '2020-09-30' },
      { from: '2020-07-15', to: '2020-09-10' },
      { from: '2020-06-30', to: '2020-08-01' },
      { from: '2020-08-03', to: '2020-08-20' },
      { from: '2020-08-31', to: '2020-08-31' },
    ];
    const scopes = [all, await sensorScope(['tokyo-1', 'osaka-2'])];
    const paths = new Set<string>();
    for (const period of periods) {
      for (const scope of scopes) {
        for (const limit of [1, 3, 8, 25]) {
          for (const country of [undefined, 'RU', 'JP']) {
            const args = { period, limit, country, scope };
            const byThreshold = await getTopPorts(args, { onPath: (p) => paths.add(p) });
            const grouped = await getTopPorts(args, { groupBy: true });
            expect(byThreshold, JSON.stringify(args)).toEqual(grouped);
          }
        }
      }
    }
    // Both ways were taken (the fixture has periods with fewer ports than asked for).
    expect([...paths].sort()).toEqual(['group-by', 'threshold']);
  });

  test('month sketches: kept on first use, read back, made again when a file adds to the month', async () => {
    const p = getPrisma(db.url);
    await p.monthSketch.deleteMany();
    const ref = refCountries(records, { period: Q3 }).slice(0, 5);
    const want = ref.map((r) => [r.key, r.sources]);
    const ask = async () =>
      (await getTopCountries({ period: Q3, limit: 5, scope: all })).map((r) => [
        r.country,
        r.sources,
      ]);
    expect(await ask()).toEqual(want);
    const kept = await p.monthSketch.findMany({ where: { kind: 'country', sensorId: 0 } });
    expect(kept.map((r) => `${r.month} ${r.key}`).sort()).toEqual(
      ['2020-07', '2020-08', '2020-09'].flatMap((m) => ref.map((r) => `${m} ${r.key}`)).sort(),
    );
    // Read back: emptied kept sketches (same total) change the answer...
    if (engine === 'sqlite') {
      // An ingest holding the write lock: the answer comes at once, nothing is kept, and
      // nothing waits (the server's one thread would wait with it).
      await p.monthSketch.deleteMany();
      const writer = openSqlite(db.url);
      writer.prepare('BEGIN IMMEDIATE').run();
      try {
        const t = performance.now();
        expect(await ask()).toEqual(want);
        expect(performance.now() - t).toBeLessThan(2000);
      } finally {
        writer.prepare('ROLLBACK').run();
        writer.close();
      }
      expect(await p.monthSketch.count()).toBe(0);
      expect(await ask()).toEqual(want);
      expect(await p.monthSketch.count()).toBe(kept.length);
    }
    const top = ref[0]!.key;
    const empty = Buffer.from(new SourceSketch().serialize());
    await p.monthSketch.updateMany({ where: { key: top }, data: { sketch: empty } });
    expect((await ask())[0]).toEqual([top, 0]);
    // ...until a file adds packets to a month: that month's merge is made again.
    const day = await p.dailyTotal.findFirstOrThrow({
      where: { sensorId: 0, day: { gte: '2020-08-01', lte: '2020-08-31' } },
    });
    await p.dailyTotal.update({
      where: { day_sensorId: { day: day.day, sensorId: 0 } },
      data: { packets: day.packets + 1n },
    });
    expect((await ask())[0]![1]).toBeGreaterThan(0);
    const after = await p.monthSketch.findMany({ where: { kind: 'country', key: top } });
    const made = after.filter((r) => r.month === '2020-08');
    const august = await p.dailyTotal.aggregate({
      _sum: { packets: true },
      where: { sensorId: 0, day: { gte: '2020-08-01', lte: '2020-08-31' } },
    });
    expect(made.map((r) => [r.total, Buffer.from(r.sketch).equals(empty)])).toEqual([
      [august._sum.packets, false],
    ]);
    // the other months were left as they were (still emptied, their totals unchanged)
    expect(
      after.filter((r) => r.month !== '2020-08').every((r) => Buffer.from(r.sketch).equals(empty)),
    ).toBe(true);
    await p.monthSketch.deleteMany({ where: { key: top } });
    expect(await ask()).toEqual(want);
    await p.dailyTotal.update({
      where: { day_sensorId: { day: day.day, sensorId: 0 } },
      data: { packets: day.packets },
    });
    expect(await ask()).toEqual(want);
  });

  test('rankings add whole months from the rollups and the days around them', async () => {
    const periods = [
      { from: '2020-04-01', to: '2020-09-30' }, // six whole months
      { from: '2020-07-15', to: '2020-09-10' }, // days, August, days
      { from: '2020-06-30', to: '2020-08-01' }, // a day, July, a day
      { from: '2020-08-03', to: '2020-08-20' }, // days only
    ];
    const key = (r: { port: number; proto: string }) => `${r.port}/${r.proto}`;
    for (const period of periods) {
      const prev = previousPeriod(period);
      const ports = await getTopPorts({ period, limit: 8, scope: all });
      const refP = refPorts(records, { period });
      const prevP = refPorts(records, { period: prev }).map((r) => r.key);
      expect(ports.map((r) => [key(r), r.packets, r.sources, r.previousRank])).toEqual(
        refP
          .slice(0, 8)
          .map((r) => [r.key, r.packets, r.sources, prevP.indexOf(r.key) + 1 || null]),
      );
      const ru = await getTopPorts({ period, limit: 5, country: 'RU', scope: all });
      expect(ru.map((r) => [key(r), r.packets])).toEqual(
        refPorts(records, { period, country: 'RU' })
          .slice(0, 5)
          .map((r) => [r.key, r.packets]),
      );
      const countries = await getTopCountries({ period, limit: 10, scope: all });
      const prevC = refCountries(records, { period: prev }).map((r) => r.key);
      expect(countries.map((r) => [r.country, r.packets, r.sources, r.previousRank])).toEqual(
        refCountries(records, { period })
          .slice(0, 10)
          .map((r) => [r.key, r.packets, r.sources, prevC.indexOf(r.key) + 1 || null]),
      );
      const port = { proto: 'tcp', port: 445 } as const;
      const for445 = await getTopCountries({ period, limit: 5, port, scope: all });
      expect(for445.map((r) => [r.country, r.packets])).toEqual(
        refCountries(records, { period, port })
          .slice(0, 5)
          .map((r) => [r.key, r.packets]),
      );
    }
  });

  test('series: total, per port, per country; packets and sources; zero-filled days', async () => {
    const p = { period: Q3, metric: 'packets' as const, limit: 5, scope: all };
    const total = await getSeries(p);
    expect(total.days).toEqual(daysOf(Q3));
    expect(total.series.map((s) => s.name)).toEqual(['total']);
    expect(total.series[0]!.values).toEqual(
      refDaily(records, { period: Q3 }, 'packets').get('total'),
    );
    expect(total.series[0]!.values[0]).toBe(0); // 2020-07-01 has no data

    const jp445 = await getSeries({
      ...p,
      metric: 'sources',
      country: 'JP',
      port: { proto: 'tcp', port: 445 },
    });
    expect(jp445.series[0]!.values).toEqual(
      refDaily(
        records,
        { period: Q3, country: 'JP', port: { proto: 'tcp', port: 445 } },
        'sources',
      ).get('total'),
    );

    const byPort = await getSeries({ ...p, split: 'port', limit: 2 });
    expect(byPort.series.map((s) => s.name)).toEqual(['445/tcp', '23/tcp']);
    const ref23 = refDaily(
      records,
      { period: Q3, port: { proto: 'tcp', port: 23 } },
      'packets',
    ).get('total');
    expect(byPort.series[1]!.values).toEqual(ref23);

    const chosen = await getSeries({
      ...p,
      split: 'port',
      metric: 'sources',
      ports: [
        { proto: 'tcp', port: 22 },
        { proto: 'udp', port: 53 },
      ],
    });
    expect(chosen.series.map((s) => s.name)).toEqual(['22/tcp', '53/udp']);
    expect(chosen.series[0]!.values).toEqual(
      refDaily(records, { period: Q3, port: { proto: 'tcp', port: 22 } }, 'sources').get('total'),
    );

    const byCountry = await getSeries({ ...p, split: 'country', countries: ['NZ', 'RU'] });
    expect(byCountry.series.map((s) => s.name)).toEqual(['NZ', 'RU']);
    const nz = byCountry.series[0]!.values;
    const spike = daysOf(Q3).indexOf('2020-08-31');
    expect(nz[spike]).toBeGreaterThan(10 * (nz[daysOf(Q3).indexOf('2020-07-07')] ?? 1));
  });

  test('series across two sensors merges sketches (hosts seen by both count once)', async () => {
    const scope = await sensorScope(['tokyo-1', 'osaka-2']);
    const s = await getSeries({ period: Q3, metric: 'sources', limit: 5, scope, country: 'US' });
    expect(s.series[0]!.values).toEqual(
      refDaily(records, { period: Q3, country: 'US' }, 'sources').get('total'),
    );
    const one = await getSeries({
      period: Q3,
      metric: 'sources',
      limit: 5,
      scope: all,
      country: 'US',
    });
    expect(one.series[0]!.values).toEqual(s.series[0]!.values);
  });

  test('split=window: largest windows plus "other" (the smaller windows\' hosts summed)', async () => {
    const port = { proto: 'tcp' as const, port: 445 };
    /** Per window distinct hosts, the windows outside `named` added up as "other". */
    const refWindows = (f: Parameters<typeof refDaily>[1], named: string[]) => {
      const perWindow = refDaily(records, f, 'sources', (r) => String(r.window));
      const other = daysOf(Q3).map(() => 0);
      for (const [w, values] of perWindow) {
        if (named.includes(w)) continue;
        for (const [i, v] of values.entries()) other[i]! += v;
      }
      return { perWindow, other };
    };
    const s = await getSeries({
      period: Q3,
      metric: 'sources',
      port,
      country: 'JP',
      split: 'window',
      limit: 1,
      scope: all,
    });
    expect(s.series.map((x) => x.name)).toEqual(['8192', 'other']);
    const ref = refWindows({ period: Q3, port, country: 'JP' }, ['8192']);
    expect(s.series[0]!.values).toEqual(ref.perWindow.get('8192'));
    expect(s.series[1]!.values).toEqual(ref.other);
    expect(s.series[1]!.values.some((v) => v > 0)).toBe(true);
    // the 8192 host count grows through the quarter
    const v = s.series[0]!.values.filter((x) => x > 0);
    expect(v[v.length - 1]!).toBeGreaterThan(v[0]!);

    // All countries: read from daily_port_window (countries summed by triggers).
    const world = await getSeries({
      period: Q3,
      metric: 'sources',
      port,
      split: 'window',
      limit: 2,
      scope: all,
    });
    expect(world.series).toHaveLength(3);
    const named = world.series.slice(0, 2).map((x) => x.name);
    const refWorld = refWindows({ period: Q3, port }, named);
    for (const x of world.series.slice(0, 2))
      expect(x.values).toEqual(refWorld.perWindow.get(x.name));
    expect(world.series[2]!.values).toEqual(refWorld.other);
    // Both sensors picked: the per-country sketches merged per (day, window), same answer.
    const both = await getSeries({
      period: Q3,
      metric: 'sources',
      port,
      split: 'window',
      limit: 2,
      scope: await sensorScope(['tokyo-1', 'osaka-2']),
    });
    expect(both).toEqual(world);

    const packets = await getSeries({
      period: Q3,
      metric: 'packets',
      port,
      split: 'window',
      limit: 2,
      scope: all,
    });
    expect(packets.series.map((x) => x.name)).toHaveLength(3);
    const refP = refDaily(records, { period: Q3, port }, 'packets', (r) => String(r.window));
    expect(packets.series[0]!.values).toEqual(refP.get(packets.series[0]!.name));
  });

  test('split=class and split=fingerprint from daily_tag', async () => {
    const cls = await getSeries({
      period: Q3,
      metric: 'packets',
      split: 'class',
      limit: 5,
      scope: all,
      port: { proto: 'tcp', port: 443 },
    });
    expect(cls.series.map((s) => s.name)).toEqual(['scan', 'backscatter']);
    const bs = cls.series[1]!.values;
    expect(bs[daysOf(Q3).indexOf('2020-08-31')]).toBe(7 * NZ_SPIKE_PACKETS);
    const fp = await getSeries({
      period: Q3,
      metric: 'sources',
      split: 'fingerprint',
      limit: 5,
      scope: all,
    });
    expect(fp.series.map((s) => s.name).sort()).toEqual(['large-scale-scanner', 'mirai']);
    const ref = refDaily(records, { period: Q3 }, 'sources', (r) =>
      r.fps.includes('mirai') ? 'mirai' : null,
    );
    expect(fp.series.find((s) => s.name === 'mirai')!.values).toEqual(ref.get('mirai'));
  });

  test('totals: period and previous period, distinct sources merged over days', async () => {
    const t = await getTotals({ period: Q3, scope: all });
    const q3 = select(records, { period: Q3 });
    const q2 = select(records, { period: Q2 });
    expect(t.packets).toBe(q3.reduce((a, r) => a + r.packets, 0));
    expect(t.sources).toBe(new Set(q3.map((r) => r.ip)).size);
    expect(t.previousPackets).toBe(q2.reduce((a, r) => a + r.packets, 0));
    expect(t.previousSources).toBe(new Set(q2.map((r) => r.ip)).size);
    expect(t.previous).toEqual(Q2);
    expect(t.dailyPackets).toEqual(refDaily(records, { period: Q3 }, 'packets').get('total'));
  });

  test('hosts: the NZ sources of 2020-08-31 with AS organisations, ports, class', async () => {
    const day = { from: '2020-08-31', to: '2020-08-31' };
    const hosts = await getHosts({ period: day, country: 'NZ', limit: 50, scope: all });
    const spike = NZ_BACKSCATTER.find((s) => s.day === '2020-08-31')!;
    const bank = hosts.filter((h) => h.asOrg === spike.asOrg);
    expect(bank).toHaveLength(7);
    expect(hosts[0]).toMatchObject({
      country: 'NZ',
      asn: spike.asn,
      packets: NZ_SPIKE_PACKETS + 50,
      class: 'backscatter',
      ports: [
        { port: '443/tcp', packets: NZ_SPIKE_PACKETS },
        { port: '23/tcp', packets: 50 },
      ],
      firstSeen: '2020-08-31T06:00:00.000Z',
      lastSeen: '2020-08-31T07:59:59.000Z',
      // The bank's fixed SYN-ACK sequence number, past 2^31 (a BIGINT column).
      seq: spike.seq,
    });
    expect(spike.seq).toBeGreaterThan(0x7fffffff);
    expect(bank.map((h) => h.seq)).toEqual(bank.map(() => spike.seq));
    const backscatter = await getHosts({
      period: day,
      country: 'NZ',
      class: 'backscatter',
      limit: 50,
      scope: all,
    });
    expect(backscatter.map((h) => h.ip).sort()).toEqual(bank.map((h) => h.ip).sort());
    const scanners = await getHosts({
      period: day,
      country: 'NZ',
      class: 'scan',
      limit: 50,
      scope: all,
    });
    expect(scanners.every((h) => h.class === 'scan' && h.asOrg !== spike.asOrg)).toBe(true);
  });

  test('hosts: filters by port, AS, prefix; ranked by packets', async () => {
    const byPort = await getHosts({
      period: Q3,
      port: { proto: 'tcp', port: 3389 },
      limit: 1000,
      scope: all,
    });
    const ref = new Set(
      select(records, { period: Q3, port: { proto: 'tcp', port: 3389 } }).map((r) => r.ip),
    );
    expect(new Set(byPort.map((h) => h.ip))).toEqual(ref);
    expect(byPort.map((h) => h.packets)).toEqual(
      [...byPort.map((h) => h.packets)].sort((a, b) => b - a),
    );
    const asn = await getHosts({ period: Q3, asn: 4713, limit: 1000, scope: all });
    expect(asn.length).toBeGreaterThan(0);
    expect(asn.every((h) => h.country === 'JP')).toBe(true);
    const prefix = await getHosts({
      period: Q3,
      prefix: { likes: ['202.50.30.%'], label: '202.50.30.0/24' },
      limit: 1000,
      scope: all,
    });
    expect(prefix.map((h) => h.ip).sort()).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((i) => `202.50.30.${i}`).sort(),
    );
  });

  test('hosts: the threshold ranking equals adding up every row, ties and filters included', async () => {
    const tokyo = await sensorScope(['tokyo-1']);
    // The /16 of the busiest 445/tcp source, for a port and a prefix together.
    const [first] = await getHosts({
      period: Q3,
      port: { proto: 'tcp', port: 445 },
      limit: 1,
      scope: all,
    });
    const net16 = first!.ip.split('.').slice(0, 2).join('.');
    const slices: Omit<HostsArgs, 'limit'>[] = [
      { period: Q3, scope: all },
      { period: Q3, scope: tokyo },
      { period: { from: '2020-08-25', to: '2020-09-01' }, scope: all },
      { period: Q3, country: 'NZ', scope: all },
      { period: Q3, port: { proto: 'tcp', port: 445 }, scope: all },
      // A port's lists come from daily_host_port, with the other filters on it too.
      { period: Q3, port: { proto: 'tcp', port: 445 }, scope: tokyo },
      { period: Q3, port: { proto: 'tcp', port: 3389 }, class: 'scan', scope: all },
      { period: Q3, port: { proto: 'tcp', port: 23 }, country: 'CN', scope: all },
      { period: Q3, port: { proto: 'tcp', port: 23 }, asn: 4134, scope: all },
      {
        period: Q3,
        port: { proto: 'tcp', port: 445 },
        prefix: { likes: [`${net16}.%`], label: `${net16}.0.0/16` },
        scope: all,
      },
      { period: Q3, class: 'backscatter', scope: all },
      { period: Q3, class: 'scan', scope: all },
      { period: { from: '2020-04-01', to: '2020-09-30' }, class: 'other', scope: all },
    ];
    let compared = 0;
    let portCompared = 0;
    for (const slice of slices) {
      for (const limit of [1, 5, 40]) {
        const args = { ...slice, limit };
        const scanned = await getHosts(args, { groupBy: true });
        if (slice.port) portCompared += scanned.length;
        expect(await getHosts(args, { startDepth: 1 })).toEqual(scanned);
        // Rounds that read deeper instead of summing their candidates: the same answer.
        expect(await getHosts(args, { startDepth: 1, candidateBudget: 0 })).toEqual(scanned);
        if (slice.port) {
          expect(await getHosts(args, { startDepth: 1, portLists: false })).toEqual(scanned);
        }
        expect(await getHosts(args)).toEqual(scanned);
        compared += scanned.length;
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(portCompared).toBeGreaterThan(150);
  });

  test('hosts: month lists, shallow or deep, with days around them, equal adding up every row', async () => {
    const tokyo = await sensorScope(['tokyo-1']);
    const clearLists = () => getPrisma(db.url).$executeRawUnsafe('DELETE FROM month_host_list');
    const slices: Omit<HostsArgs, 'limit'>[] = [
      { period: Q3, scope: all },
      { period: Q3, scope: tokyo },
      { period: { from: '2020-07-15', to: '2020-09-30' }, scope: all },
      { period: { from: '2020-06-20', to: '2020-08-10' }, country: 'NZ', scope: all },
      {
        period: { from: '2020-04-01', to: '2020-09-30' },
        port: { proto: 'tcp', port: 445 },
        scope: all,
      },
      { period: Q3, port: { proto: 'tcp', port: 23 }, country: 'CN', scope: all },
      { period: Q3, class: 'backscatter', scope: all },
      {
        period: { from: '2020-05-31', to: '2020-09-01' },
        prefix: { likes: ['202.50.30.%'], label: '202.50.30.0/24' },
        scope: all,
      },
    ];
    let compared = 0;
    for (const slice of slices) {
      for (const limit of [1, 5, 40]) {
        const args = { ...slice, limit };
        const scanned = await getHosts(args, { groupBy: true });
        // Lists of 1 and 3 hosts bound little (the ranking falls back to the days), 40
        // rarely; each made afresh and then read back as kept.
        for (const depth of [1, 3, 40]) {
          await clearLists();
          expect(await getHosts(args, { monthLists: { depth } })).toEqual(scanned);
          expect(await getHosts(args, { monthLists: { depth }, startDepth: 1 })).toEqual(scanned);
        }
        compared += scanned.length;
      }
    }
    expect(compared).toBeGreaterThan(100);
    const kept = await getPrisma(db.url).$queryRawUnsafe<{ n: unknown }[]>(
      'SELECT COUNT(*) AS n FROM month_host_list',
    );
    expect(Number(kept[0]!.n)).toBeGreaterThan(0);
  });

  test('hosts: month lists too shallow to decide are made deeper, in the request', async () => {
    const prisma = getPrisma(db.url);
    const depths = async () =>
      (
        await prisma.$queryRawUnsafe<{ depth: unknown }[]>(
          `SELECT DISTINCT depth FROM month_host_list WHERE kind = 'hosts' ORDER BY depth`,
        )
      ).map((r) => Number(r.depth));
    const args = { period: Q3, limit: 5, scope: all };
    const scanned = await getHosts(args, { groupBy: true });
    // Lists of one host bound the quarter by three months' largest host: not decisive.
    await prisma.$executeRawUnsafe('DELETE FROM month_host_list');
    const shallow = { monthLists: { depth: 1, background: true } };
    // A production server: the first ranking reads the days and leaves lists of one host...
    expect(await getHosts(args, shallow)).toEqual(scanned);
    await monthListsIdle();
    expect(await depths()).toEqual([1]);
    // ...which the next one finds too shallow: it makes deeper lists (4 or 16 hosts) then,
    // not in the background, and ranks from them.
    expect(await getHosts(args, shallow)).toEqual(scanned);
    const deeper = await depths();
    expect(deeper.length).toBe(1);
    expect([4, 16]).toContain(deeper[0]);
    // Kept, they serve the shallower ranking as they are.
    expect(await getHosts(args, shallow)).toEqual(scanned);
    await monthListsIdle();
    expect(await depths()).toEqual(deeper);
  });

  test('hosts: a kept month list is read while its month is unchanged, remade once it changed', async () => {
    const prisma = getPrisma(db.url);
    const args = { period: Q3, limit: 5, scope: all };
    const scanned = await getHosts(args, { groupBy: true });
    await prisma.$executeRawUnsafe('DELETE FROM month_host_list');
    expect(await getHosts(args)).toEqual(scanned);
    // Doctored lists that still carry their months' totals are believed: empty and
    // complete, they say the quarter had no hosts...
    await prisma.$executeRawUnsafe(`UPDATE month_host_list SET hosts = '[]', depth = 1000`);
    expect(await getHosts(args)).toEqual([]);
    // ...and lists whose totals are not their months' any more are made again.
    await prisma.$executeRawUnsafe('UPDATE month_host_list SET total = total + 1');
    expect(await getHosts(args)).toEqual(scanned);
    const lists = await prisma.$queryRawUnsafe<{ hosts: string }[]>(
      `SELECT hosts FROM month_host_list WHERE kind = 'hosts'`,
    );
    expect(lists.length).toBe(3);
    for (const l of lists) expect(JSON.parse(l.hosts).length).toBeGreaterThan(0);
  });

  test('hosts: missing month lists are made after the ranking when asked to, once', async () => {
    const prisma = getPrisma(db.url);
    await prisma.$executeRawUnsafe('DELETE FROM month_host_list');
    const args = {
      period: { from: '2020-06-10', to: '2020-09-30' },
      country: 'NZ',
      limit: 5,
      scope: all,
    };
    const scanned = await getHosts(args, { groupBy: true });
    const later = { monthLists: { depth: 3, background: true } };
    // Ranked from the days; the lists of July to September come afterwards.
    expect(await getHosts(args, later)).toEqual(scanned);
    await monthListsIdle();
    const made = await prisma.$queryRawUnsafe<{ month: string }[]>(
      'SELECT month FROM month_host_list ORDER BY month',
    );
    expect(made.map((r) => r.month)).toEqual(['2020-07', '2020-08', '2020-09']);
    expect(await getHosts(args, later)).toEqual(scanned);
    await monthListsIdle();
    const again = await prisma.$queryRawUnsafe<{ n: unknown }[]>(
      'SELECT COUNT(*) AS n FROM month_host_list',
    );
    expect(Number(again[0]!.n)).toBe(3);
  });

  test('hosts: a long period makes its missing month lists before the ranking, not after', async () => {
    const prisma = getPrisma(db.url);
    await prisma.$executeRawUnsafe('DELETE FROM month_host_list');
    const args = { period: { from: '2020-04-01', to: '2020-09-30' }, limit: 5, scope: all };
    const scanned = await getHosts(args, { groupBy: true });
    expect(await getHosts(args, { monthLists: { depth: 40, background: true } })).toEqual(scanned);
    // Six months without lists: made during the request, nothing queued.
    const made = await prisma.$queryRawUnsafe<{ month: string }[]>(
      `SELECT month FROM month_host_list WHERE kind = 'hosts' ORDER BY month`,
    );
    expect(made.map((r) => r.month)).toEqual([
      '2020-04',
      '2020-05',
      '2020-06',
      '2020-07',
      '2020-08',
      '2020-09',
    ]);
    await monthListsIdle();
  });

  // SQLite only: its one write lock is what an ingest commit holds for minutes.
  if (engine === 'sqlite') {
    test('hosts: a month list the database refuses (write lock held) is kept in memory', async () => {
      const prisma = getPrisma(db.url);
      await prisma.$executeRawUnsafe('DELETE FROM month_host_list');
      const args = { period: Q3, country: 'US', limit: 5, scope: all };
      const scanned = await getHosts(args, { groupBy: true });
      const locker = openSqlite(db.url);
      locker.exec('BEGIN IMMEDIATE');
      try {
        expect(await getHosts(args, { monthLists: { depth: 3 } })).toEqual(scanned);
        const none = await prisma.$queryRawUnsafe<{ n: unknown }[]>(
          'SELECT COUNT(*) AS n FROM month_host_list',
        );
        expect(Number(none[0]!.n)).toBe(0);
      } finally {
        locker.exec('ROLLBACK');
        locker.close();
      }
      // Served from memory: nothing is missing, so nothing is queued to be made (had
      // it been, the drained queue would have written the three lists).
      expect(await getHosts(args, { monthLists: { depth: 3, background: true } })).toEqual(scanned);
      await monthListsIdle();
      const still = await prisma.$queryRawUnsafe<{ n: unknown }[]>(
        'SELECT COUNT(*) AS n FROM month_host_list',
      );
      expect(Number(still[0]!.n)).toBe(0);
    });
  }

  test('host detail: days, flags, window, sensors; unknown host is a 404', async () => {
    const h = await getHost({ ip: '202.50.30.1', period: null, scope: all });
    expect(h).toMatchObject({
      country: 'NZ',
      asn: 64602,
      packets: NZ_SPIKE_PACKETS + 50,
      class: 'backscatter',
      days: [{ day: '2020-08-31', packets: NZ_SPIKE_PACKETS + 50 }],
      flags: { synAck: NZ_SPIKE_PACKETS, rst: 50, syn: 0 },
      windows: [{ value: 29200, packets: NZ_SPIKE_PACKETS + 50 }],
      // The SYN-ACKs' fixed sequence number wins the day's vote over the RSTs' 0.
      seq: 0x9e3779b9,
      seqs: [{ value: 0x9e3779b9, packets: NZ_SPIKE_PACKETS + 50 }],
      sensors: [{ name: 'tokyo-1', packets: NZ_SPIKE_PACKETS + 50 }],
      period: { from: '2020-08-31', to: '2020-08-31' },
    });
    const busy = records.find((r) => r.country === 'US')!.ip;
    const us = await getHost({ ip: busy, period: Q3, scope: all });
    const mine = select(records, { period: Q3 }).filter((r) => r.ip === busy);
    expect(us.packets).toBe(mine.reduce((a, r) => a + r.packets, 0));
    expect(us.sensors.map((s) => s.name).sort()).toEqual(
      [...new Set(mine.map((r) => r.sensor))].sort(),
    );
    // Sequence numbers: each (day, sensor) row's majority, weighted by its TCP packets.
    expect(us.seqs).toEqual(refSeqs(mine));
    expect(us.seq).toBe(us.seqs[0]?.value ?? -1);
    expect(us.seqs.length).toBeGreaterThan(1);
    await expect(getHost({ ip: '192.0.2.1', period: null, scope: all })).rejects.toBeInstanceOf(
      ApiError,
    );
  });

  test('AS organisations of a country, with exact host counts', async () => {
    const asns = await getTopAsns({
      period: { from: '2020-08-26', to: '2020-09-02' },
      country: 'NZ',
      limit: 5,
      scope: all,
    });
    expect(asns[0]).toMatchObject({ asn: 64602, asOrg: 'EXAMPLEBANK-NZ Example Bank', hosts: 7 });
    expect(asns.find((a) => a.asn === 64601)).toMatchObject({ hosts: 4 });
  });

  test("AS organisations of a port equal the sums of that port's hosts", async () => {
    for (const slice of [
      { period: Q3, port: { proto: 'tcp' as const, port: 445 }, scope: all },
      { period: Q3, port: { proto: 'tcp' as const, port: 23 }, country: 'CN', scope: all },
    ]) {
      const hosts = await getHosts({ ...slice, limit: 100_000 }, { groupBy: true });
      const byAsn = new Map<number, { asOrg: string; packets: number; hosts: number }>();
      for (const h of hosts) {
        const a = byAsn.get(h.asn) ?? { asOrg: h.asOrg, packets: 0, hosts: 0 };
        a.packets += h.packets;
        a.hosts += 1;
        byAsn.set(h.asn, a);
      }
      const ref = [...byAsn]
        .map(([asn, a]) => ({ asn, ...a }))
        .sort((x, y) => y.packets - x.packets || x.asn - y.asn)
        .slice(0, 5);
      expect(ref.length).toBeGreaterThan(slice.country ? 0 : 1);
      expect(await getTopAsns({ ...slice, limit: 5 })).toEqual(ref);
    }
  });

  test("Russia's port mix against the rest of the world", async () => {
    const share = await getPortShare({ period: Q3, country: 'RU', limit: 3, scope: all });
    expect(share.map((s) => s.port)).toEqual([22, 3389, 23]);
    for (const s of share.slice(0, 2)) expect(s.share - s.restShare).toBeGreaterThan(10);
    const ru = select(records, { period: Q3, country: 'RU' });
    const ru22 = ru.filter((r) => r.port === 22).reduce((a, r) => a + r.packets, 0);
    expect(share[0]!.packets).toBe(ru22);
    expect(share[0]!.share).toBeCloseTo((100 * ru22) / ru.reduce((a, r) => a + r.packets, 0), 6);

    const series = await getShareSeries({
      period: Q3,
      country: 'RU',
      port: { proto: 'tcp', port: 22 },
      scope: all,
    });
    expect(series.series.map((s) => s.name)).toEqual(['RU', 'rest of world']);
    const i = daysOf(Q3).indexOf('2020-07-07');
    expect(series.series[0]!.values[i]!).toBeGreaterThan(series.series[1]!.values[i]! + 10);
  });
});
