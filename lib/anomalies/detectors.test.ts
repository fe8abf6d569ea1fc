/** The detectors' pure parts on hand-made series. */
import { describe, expect, test } from 'vitest';
import { addDays, daysOf } from '../api/period';
import { parseState } from '../url-state/codec';
import { countryDetailState } from '../url-state/views';
import { detectBackscatter } from './backscatter';
import { marksFor, parseMarkParam, withAnomalyMarks } from './chart-marks';
import { type CorrelationNode, correlate } from './correlate';
import { evidenceChart } from './evidence';
import { detectGrowth, periodWeeks, runningMedian3, weekIndexer } from './growth';
import { anomalyId } from './id';
import { eventWindow, href, seriesLink } from './links';
import {
  type BackscatterHostRow,
  cidrAddresses,
  nearestPowerOfTwo,
  telescopeFromSensors,
} from './load';
import { BACKSCATTER_PARAMS, GROWTH_PARAMS, RANK_PARAMS, SERIES_PARAMS } from './params';
import { detectRankMoves } from './rank-moves';
import { detectSeries, type SeriesInput } from './series-detector';
import { seriesSeverity } from './severity';
import { mad, median, quantile, spearmanWithTime, theilSenSlope, weekdayProfile } from './stats';
import { backscatterSentence, fixedText, ratioText, spikeSentence } from './summary';

/** A deterministic pseudo-random generator (LCG), so the series are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Poisson-ish noise around a level (normal approximation). */
function noisy(level: number, r: () => number): number {
  const u = r() + r() + r() + r() - 2; // ~N(0, 1/3)
  return Math.max(0, Math.round(level + u * Math.sqrt(3 * Math.max(level, 1))));
}

function series(days: string[], values: number[], total = 3000): SeriesInput {
  return { days, values, totals: days.map(() => total), metric: 'packets' };
}

const DAYS = daysOf({ from: '2020-06-01', to: '2020-09-30' });
const RANGE = { from: '2020-08-01', to: '2020-09-20' };

describe('robust statistics', () => {
  test('median, MAD, quantile', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([0, 10], 0.9)).toBeCloseTo(9);
  });

  test('Theil-Sen and Spearman ignore an outlier', () => {
    expect(theilSenSlope([1, 2, 3, 4, 100, 6])).toBeCloseTo(1);
    expect(spearmanWithTime([1, 2, 3, 4, 5])).toBeCloseTo(1);
    expect(spearmanWithTime([5, 4, 3, 2, 1])).toBeCloseTo(-1);
    expect(spearmanWithTime([2, 2, 2])).toBe(0);
  });

  test('weekday profile: weekends at half the level', () => {
    const days = daysOf({ from: '2020-08-03', to: '2020-08-30' }); // Mon..Sun x 4
    const values = days.map((d) =>
      [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()) ? 50 : 100,
    );
    const p = weekdayProfile(days, values, { minLevel: 30, clip: [0.5, 2] });
    expect(p[0]).toBeCloseTo(0.5);
    expect(p[3]).toBeCloseTo(1);
    // Too little volume: no profile.
    expect(
      weekdayProfile(
        days,
        values.map((v) => v / 10),
        { minLevel: 30, clip: [0.5, 2] },
      ),
    ).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });
});

