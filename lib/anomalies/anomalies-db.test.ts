/**
 * The detectors' SQL and the anomaly store on both engines (SQLite file and PostgreSQL),
 * against the small web fixture (a few days of 2020 with the NZ backscatter days).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays, daysOf } from '@/lib/api/period';
import { disconnectPrisma, getPrisma } from '@/lib/db';
import { NZ_BACKSCATTER, SENSOR_ADDRESSES, SENSORS } from '@/lib/queries/testing/fixture';
import { seedFixture } from '@/lib/queries/testing/seed';
import { ENGINES, freshDb, type TestDb } from '@/tests/support/db';
import { Prisma } from '../../generated/prisma-sqlite/client';
import { detectDaily, detectPeriod, HISTORY_DAYS, OUTAGE_BRIDGE_DAYS } from './detect';
import { anomalyId } from './id';
import { loadTableSeries, loadTotals, num, q, ROLLUP, telescopeSize } from './load';
import { SERIES_PARAMS } from './params';
import { detectPending, detectPresetPeriods, ensureDetected, staleDays } from './run';
import { listStored, periodScope, saveDaily, setReview } from './store';
import type { Anomaly } from './types';

const Q3 = { from: '2020-07-01', to: '2020-09-30' };

describe.each(ENGINES)('anomaly detection and store on %s', (engine) => {
  let db: TestDb;

  beforeAll(async () => {
    db = await freshDb(engine);
    await seedFixture(db.url);
  });

  afterAll(async () => {
    await disconnectPrisma(db.url);
    await db.cleanup();
  });

  /**
   * A ledger row for a file ingested now (after every scan so far) adding to `days`, with
   * its capture span, or none.
   */
  const lateFile = async (sha256: string, days: string, span: [string, string] | null) => {
    const prisma = getPrisma(db.url);
    const [sensor] = await prisma.sensor.findMany({ where: { name: SENSORS[0] } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await prisma.ingestedFile.create({
      data: {
        sha256,
        path: `late/${sha256}.pcap`,
        size: 100n,
        sensorId: sensor!.id,
        status: 'complete',
        format: 'pcap',
        compression: 'none',
        linkTypes: '1',
        packets: 1n,
        ipPackets: 1n,
        firstTs: span ? new Date(span[0]) : null,
        lastTs: span ? new Date(span[1]) : null,
        days,
        ingestedAt: new Date(),
        durationMs: 1,
      },
    });
  };

  test('backscatter events from the per-host rows; every loader runs', async () => {
    const prisma = getPrisma(db.url);
    const found = await detectDaily(prisma, Q3, { telescopeAddresses: 16 });
    const events = found.filter((a) => a.kind === 'backscatter' && a.country === 'NZ');
    expect(events.map((e) => [e.day, e.asn, e.details.backscatter?.victims.length])).toEqual(
      expect.arrayContaining(NZ_BACKSCATTER.map((b) => [b.day, b.asn, b.hosts])),
    );
    expect(events).toHaveLength(3);
    const e = events.find((x) => x.day === '2020-08-31')!;
    expect(e.details.backscatter!.telescopeSource).toBe('configured');
    expect(e.details.backscatter!.ports.map((p) => p.port)).toEqual(['443/tcp', '23/tcp']);
    // The victims' fixed SYN-ACK sequence number, read back from the BIGINT column (the
    // bank's is past 2^31). One victim seen by one sensor (08-30) is one vote: not fixed.
    for (const ev of events) {
      const spike = NZ_BACKSCATTER.find((b) => b.day === ev.day)!;
      const bs = ev.details.backscatter!;
      expect(bs.victims.map((v) => v.seq)).toEqual(bs.victims.map(() => spike.seq));
      expect(bs.seqs).toEqual([{ seq: spike.seq, hosts: spike.hosts }]);
      expect(bs.fixedWindow).toBe(true);
      expect(bs.fixedSeq, ev.day).toBe(spike.hosts > 1);
      expect(ev.summary).toContain(
        spike.hosts > 1
          ? `, fixed TCP window 29200 and sequence number ${spike.seq};`
          : ', fixed TCP window 29200;',
      );
    }
    // Period detectors run on both engines (the fixture is too sparse for findings).
    await expect(detectPeriod(prisma, Q3)).resolves.toBeInstanceOf(Array);
  });

  test('series loader equals a plain scan of the daily rows (keys over the minimum, per day)', async () => {
    const prisma = getPrisma(db.url);
    const dims = [
      ['port', 'daily_port', ['proto', 'port']],
      ['country', 'daily_country', ['country']],
      ['country-port', 'daily_country_port', ['country', 'proto', 'port']],
    ] as const;
    // A range that crosses a month end, with history before it and days after it.
    const range = { start: '2020-07-20', from: '2020-08-28', to: '2020-09-02', end: '2020-09-08' };
    let checked = 0;
    for (const [dim, table, cols] of dims) {
      const rows = await q(
        prisma,
        Prisma.sql`SELECT day, ${Prisma.raw(cols.join(', '))}, packets, sources
          FROM ${Prisma.raw(table)} WHERE sensor_id = ${ROLLUP}
            AND day >= ${range.start} AND day <= ${range.end}`,
      );
      const keyOf = (r: Record<string, unknown>) => cols.map((c) => String(r[c])).join(' ');
      const inProto = (r: Record<string, unknown>) =>
        !cols.includes('proto' as never) || r.proto === 'tcp' || r.proto === 'udp';
      const maxes = new Map<string, { packets: number; sources: number }>();
      for (const r of rows) {
        if (String(r.day) < range.from || String(r.day) > range.to || !inProto(r)) continue;
        const m = maxes.get(keyOf(r)) ?? { packets: 0, sources: 0 };
        m.packets = Math.max(m.packets, num(r.packets));
        m.sources = Math.max(m.sources, num(r.sources));
        maxes.set(keyOf(r), m);
      }
      const packets = [...maxes.values()].map((m) => m.packets).sort((a, b) => a - b);
      const sources = [...maxes.values()].map((m) => m.sources).sort((a, b) => a - b);
      const at = (xs: number[], f: number) => xs[Math.floor((xs.length - 1) * f)]!;
      const limits = [
        [1, 1],
        [at(packets, 0.5), at(sources, 0.9)],
        [at(packets, 0.9), 2e9],
        [2e9, at(sources, 0.75)],
        [at(packets, 1), at(sources, 1)],
      ] as const;
      for (const [minPackets, minSources] of limits) {
        const wanted = new Set(
          [...maxes]
            .filter(([, m]) => m.packets >= minPackets || m.sources >= minSources)
            .map(([k]) => k),
        );
        const expected = rows
          .filter((r) => wanted.has(keyOf(r)))
          .map((r) => `${keyOf(r)} ${r.day} ${num(r.packets)} ${num(r.sources)}`)
          .sort();
        const series = await loadTableSeries(prisma, dim, { ...range, minPackets, minSources });
        const got = series
          .flatMap((s) =>
            [...s.packets].map(([day, p]) => {
              const key = [s.country, s.proto, s.port].filter((x) => x !== null).join(' ');
              return `${key} ${day} ${p} ${s.sources.get(day)}`;
            }),
          )
          .sort();
        expect(got, `${dim} ${minPackets} ${minSources}`).toEqual(expected);
        checked += wanted.size;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  test('stored by stable id; review kept across re-detection; stale days found', async () => {
    const prisma = getPrisma(db.url);
    // Every day with data (the fixture's days are sparse; a day without data has nothing to detect).
    const withData = await loadTotals(prisma, '2020-08-27', '2020-08-31');
    expect(withData.size).toBeGreaterThan(1);
    expect(await staleDays(prisma, { from: '2020-08-27', to: '2020-08-31' })).toEqual(
      [...withData.keys()].sort(),
    );
    expect(await detectPending(prisma)).toBeGreaterThanOrEqual(3);
    expect(await staleDays(prisma, { from: '2020-04-01', to: '2020-09-30' })).toEqual([]);
    await ensureDetected(prisma, Q3);
    const stored = await listStored(prisma, { period: Q3, kinds: ['backscatter'], country: 'NZ' });
    expect(stored).toHaveLength(3);
    const target = stored[0]!;
    expect(target.id).toBe(anomalyId('backscatter', target.day, target.day, 'asn', target.key));
    await setReview(prisma, target.id, { reviewed: true, note: 'checked' });

    // Re-detection that no longer finds anything: unreviewed rows go, reviewed stay.
    const day = { from: target.day, to: target.day };
    await saveDaily(prisma, day, []);
    const left = await listStored(prisma, { period: day });
    expect(left.map((a) => [a.id, a.reviewed, a.note])).toEqual([[target.id, true, 'checked']]);

    // Found again: detection fields updated, review state kept.
    const again: Anomaly = { ...target, summary: 'updated', severity: 1 };
    await saveDaily(prisma, day, [again]);
    const [row] = await listStored(prisma, { period: day });
    expect([row!.summary, row!.reviewed, row!.note]).toEqual(['updated', true, 'checked']);
    expect(await setReview(prisma, '0123456789abcdef', { reviewed: true })).toBeNull();
  });

  test('preset periods: all detected once, then only those a newer file changed', async () => {
    const prisma = getPrisma(db.url);
    // The fixture spans 2020-04-01 .. 2020-09-30: Q2, Q3 and their six months.
    const presets = [
      '2020-07-01..2020-09-30',
      '2020-04-01..2020-06-30',
      '2020-09-01..2020-09-30',
      '2020-08-01..2020-08-31',
      '2020-07-01..2020-07-31',
      '2020-06-01..2020-06-30',
      '2020-05-01..2020-05-31',
      '2020-04-01..2020-04-30',
    ];
    const scannedAt = async () =>
      new Map(
        (
          await prisma.anomalyScan.findMany({
            where: { scope: { in: presets.map((p) => `period:${p}`) } },
          })
        ).map((s) => [s.scope.slice('period:'.length), s.detectedAt.getTime()]),
      );
    await detectPresetPeriods(prisma);
    const first = await scannedAt();
    expect([...first.keys()].sort()).toEqual([...presets].sort());
    expect(await detectPresetPeriods(prisma)).toBe(0);

    // Ingested after every scan so far, and before the detections that follow.
    const ingestFile = async (sha256: string, days: string) => {
      await lateFile(sha256, days, null);
      await new Promise((resolve) => setTimeout(resolve, 20));
    };
    // A late file for 09-22 changes Q3 and September only.
    await ingestFile('a'.repeat(64), '2020-09-22');
    expect(await detectPresetPeriods(prisma)).toBe(2);
    const second = await scannedAt();
    const redone = presets.filter((p) => second.get(p) !== first.get(p));
    expect(redone.sort()).toEqual(['2020-07-01..2020-09-30', '2020-09-01..2020-09-30']);
    // One for 06-16: Q2 and June, and Q3 and July, whose previous periods they are.
    await ingestFile('b'.repeat(64), '2020-06-16');
    expect(await detectPresetPeriods(prisma)).toBe(4);
    expect(periodScope(Q3)).toBe('period:2020-07-01..2020-09-30');
  });

  test('stale days: only late files that add to days a range reads, by their days', async () => {
    const prisma = getPrisma(db.url);
    await detectPending(prisma);
    expect(await staleDays(prisma, { from: '2020-04-01', to: '2020-09-30' })).toEqual([]);
    // A day's detection reads HISTORY_DAYS before it and the shift days after it: its
    // shiftDays days with data (the fixture's days are sparse: far apart), no further
    // than an outage of OUTAGE_BRIDGE_DAYS. Only days with data are detected.
    const withData = await loadTotals(prisma, '2020-04-01', '2020-09-30');
    const shiftAfter = SERIES_PARAMS.shiftDays - 1;
    const readBy = (day: string, range: { from: string; to: string }) =>
      daysOf(range).filter(
        (d) =>
          withData.has(d) &&
          daysOf({ from: d, to: addDays(day, -1) }).filter((x) => withData.has(x)).length <=
            shiftAfter &&
          d >= addDays(day, -(shiftAfter + OUTAGE_BRIDGE_DAYS)) &&
          d <= addDays(day, HISTORY_DAYS),
      );
    const may = { from: '2020-05-01', to: '2020-05-31' };
    const august = { from: '2020-08-01', to: '2020-08-31' };
    try {
      await lateFile('c'.repeat(64), '2020-05-10', [
        '2020-05-10T03:00:00Z',
        '2020-05-10T23:59:59.999Z',
      ]);
      expect(await staleDays(prisma, august)).toEqual([]);
      const may10 = readBy('2020-05-10', may);
      expect(may10[0]! >= '2020-05-04').toBe(true);
      expect(may10.length).toBeGreaterThan(0);
      expect(await staleDays(prisma, may)).toEqual(may10);
      // Days with data two weeks and more before a late day, with fewer than shiftDays
      // days with data between (an outage): their shifts read it.
      await lateFile('f'.repeat(64), '2020-09-20', [
        '2020-09-20T00:00:00Z',
        '2020-09-20T23:00:00Z',
      ]);
      expect(await staleDays(prisma, august)).toEqual(['2020-08-27', '2020-08-30', '2020-08-31']);
      expect(readBy('2020-09-20', august)).toEqual(['2020-08-27', '2020-08-30', '2020-08-31']);
      // A file spanning midnight adds to both days; one without a span is read by its days.
      await lateFile('d'.repeat(64), '2020-05-31,2020-06-01', [
        '2020-05-31T23:00:00Z',
        '2020-06-01T01:00:00Z',
      ]);
      await lateFile('e'.repeat(64), '2020-08-29', null);
      expect(await staleDays(prisma, may)).toEqual(
        [...new Set([...may10, ...readBy('2020-05-31', may), ...readBy('2020-06-01', may)])].sort(),
      );
      expect(await staleDays(prisma, august)).toEqual(readBy('2020-08-29', august));
    } finally {
      await prisma.ingestedFile.deleteMany({
        where: {
          path: { startsWith: 'late/' },
          sha256: { in: ['c', 'd', 'e', 'f'].map((x) => x.repeat(64)) },
        },
      });
    }
  });

  test('telescope size: estimated from the host rows when sensor prefixes are empty', async () => {
    const prisma = getPrisma(db.url);
    // The fixture's sensors have no prefixes: each sensor's widest sweep (a /29 each).
    expect(await telescopeSize(prisma, Q3.from, Q3.to)).toEqual({
      addresses: SENSORS.length * SENSOR_ADDRESSES,
      source: 'estimated',
    });
    // An IPv6 source reaching many (IPv6) addresses says nothing about the IPv4 share.
    const [sensor] = await prisma.sensor.findMany({ where: { name: SENSORS[0] } });
    const v6 = {
      day: '2020-08-27',
      sensorId: sensor!.id,
      ip: '2001:db8::1',
      country: 'ZZ',
      asn: 0,
      asOrg: '',
      packets: 5000n,
      bytes: 300000n,
      ports: '{"tcp/22":5000}',
      distinctPorts: 1,
      distinctDsts: 5000,
      syn: 5000n,
      synAck: 0n,
      rst: 0n,
      ack: 0n,
      otherTcp: 0n,
      udp: 0n,
      icmp: 0n,
      window: 1024,
      ttl: 50,
      seq: 0xffffffffn,
      fingerprints: '[]',
      scanPackets: 5000n,
      backscatterPackets: 0n,
      firstSeen: new Date('2020-08-27T01:00:00Z'),
      lastSeen: new Date('2020-08-27T02:00:00Z'),
    };
    await prisma.dailyHost.create({ data: v6 });
    try {
      expect(await telescopeSize(prisma, Q3.from, Q3.to)).toEqual({
        addresses: SENSORS.length * SENSOR_ADDRESSES,
        source: 'estimated',
      });
      // A window without host rows: nothing seen, at least 1.
      expect(await telescopeSize(prisma, '2019-01-01', '2019-01-31')).toEqual({
        addresses: 1,
        source: 'estimated',
      });
      // One sensor configured: its prefixes plus the other's estimate; both: the prefixes.
      await prisma.sensor.update({
        where: { id: sensor!.id },
        data: { prefixes: '198.51.100.0/28' },
      });
      expect(await telescopeSize(prisma, Q3.from, Q3.to)).toEqual({
        addresses: 16 + SENSOR_ADDRESSES,
        source: 'estimated',
      });
      await prisma.sensor.updateMany({
        where: { name: SENSORS[1] },
        data: { prefixes: '203.0.113.0/27' },
      });
      expect(await telescopeSize(prisma, Q3.from, Q3.to)).toEqual({
        addresses: 16 + 32,
        source: 'sensor-prefixes',
      });
      expect(await telescopeSize(prisma, Q3.from, Q3.to, 1024)).toEqual({
        addresses: 1024,
        source: 'configured',
      });
    } finally {
      await prisma.dailyHost.delete({
        where: { day_sensorId_ip: { day: v6.day, sensorId: v6.sensorId, ip: v6.ip } },
      });
      await prisma.sensor.updateMany({ where: { name: { in: SENSORS } }, data: { prefixes: '' } });
    }
  });
});