describe('spikes and level shifts', () => {
  test('a flat noisy series has no anomaly; a 10x day is a spike on that day', () => {
    const r = rng(1);
    const values = DAYS.map(() => noisy(100, r));
    expect(detectSeries(series(DAYS, values), RANGE, SERIES_PARAMS)).toEqual([]);
    const i = DAYS.indexOf('2020-08-27');
    values[i] = 1000;
    const found = detectSeries(series(DAYS, values), RANGE, SERIES_PARAMS);
    expect(found.map((f) => [f.kind, f.day])).toEqual([['spike', '2020-08-27']]);
    expect(found[0]!.ratio).toBeGreaterThan(8);
    expect(found[0]!.baseline).toBeGreaterThan(85);
  });

  test('a weekly rhythm is not an anomaly (weekday-aware baseline)', () => {
    const r = rng(2);
    const values = DAYS.map((d) =>
      noisy([0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()) ? 300 : 100, r),
    );
    expect(detectSeries(series(DAYS, values), RANGE, SERIES_PARAMS)).toEqual([]);
  });

  test('the minimum volume keeps the long tail out', () => {
    const values = DAYS.map(() => 1);
    values[DAYS.indexOf('2020-08-27')] = 15; // 15x, but 14 packets of a 3000-packet day
    expect(detectSeries(series(DAYS, values), RANGE, SERIES_PARAMS)).toEqual([]);
  });

  test('an intermittent series needs a bigger burst than its usual ones', () => {
    const values = DAYS.map((_, i) => (i % 5 === 0 ? 50 : 0));
    expect(detectSeries(series(DAYS, values), RANGE, SERIES_PARAMS)).toEqual([]);
  });

  test('a step is one level shift on its first day, not a run of spikes', () => {
    const r = rng(3);
    const values = DAYS.map((d) => noisy(d >= '2020-08-20' ? 400 : 100, r));
    const found = detectSeries(series(DAYS, values), RANGE, SERIES_PARAMS);
    expect(found.map((f) => [f.kind, f.day])).toEqual([['level-shift', '2020-08-20']]);
    expect(found[0]!.observed).toBeGreaterThan(350);
    expect(found[0]!.baseline).toBeLessThan(120);
  });

  test('a step before the range is not attributed to the range start', () => {
    const r = rng(4);
    const values = DAYS.map((d) => noisy(d >= '2020-07-28' ? 400 : 100, r));
    const found = detectSeries(series(DAYS, values), RANGE, SERIES_PARAMS);
    expect(found.filter((f) => f.kind === 'level-shift')).toEqual([]);
  });

  test('days without data are skipped', () => {
    const r = rng(5);
    const values: (number | null)[] = DAYS.map(() => noisy(100, r));
    values[DAYS.indexOf('2020-08-27')] = null;
    expect(detectSeries({ ...series(DAYS, []), values }, RANGE, SERIES_PARAMS)).toEqual([]);
  });

  test('a step two days before a week-long outage: one shift on its first day, not after the outage', () => {
    const r = rng(6);
    const outage = { from: '2020-08-22', to: '2020-08-28' };
    const values: (number | null)[] = DAYS.map((d) =>
      d >= outage.from && d <= outage.to ? null : noisy(d >= '2020-08-20' ? 400 : 100, r),
    );
    const found = detectSeries({ ...series(DAYS, []), values }, RANGE, SERIES_PARAMS);
    expect(found.map((f) => [f.kind, f.day])).toEqual([['level-shift', '2020-08-20']]);
    // The same step starting right after the outage is found on the first day back.
    const after: (number | null)[] = DAYS.map((d) =>
      d >= outage.from && d <= outage.to ? null : noisy(d >= outage.from ? 400 : 100, r),
    );
    const back = detectSeries({ ...series(DAYS, []), values: after }, RANGE, SERIES_PARAMS);
    expect(back.map((f) => [f.kind, f.day])).toEqual([['level-shift', '2020-08-29']]);
  });
});

function hostRow(p: Partial<BackscatterHostRow>): BackscatterHostRow {
  return {
    day: '2020-08-27',
    ip: '103.103.40.17',
    country: 'NZ',
    asn: 137052,
    asOrg: 'NZX Limited',
    packets: 20,
    backscatter: 20,
    synAck: 20,
    rst: 0,
    icmp: 0,
    tcp: 20,
    window: 65535,
    seq: 0x5a17c000,
    ports: new Map([
      ['443/tcp', 17],
      ['23/tcp', 3],
    ]),
    firstSeen: '2020-08-27T03:00:00.000Z',
    lastSeen: '2020-08-27T07:00:00.000Z',
    ...p,
  };
}

describe('backscatter events', () => {
  const telescope = { addresses: 16, source: 'configured' as const };
  const rows = ['103.103.40.17', '103.103.41.199', '103.103.40.76', '103.103.41.61'].flatMap(
    (ip) => [
      hostRow({ ip }),
      hostRow({ ip, firstSeen: '2020-08-27T03:30:00.000Z', lastSeen: '2020-08-27T08:00:00.000Z' }),
    ],
  );

  const input = (r: BackscatterHostRow[]) => ({
    day: '2020-08-27',
    asn: 137052,
    rows: r,
    history: new Array(28).fill(0),
    dayPackets: 3000,
    telescope,
  });

  test('one event per AS and day: victims merged over sensors, ports, fixed window and sequence, rate', () => {
    const ev = detectBackscatter(
      {
        day: '2020-08-27',
        asn: 137052,
        rows,
        history: new Array(28).fill(0),
        dayPackets: 3000,
        telescope,
      },
      BACKSCATTER_PARAMS,
    )!;
    expect(ev).not.toBeNull();
    expect(ev.details.victims.map((v) => v.ip).sort()).toEqual([
      '103.103.40.17',
      '103.103.40.76',
      '103.103.41.199',
      '103.103.41.61',
    ]);
    expect(ev.packets).toBe(160);
    expect(ev.details.ports[0]).toEqual({ port: '443/tcp', packets: 136 });
    expect(ev.details.fixedWindow).toBe(true);
    // Every victim on both sensors voted the same SYN-ACK sequence number.
    expect(ev.details.victims.map((v) => v.seq)).toEqual([
      0x5a17c000, 0x5a17c000, 0x5a17c000, 0x5a17c000,
    ]);
    expect(ev.details.seqs).toEqual([{ seq: 1511505920, hosts: 4 }]);
    expect(ev.details.fixedSeq).toBe(true);
    expect(ev.details.types.synAck).toBe(160);
    // 160 packets over 5 hours, times 2^32 / 16.
    expect(ev.details.observedRate).toBeCloseTo(160 / 18000);
    expect(ev.details.estimatedAttackRate).toBeCloseTo(((160 / 18000) * 2 ** 32) / 16, 0);
    const text = backscatterSentence({
      details: ev.details,
      day: ev.day,
      countrySpike: { ratio: 61.2 },
    });
    expect(text).toBe(
      'New Zealand: 61x its baseline on 2020-08-27, SYN-ACK backscatter to 443/TCP and 23/TCP from 4 addresses of AS137052 NZX Limited, fixed TCP window 65535 and sequence number 1511505920; attack ~2.4M packets/s (estimate)',
    );
  });

  test('a fixed sequence number needs two agreeing rows: one victim on one sensor is not enough', () => {
    const one = detectBackscatter(
      input([hostRow({ packets: 40, backscatter: 40, synAck: 40, tcp: 40 })]),
      BACKSCATTER_PARAMS,
    )!;
    expect(one.details.victims[0]!.seq).toBe(0x5a17c000);
    expect(one.details.seqs).toEqual([{ seq: 0x5a17c000, hosts: 1 }]);
    expect(one.details.fixedWindow).toBe(true);
    expect(one.details.fixedSeq).toBe(false);
    expect(backscatterSentence({ details: one.details, day: one.day })).toContain(
      ', fixed TCP window 65535; attack',
    );
    // The same victim seen by a second sensor with the same value: fixed.
    const two = detectBackscatter(
      input([hostRow({}), hostRow({ firstSeen: '2020-08-27T04:00:00.000Z' })]),
      BACKSCATTER_PARAMS,
    )!;
    expect(two.details.fixedSeq).toBe(true);
  });

  test('random initial sequence numbers, an unsigned value past 2^31, and RST-led events', () => {
    // Each sensor's majority is a different random value: not fixed, each victim keeps the
    // value of its rows with the most TCP packets.
    const random = detectBackscatter(
      input([
        hostRow({ seq: 0x9e3779b9, packets: 30, backscatter: 30, synAck: 30, tcp: 30 }),
        hostRow({ seq: 0x00003c1d }),
        hostRow({ ip: '103.103.41.199', seq: 0xfffffffe }),
      ]),
      BACKSCATTER_PARAMS,
    )!;
    expect(random.details.victims.map((v) => [v.ip, v.seq])).toEqual([
      ['103.103.40.17', 2654435769],
      ['103.103.41.199', 4294967294],
    ]);
    expect(random.details.seqs).toEqual([
      { seq: 2654435769, hosts: 1 },
      { seq: 4294967294, hosts: 1 },
    ]);
    expect(random.details.fixedSeq).toBe(false);
    expect(backscatterSentence({ details: random.details, day: random.day })).not.toMatch(
      /sequence number/,
    );
    // RSTs answering SYNs carry sequence number 0: not a fingerprint.
    const rst = detectBackscatter(
      input(
        ['103.103.40.17', '103.103.41.199'].map((ip) =>
          hostRow({ ip, synAck: 0, rst: 20, window: 0, seq: 0 }),
        ),
      ),
      BACKSCATTER_PARAMS,
    )!;
    expect(rst.details.seqs).toEqual([{ seq: 0, hosts: 2 }]);
    expect([rst.details.fixedWindow, rst.details.fixedSeq]).toEqual([false, false]);
    // Rows without TCP (-1) are no vote.
    const udp = detectBackscatter(
      input(
        ['103.103.40.17', '103.103.41.199'].map((ip) =>
          hostRow({ ip, synAck: 0, tcp: 0, window: -1, seq: -1, ports: new Map([['53/udp', 20]]) }),
        ),
      ),
      BACKSCATTER_PARAMS,
    )!;
    expect(udp.details.victims.map((v) => v.seq)).toEqual([-1, -1]);
    expect([udp.details.seqs, udp.details.fixedSeq]).toEqual([[], false]);
  });

  test('fixedText: window and sequence number, either, or none', () => {
    const ev = detectBackscatter(input(rows), BACKSCATTER_PARAMS)!;
    const d = ev.details;
    expect(fixedText(d)).toBe(', fixed TCP window 65535 and sequence number 1511505920');
    expect(fixedText({ ...d, fixedSeq: false })).toBe(', fixed TCP window 65535');
    expect(fixedText({ ...d, fixedWindow: false })).toBe(', fixed TCP sequence number 1511505920');
    expect(fixedText({ ...d, fixedWindow: false, fixedSeq: false })).toBe('');
  });

  test('a victim that sends backscatter every day is not a burst; too many sources is not a small set', () => {
    const base = { day: '2020-08-27', asn: 137052, rows, dayPackets: 3000, telescope };
    expect(
      detectBackscatter({ ...base, history: new Array(28).fill(150) }, BACKSCATTER_PARAMS),
    ).toBeNull();
    const many = Array.from({ length: 70 }, (_, i) => hostRow({ ip: `10.0.0.${i}` }));
    expect(
      detectBackscatter(
        { ...base, rows: many, history: new Array(28).fill(0) },
        BACKSCATTER_PARAMS,
      ),
    ).toBeNull();
  });

  test('telescope size helpers', () => {
    expect(cidrAddresses('192.0.2.16/29,203.0.113.32/29')).toBe(16);
    expect(cidrAddresses('')).toBe(0);
    expect(nearestPowerOfTwo(9)).toBe(8);
    expect(nearestPowerOfTwo(18)).toBe(16);
    expect(nearestPowerOfTwo(250)).toBe(256);
    expect(nearestPowerOfTwo(52_000)).toBe(65_536);
  });

  test('telescope size from the sensors: prefixes, else estimated from the sources that reached most addresses', () => {
    // No sensor has prefixes: each sensor's widest sweep, to the nearest power of two.
    expect(
      telescopeFromSensors([
        { prefixes: '', maxDsts: 9 },
        { prefixes: '', maxDsts: 7 },
      ]),
    ).toEqual({ addresses: 16, source: 'estimated' });
    // A /16 whose widest sweep's estimate is 18% low still counts as a /16.
    expect(telescopeFromSensors([{ prefixes: '', maxDsts: 53_740 }])).toEqual({
      addresses: 65_536,
      source: 'estimated',
    });
    // Every sensor configured: the prefixes, whatever the host rows say.
    expect(
      telescopeFromSensors([
        { prefixes: '192.0.2.16/29', maxDsts: 3 },
        { prefixes: '203.0.113.32/29,198.51.100.64/29', maxDsts: 0 },
      ]),
    ).toEqual({ addresses: 24, source: 'sensor-prefixes' });
    // Some configured: their prefixes plus the others' estimate.
    expect(
      telescopeFromSensors([
        { prefixes: '198.18.0.0/16', maxDsts: 60_000 },
        { prefixes: '', maxDsts: 8 },
      ]),
    ).toEqual({ addresses: 65_544, source: 'estimated' });
    // A sensor without prefixes that saw nothing adds nothing; no data at all: 1.
    expect(
      telescopeFromSensors([
        { prefixes: '192.0.2.16/29', maxDsts: 8 },
        { prefixes: '', maxDsts: 0 },
      ]),
    ).toEqual({ addresses: 8, source: 'sensor-prefixes' });
    expect(telescopeFromSensors([{ prefixes: '', maxDsts: 0 }])).toEqual({
      addresses: 1,
      source: 'estimated',
    });
    expect(telescopeFromSensors([])).toEqual({ addresses: 1, source: 'estimated' });
  });
});

describe('campaign growth and rank moves', () => {
  test('weeks end on the period end', () => {
    const w = periodWeeks({ from: '2020-07-01', to: '2020-09-30' });
    expect(w).toHaveLength(13);
    expect(w[12]).toEqual({ from: '2020-09-24', to: '2020-09-30' });
    expect(w[0]).toEqual({ from: '2020-07-02', to: '2020-07-08' });
    expect(weekIndexer(w)('2020-07-01')).toBe(-1);
    expect(weekIndexer(w)('2020-09-30')).toBe(12);
  });

  test('growth while the rest is flat; not when the rest grows too', () => {
    const hosts = [40, 42, 45, 50, 52, 58, 60, 66, 70, 75, 80, 88, 95];
    const flat = hosts.map(() => 20);
    const g = detectGrowth({ hosts, rest: flat }, GROWTH_PARAMS)!;
    expect(g.growth).toBeGreaterThan(1.8);
    expect(g.restGrowth).toBe(1);
    expect(detectGrowth({ hosts, rest: hosts.map((h) => h / 2) }, GROWTH_PARAMS)).toBeNull();
    expect(detectGrowth({ hosts: flat, rest: flat }, GROWTH_PARAMS)).toBeNull();
  });

  test('growth in bursts is a trend; one burst week on a flat series is not', () => {
    expect(runningMedian3([62, 130, 71, 123, 83])).toEqual([62, 71, 123, 83, 83]);
    // Japan's 445/TCP window-8192 hosts at demo scale: doubling, with burst weeks.
    const bursty = [62, 130, 71, 123, 83, 88, 201, 99, 167, 191, 117, 121, 315];
    const rest = bursty.map(() => 2);
    const g = detectGrowth({ hosts: bursty, rest }, GROWTH_PARAMS)!;
    expect(g.growth).toBeGreaterThan(2);
    expect(g.trend).toBeGreaterThanOrEqual(GROWTH_PARAMS.minTrend);
    const oneBurst = [60, 62, 58, 61, 59, 60, 63, 58, 61, 60, 62, 59, 180];
    expect(detectGrowth({ hosts: oneBurst, rest }, GROWTH_PARAMS)).toBeNull();
  });

  test('rank moves: new first place, jumps, new entries', () => {
    const prev = [
      '23/tcp',
      '445/tcp',
      '1433/tcp',
      '80/tcp',
      '22/tcp',
      'a',
      'b',
      'c',
      'DE',
      'x',
      'y',
      'NEW',
    ].map((key, i) => ({ key, packets: 1000 - i }));
    const cur = ['445/tcp', '23/tcp', '1433/tcp', '22/tcp', 'DE', 'a', 'NEW', 'b'].map(
      (key, i) => ({
        key,
        packets: 1000 - i,
      }),
    );
    const moves = detectRankMoves(cur, prev, RANK_PARAMS);
    expect(moves.map((m) => [m.key, m.kind, m.rank, m.previousRank])).toEqual([
      ['445/tcp', 'new-first', 1, 2],
      ['DE', 'jump', 5, 9],
      ['NEW', 'new-entry', 7, 12],
    ]);
  });
});

function node(p: Partial<CorrelationNode>): CorrelationNode {
  return {
    kind: 'spike',
    day: '2020-08-27',
    dimension: 'country',
    key: 'NZ',
    country: 'NZ',
    port: null,
    asn: null,
    metric: 'packets',
    observed: 153,
    baseline: 2,
    score: 100,
    ratio: 76,
    share: 0.05,
    excessPackets: 151,
    excessSources: 4,
    severity: seriesSeverity(76, 0.05),
    ...p,
  };
}

describe('correlation: one event, one row', () => {
  test('a backscatter event absorbs its country, country x port, AS and port spikes', () => {
    const bs = node({
      kind: 'backscatter',
      dimension: 'asn',
      key: 'AS137052',
      asn: 137052,
      observed: 151,
      baseline: 0,
      excessPackets: 151,
      asPorts: new Map([
        ['443/tcp', 130],
        ['23/tcp', 21],
      ]),
    });
    const country = node({});
    const cp = node({
      dimension: 'country-port',
      key: 'NZ 443/tcp',
      port: '443/tcp',
      excessPackets: 128,
    });
    const asn = node({ dimension: 'asn', key: 'AS137052', asn: 137052, country: 'NZ' });
    const other = node({ dimension: 'country', key: 'JP', country: 'JP' });
    const groups = correlate([country, cp, asn, bs, other]);
    const root = groups.find((g) => g.root === bs)!;
    expect(root.members).toHaveLength(3);
    expect(groups.find((g) => g.root === other)?.members).toEqual([]);
    expect(groups).toHaveLength(2);
  });

  test('a country x port explains its country when it holds most of the excess', () => {
    const country = node({ dimension: 'country', key: 'JP', country: 'JP', excessPackets: 200 });
    const cp = node({
      dimension: 'country-port',
      key: 'JP 445/tcp',
      country: 'JP',
      port: '445/tcp',
      excessPackets: 180,
    });
    const port = node({
      dimension: 'port',
      key: '445/tcp',
      country: null,
      port: '445/tcp',
      excessPackets: 300,
    });
    const groups = correlate([country, cp, port]);
    expect(groups.map((g) => [g.root.key, g.members.map((m) => m.key)])).toEqual([
      ['JP 445/tcp', ['JP', '445/tcp']],
    ]);
  });

  test('consecutive days of one series are one episode; a later shift absorbs its own spikes', () => {
    const a = node({
      day: '2020-08-13',
      dimension: 'country-port',
      key: 'UA 5555/tcp',
      country: 'UA',
      port: '5555/tcp',
    });
    const b = node({
      day: '2020-08-14',
      dimension: 'country-port',
      key: 'UA 5555/tcp',
      country: 'UA',
      port: '5555/tcp',
    });
    const groups = correlate([a, b]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.root.lastDay).toBe('2020-08-14');
    const shift = node({
      kind: 'level-shift',
      day: '2020-08-08',
      dimension: 'country',
      key: 'UA',
      country: 'UA',
      observed: 200,
      baseline: 30,
      excessPackets: 170,
    });
    const c = node({
      day: '2020-08-20',
      dimension: 'country-port',
      key: 'UA 8080/tcp',
      country: 'UA',
      port: '8080/tcp',
      excessPackets: 60,
    });
    const g2 = correlate([shift, c]);
    expect(g2.map((g) => [g.root.kind, g.members.length])).toEqual([['level-shift', 1]]);
  });
});

describe('links, marks, evidence, text', () => {
  test('ids are stable and distinct', () => {
    const a = anomalyId('backscatter', '2020-08-27', '2020-08-27', 'asn', 'AS137052');
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(anomalyId('backscatter', '2020-08-27', '2020-08-27', 'asn', 'AS137052')).toBe(a);
    expect(anomalyId('backscatter', '2020-08-30', '2020-08-30', 'asn', 'AS137052')).not.toBe(a);
  });

  test("a country link opens the dashboard's country view on the 8-day window", () => {
    const link = href(
      seriesLink({
        id: 'abc',
        dimension: 'country',
        country: 'NZ',
        port: null,
        asn: 137052,
        metric: 'packets',
        window: eventWindow('2020-08-27'),
        mark: '2020-08-27',
        hosts: true,
      }),
    );
    expect(link).toBe(
      '/countries/NZ?from=2020-08-26&to=2020-09-02&mark=2020-08-27&anomaly=abc#country-hosts-title',
    );
    const qs = new URLSearchParams(link.split('?')[1]!.split('#')[0]);
    const state = parseState(countryDetailState, (k) => qs.get(k));
    expect([state.from, state.to, state.metric]).toEqual(['2020-08-26', '2020-09-02', 'packets']);
  });

  test('marks: a line on a day, an area over a range, clipped to the chart', () => {
    const days = daysOf({ from: '2020-08-26', to: '2020-09-02' });
    const option = {
      xAxis: { type: 'category' as const, data: days },
      series: [{ type: 'line' as const, data: days.map(() => 1) }],
    };
    const out = withAnomalyMarks(option, [
      { from: '2020-08-27', to: '2020-08-27', label: 'DDoS backscatter', severity: 90 },
      { from: '2020-08-30', to: '2020-09-10', label: 'level shift', severity: 40 },
      { from: '2020-10-01', to: '2020-10-01', label: 'outside', severity: 40 },
    ]);
    const s = (out.series as Record<string, { data: unknown[] }>[])[0]!;
    expect(s.markLine!.data).toHaveLength(1);
    expect(s.markArea!.data).toEqual([
      [
        expect.objectContaining({ xAxis: '2020-08-30', name: 'level shift' }),
        { xAxis: '2020-09-02' },
      ],
    ]);
    expect(withAnomalyMarks(option, [])).toBe(option);
    expect(parseMarkParam('2020-08-27')).toEqual({ from: '2020-08-27', to: '2020-08-27' });
    expect(parseMarkParam('2020-08-18..2020-09-01')).toEqual({
      from: '2020-08-18',
      to: '2020-09-01',
    });
    expect(parseMarkParam('junk')).toBeNull();
    expect(
      marksFor([
        {
          id: 'x',
          kind: 'level-shift',
          day: '2020-08-18',
          periodFrom: '2020-08-18',
          severity: 50,
          details: { mark: { from: '2020-08-04', to: '2020-09-01' } },
        },
      ]),
    ).toEqual([
      { from: '2020-08-18', to: '2020-09-01', label: 'level shift', severity: 50, id: 'x' },
    ]);
  });

  test('evidence charts: the country series for a backscatter event, the window split for growth', () => {
    const base = {
      metric: 'packets' as const,
      proto: 'tcp',
      port: 443,
      day: '2020-08-27',
      periodFrom: '2020-08-27',
    };
    expect(
      evidenceChart({
        ...base,
        kind: 'backscatter',
        dimension: 'asn',
        key: 'AS137052',
        country: 'NZ',
        details: { mark: eventWindow('2020-08-27') },
      }),
    ).toEqual({
      title: 'New Zealand: packets per UTC day',
      unit: 'packets',
      params: { from: '2020-08-26', to: '2020-09-02', country: 'NZ', metric: 'packets' },
    });
    const g = evidenceChart({
      ...base,
      kind: 'campaign-growth',
      dimension: 'country-window',
      key: 'JP 445/tcp window 8192',
      country: 'JP',
      port: 445,
      day: '2020-09-30',
      periodFrom: '2020-07-01',
      details: { mark: { from: '2020-07-01', to: '2020-09-30' } },
    })!;
    expect(g.params).toMatchObject({
      split: 'window',
      port: '445/tcp',
      country: 'JP',
      metric: 'sources',
    });
  });

  test('sentences', () => {
    expect(ratioText(3.24)).toBe('3.2x');
    expect(ratioText(76.4)).toBe('76x');
    expect(
      spikeSentence({
        subject: 'Japan → 445/TCP',
        day: '2020-09-27',
        ratio: 5.26,
        observed: 391,
        baseline: 74.4,
        metric: 'packets',
      }),
    ).toBe('Japan → 445/TCP: 5.3x its baseline on 2020-09-27 (391 packets, ~74 expected)');
    expect(addDays('2020-08-27', 6)).toBe('2020-09-02');
  });
});
