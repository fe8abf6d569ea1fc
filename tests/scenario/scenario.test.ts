/**
 * Acceptance test of the reference scenario (SCENARIO.md beside the project root): the
 * built-in `2020-q3` scenario is generated at the `test` scale by the real simulator,
 * ingested by the real pipeline into a fresh SQLite file, and every finding an analyst
 * reads off the dashboard is asserted through the view queries of lib/queries, the same
 * functions the dashboard and the API call. Nothing here reads the generator's own
 * counters: thresholds are the findings' wording made precise.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { detectDaily } from '@/lib/anomalies/detect';
import type { Anomaly } from '@/lib/anomalies/types';
import type { Period } from '@/lib/api/period';
import { previousPeriod } from '@/lib/api/period';
import type { PortRef } from '@/lib/api/port-key';
import type { HostDetail, HostSummary, PortRank } from '@/lib/api/types';
import { disconnectPrisma, getPrisma } from '@/lib/db';
import { getAnomalies } from '@/lib/queries/anomalies';
import { type SensorScope, sensorScope } from '@/lib/queries/db';
import { getHost } from '@/lib/queries/host';
import { getHosts } from '@/lib/queries/hosts';
import { getMeta } from '@/lib/queries/meta';
import { getPortShare } from '@/lib/queries/port-share';
import { getSeries, OTHER_SERIES, TOTAL_SERIES } from '@/lib/queries/series';
import { getShareSeries, REST_OF_WORLD } from '@/lib/queries/share-series';
import { getTopAsns } from '@/lib/queries/top-asns';
import { getTopCountries } from '@/lib/queries/top-countries';
import { getTopPorts } from '@/lib/queries/top-ports';
import { getTotals } from '@/lib/queries/totals';
import { buildScenarioDb, type ScenarioDb } from './scenario-db';
import {
  blockMeans,
  burstDays,
  correlation,
  detrend,
  dips,
  mean,
  median,
  minus,
  monthlyMeans,
  peakDays,
  plus,
  seriesValues,
  strictlyIncreasing,
  sumWithin,
  within,
} from './series-stats';

vi.mock('server-only', () => ({}));

/** Generating and ingesting the test scale takes about a minute on a quiet 2-core machine. */
const BUILD_TIMEOUT_MS = 20 * 60_000;
const QUERY_TIMEOUT_MS = 3 * 60_000;

const HALF: Period = { from: '2020-04-01', to: '2020-09-30' };
const Q3: Period = { from: '2020-07-01', to: '2020-09-30' };
const Q2: Period = previousPeriod(Q3);

const tcp = (port: number): PortRef => ({ proto: 'tcp', port });
const P22 = tcp(22);
const P23 = tcp(23);
const P443 = tcp(443);
const P445 = tcp(445);
const P3389 = tcp(3389);

const portKey = (r: { port: number; proto: string }) => `${r.port}/${r.proto}`;
const months = (xs: { mean: number }[]) => xs.map((m) => m.mean);
const oneDay = (day: string): Period => ({ from: day, to: day });

let scenario: ScenarioDb;
let scope: SensorScope;
const savedUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  const started = performance.now();
  scenario = await buildScenarioDb('test');
  process.env.DATABASE_URL = scenario.url;
  scope = await sensorScope(undefined);
  const s = scenario.seconds;
  console.log(
    `scenario 2020-q3 (test scale): ${scenario.files} files, ${scenario.packets} packets; ` +
      `simulate ${s.simulate.toFixed(1)} s, migrate ${s.migrate.toFixed(1)} s, ingest ${s.ingest.toFixed(1)} s, ` +
      `total ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  if (!scenario) return;
  await disconnectPrisma(scenario.url);
  await scenario.cleanup();
  process.env.DATABASE_URL = savedUrl;
});

describe('scenario 2020-q3 through the view queries', { timeout: QUERY_TIMEOUT_MS }, () => {
  test('the captures were ingested whole: every file stored, every packet counted, Q3 is the default view', async () => {
    expect(scenario.problems.map((p) => p.message)).toEqual([]);
    expect(scenario.files).toBeGreaterThan(0);
    const meta = await getMeta();
    expect(meta.extent).toEqual({
      ...HALF,
      months: ['2020-04', '2020-05', '2020-06', '2020-07', '2020-08', '2020-09'],
    });
    expect(meta.defaultPeriod).toEqual(Q3);
    expect(Q2).toEqual({ from: '2020-04-01', to: '2020-06-30' });
    const totals = await getTotals({ period: Q3, scope });
    expect(totals.previous).toEqual(Q2);
    // The scenario is IPv4 only: every record of every capture is in the aggregates.
    expect(totals.packets + totals.previousPackets).toBe(scenario.packets);
  });

  test('finding 1: top-5 destination ports, Q3 vs Q2 (ranks 1<->2 and 4<->5 swapped)', async () => {
    const q3 = await getTopPorts({ period: Q3, limit: 5, scope });
    expect(q3.map(portKey)).toEqual(['445/tcp', '23/tcp', '1433/tcp', '22/tcp', '80/tcp']);
    // The rank table's move arrows: each port's rank in Q2.
    expect(q3.map((r) => r.previousRank)).toEqual([2, 1, 3, 5, 4]);

    const q2 = await getTopPorts({ period: Q2, limit: 5, scope });
    expect(q2.map(portKey)).toEqual(['23/tcp', '445/tcp', '1433/tcp', '80/tcp', '22/tcp']);
    for (const top of [q3, q2]) expectStrictlyRanked(top.map((r) => r.packets));
  });

  test('finding 2a: 445/TCP has been rising continuously since late April', async () => {
    const s = await getSeries({ period: HALF, metric: 'packets', port: P445, limit: 1, scope });
    const v = seriesValues(s, TOTAL_SERIES);
    const beforeRise = mean(within(s.days, v, { from: '2020-04-01', to: '2020-04-23' }));
    const m = months(monthlyMeans(s.days, v));
    // Every month from May on above the one before, May above April 1-23.
    expect(m.slice(1), `monthly means Apr..Sep ${fmt(m)}`).toSatisfy(strictlyIncreasing);
    expect(m[1]!).toBeGreaterThan(beforeRise);
    // Continuous: two-week means from April 24 fall back at most once (sampling noise).
    const fortnights = blockMeans(s.days, v, '2020-04-24', 14);
    expect(fortnights.length).toBeGreaterThanOrEqual(11);
    expect(dips(fortnights), `fortnightly means ${fmt(fortnights)}`).toBeLessThanOrEqual(1);
    expect(fortnights[fortnights.length - 1]!).toBeGreaterThan(1.5 * beforeRise);
  });

  test('finding 2b: 22/TCP is rising in packets and in distinct source hosts', async () => {
    const packets = await getSeries({
      period: HALF,
      metric: 'packets',
      port: P22,
      limit: 1,
      scope,
    });
    const hosts = await getSeries({ period: HALF, metric: 'sources', port: P22, limit: 1, scope });
    const p = seriesValues(packets, TOTAL_SERIES);
    const pm = months(monthlyMeans(packets.days, p));
    const hm = months(monthlyMeans(hosts.days, seriesValues(hosts, TOTAL_SERIES)));
    expect(pm[5]!, `packets/day Apr..Sep ${fmt(pm)}`).toBeGreaterThan(1.3 * pm[0]!);
    expect(sumWithin(packets.days, p, Q3)).toBeGreaterThan(1.2 * sumWithin(packets.days, p, Q2));
    expect(hm, `distinct sources/day Apr..Sep ${fmt(hm)}`).toSatisfy(strictlyIncreasing);
    // The rank table's distinct sources over each quarter rise too.
    const q3 = findPort(await getTopPorts({ period: Q3, limit: 10, scope }), P22);
    const q2 = findPort(await getTopPorts({ period: Q2, limit: 10, scope }), P22);
    expect(q3.sources).toBeGreaterThan(q2.sources);
  });

  test('finding 3: top source countries, Q3 vs Q2 (1<->2 and 3<->4 swapped, Germany 9 -> 5)', async () => {
    const q3 = await getTopCountries({ period: Q3, limit: 5, scope });
    expect(q3.map((r) => r.country)).toEqual(['US', 'RU', 'CN', 'NL', 'DE']);
    expect(q3.map((r) => r.previousRank)).toEqual([2, 1, 4, 3, 9]);

    const q2 = await getTopCountries({ period: Q2, limit: 9, scope });
    expect(q2.slice(0, 4).map((r) => r.country)).toEqual(['RU', 'US', 'NL', 'CN']);
    expect(q2[8]?.country).toBe('DE');
    for (const top of [q3, q2]) expectStrictlyRanked(top.map((r) => r.packets));
  });

  test('finding 4a: the US sends the same top-5 ports as everyone else', async () => {
    for (const period of [Q2, Q3]) {
      const world = (await getTopPorts({ period, limit: 5, scope })).map(portKey);
      const us = (await getTopPorts({ period, limit: 5, country: 'US', scope })).map(portKey);
      expect([...us].sort(), `${period.from}: US ${us.join(' ')}`).toEqual([...world].sort());
    }
  });

  test('finding 4b: Russia goes first to 22/TCP, then 3389/TCP, each share > 10 points above the rest', async () => {
    for (const period of [Q2, Q3]) {
      const mix = await getPortShare({ period, country: 'RU', limit: 2, scope });
      expect(mix.map(portKey)).toEqual(['22/tcp', '3389/tcp']);
      for (const p of mix) {
        expect(
          p.share - p.restShare,
          `${period.from} ${portKey(p)}: Russia ${p.share.toFixed(1)}% vs rest ${p.restShare.toFixed(1)}%`,
        ).toBeGreaterThan(10);
      }
      const top = await getTopPorts({ period, limit: 2, country: 'RU', scope });
      expect(top.map(portKey)).toEqual(['22/tcp', '3389/tcp']);
    }
  });

  test("finding 4c: Russia's ups and downs on 22/TCP and 3389/TCP come at other times than the rest's", async () => {
    const ports = [P22, P3389];
    const ru = await getSeries({
      period: HALF,
      metric: 'packets',
      split: 'port',
      ports,
      country: 'RU',
      limit: 2,
      scope,
    });
    const world = await getSeries({
      period: HALF,
      metric: 'packets',
      split: 'port',
      ports,
      limit: 2,
      scope,
    });
    const both = (r: typeof ru) => plus(seriesValues(r, '22/tcp'), seriesValues(r, '3389/tcp'));
    const russia = both(ru);
    const rest = minus(both(world), russia);
    const dr = detrend(russia);
    const dw = detrend(rest);
    const c = correlation(dr, dw);
    const ruPeaks = peakDays(ru.days, dr, 6);
    const restPeaks = peakDays(ru.days, dw, 6);
    expect(c, 'correlation of the detrended daily packets, Russia vs rest').toBeLessThan(0.3);
    // At most one of the six largest ups on the same day.
    const together = ruPeaks.filter((d) => restPeaks.includes(d));
    expect(
      together.length,
      `Russia's peak days ${ruPeaks.join(' ')}, the rest's ${restPeaks.join(' ')}`,
    ).toBeLessThanOrEqual(1);

    // The dashboard's share view (port share of the country vs of the rest) says the same.
    for (const port of ports) {
      const s = await getShareSeries({ period: HALF, country: 'RU', port, scope });
      const cs = correlation(
        detrend(seriesValues(s, 'RU')),
        detrend(seriesValues(s, REST_OF_WORLD)),
      );
      expect(cs, `share series ${portKey(port)}`).toBeLessThan(0.3);
    }
  });

  test('finding 5: Japan -> 445/TCP packets and hosts rise through the quarter, with short sharp bursts', async () => {
    const packets = await getSeries({
      period: HALF,
      metric: 'packets',
      port: P445,
      country: 'JP',
      limit: 1,
      scope,
    });
    const hosts = await getSeries({
      period: HALF,
      metric: 'sources',
      port: P445,
      country: 'JP',
      limit: 1,
      scope,
    });
    const p = seriesValues(packets, TOTAL_SERIES);
    const pm = months(monthlyMeans(packets.days, p));
    const hm = months(monthlyMeans(hosts.days, seriesValues(hosts, TOTAL_SERIES)));
    // Jul < Aug < Sep, and September above June (the previous quarter's end).
    expect(pm.slice(3), `JP->445 packets/day Apr..Sep ${fmt(pm)}`).toSatisfy(strictlyIncreasing);
    expect(pm[5]!).toBeGreaterThan(pm[2]!);
    expect(hm.slice(3), `JP->445 sources/day Apr..Sep ${fmt(hm)}`).toSatisfy(strictlyIncreasing);
    expect(hm[5]!).toBeGreaterThan(hm[2]!);
    // Bursts: Q3 days above twice the median of the three days on either side; a burst
    // lasts a day or two, never a plateau of three days or more.
    const bursts = burstDays(packets.days, p, Q3);
    const label = bursts.map((b) => `${b.day} x${b.ratio.toFixed(1)}`).join(', ');
    expect(bursts.length, `Q3 burst days: ${label}`).toBeGreaterThanOrEqual(3);
    expect(longestRun(bursts.map((b) => b.day)), label).toBeLessThanOrEqual(2);
  });

  test('finding 6: window 8192 carries most 445/TCP packets; its hosts keep growing, other windows stay flat', async () => {
    const port = await getSeries({ period: HALF, metric: 'packets', port: P445, limit: 1, scope });
    const byWindow = await getSeries({
      period: HALF,
      metric: 'packets',
      port: P445,
      split: 'window',
      limit: 1,
      scope,
    });
    expect(byWindow.series.map((s) => s.name)).toEqual(['8192', OTHER_SERIES]);
    const all = seriesValues(port, TOTAL_SERIES);
    const w8192 = seriesValues(byWindow, '8192');
    for (const q of [Q2, Q3]) {
      const share = sumWithin(byWindow.days, w8192, q) / sumWithin(port.days, all, q);
      expect(share, `${q.from}: share of 445/TCP packets with window 8192`).toBeGreaterThan(0.5);
    }

    const hosts = await getSeries({
      period: HALF,
      metric: 'sources',
      port: P445,
      split: 'window',
      limit: 1,
      scope,
    });
    expect(hosts.series.map((s) => s.name)).toEqual(['8192', OTHER_SERIES]);
    const h8192 = months(monthlyMeans(hosts.days, seriesValues(hosts, '8192')));
    const hOther = months(monthlyMeans(hosts.days, seriesValues(hosts, OTHER_SERIES)));
    expect(h8192, `window 8192 hosts/day Apr..Sep ${fmt(h8192)}`).toSatisfy(strictlyIncreasing);
    expect(h8192[5]!).toBeGreaterThan(1.5 * h8192[1]!);
    // Flat: every month within 20 % of the others.
    expect(
      Math.max(...hOther) / Math.min(...hOther),
      `other-window hosts/day Apr..Sep ${fmt(hOther)}`,
    ).toBeLessThan(1.2);

    // The same split per country: Japan's window-8192 hosts on 445/TCP rise through Q3.
    const jp = await getSeries({
      period: HALF,
      metric: 'sources',
      port: P445,
      country: 'JP',
      split: 'window',
      limit: 1,
      scope,
    });
    expect(jp.series[0]?.name).toBe('8192');
    const jm = months(monthlyMeans(jp.days, seriesValues(jp, '8192')));
    expect(jm.slice(3), `JP window 8192 hosts/day Apr..Sep ${fmt(jm)}`).toSatisfy(
      strictlyIncreasing,
    );
  });

  describe('finding 7: DDoS backscatter from New Zealand on 2020-08-27, 08-30 and 08-31', () => {
    const SPIKES = [
      { day: '2020-08-27', hosts: 4, org: /NZX/i },
      { day: '2020-08-30', hosts: 1, org: /NZX/i },
      { day: '2020-08-31', hosts: 7, org: /bank/i },
    ];
    const VIEW: Period = { from: '2020-08-26', to: '2020-09-02' };

    test('short packet spikes on exactly those days of the 8-day view', async () => {
      // NZ's baseline: the median day of the month around the view, spike days left out.
      const around = await getSeries({
        period: { from: '2020-08-12', to: '2020-09-16' },
        metric: 'packets',
        country: 'NZ',
        limit: 1,
        scope,
      });
      const v = seriesValues(around, TOTAL_SERIES);
      const spikeDays = SPIKES.map((s) => s.day);
      const baseline = Math.max(
        1,
        median(v.filter((_, i) => !spikeDays.includes(around.days[i]!))),
      );
      const view = await getSeries({
        period: VIEW,
        metric: 'packets',
        country: 'NZ',
        limit: 1,
        scope,
      });
      const nz = seriesValues(view, TOTAL_SERIES);
      const above = view.days.filter((_, i) => nz[i]! > 5 * baseline);
      expect(above, `NZ packets/day ${nz.join(' ')} (baseline ${baseline})`).toEqual(spikeDays);
    });

    for (const spike of SPIKES) {
      test(`${spike.day}: ${spike.hosts} address(es) of one organisation, SYN-ACK backscatter, fixed window on 443/TCP and 23/TCP`, async () => {
        const day = oneDay(spike.day);
        const { asn, victims } = await spikeVictims(spike.day);
        expect(victims.length, victims.map((h) => h.ip).join(' ')).toBe(spike.hosts);
        const org = (await getTopAsns({ period: day, country: 'NZ', limit: 1, scope }))[0];
        expect(org?.asn).toBe(asn);
        expect(org?.hosts).toBe(spike.hosts);
        expect(org?.asOrg).toMatch(spike.org);

        // The spike is theirs.
        const nz = await getSeries({
          period: day,
          metric: 'packets',
          country: 'NZ',
          limit: 1,
          scope,
        });
        const nzPackets = seriesValues(nz, TOTAL_SERIES)[0]!;
        const theirs = victims.reduce((s, h) => s + h.packets, 0);
        expect(theirs / nzPackets).toBeGreaterThanOrEqual(0.9);

        const details = await Promise.all(
          victims.map((h) => getHost({ ip: h.ip, period: day, scope })),
        );
        const windows = new Set<number>();
        let to443 = 0;
        let to23 = 0;
        for (const h of details) {
          expect(h.asOrg).toMatch(spike.org);
          expect(h.class).toBe('backscatter');
          // Victims answering spoofed SYNs: every packet a SYN-ACK.
          expect(h.flags.synAck).toBe(h.packets);
          expect(h.ports.map((p) => p.port).every((p) => p === '443/tcp' || p === '23/tcp')).toBe(
            true,
          );
          // Short: the whole attack fits in a part of the day.
          const hours = (Date.parse(h.lastSeen) - Date.parse(h.firstSeen)) / 3_600_000;
          expect(hours).toBeLessThan(12);
          to443 += portPackets(h, '443/tcp');
          to23 += portPackets(h, '23/tcp');
          for (const w of h.windows) windows.add(w.value);
        }
        expect(to443).toBeGreaterThan(0);
        expect(to23).toBeGreaterThan(0);
        // One window for the whole organisation...
        expect([...windows]).toHaveLength(1);
        const win = String([...windows][0]);
        // ...and every one of their packets to 443/TCP and to 23/TCP carries it: the
        // country's window split for each port holds at least their packets in that window.
        for (const [port, theirPackets] of [
          [P443, to443],
          [P23, to23],
        ] as const) {
          const split = await getSeries({
            period: day,
            metric: 'packets',
            port,
            country: 'NZ',
            split: 'window',
            limit: 1,
            scope,
          });
          expect(split.series[0]?.name, portKey(port)).toBe(win);
          expect(seriesValues(split, win)[0]!, portKey(port)).toBeGreaterThanOrEqual(theirPackets);
        }
      });
    }

    test('fixed TCP sequence number to 443/TCP: one per organisation', async () => {
      const seqs = new Map<string, Set<number>>();
      for (const spike of SPIKES) {
        const day = oneDay(spike.day);
        const { victims } = await spikeVictims(spike.day);
        expect(victims.length).toBe(spike.hosts);
        const key = spike.org.source;
        let set = seqs.get(key);
        if (!set) {
          set = new Set();
          seqs.set(key, set);
        }
        for (const v of victims) {
          const h = await getHost({ ip: v.ip, period: day, scope });
          // The drill-down list and the host view agree, and the host sent TCP (seq >= 0).
          expect(h.seq, v.ip).toBe(v.seq);
          expect(h.seq, v.ip).toBeGreaterThanOrEqual(0);
          // Most of its TCP packets go to 443/TCP, so the majority is that port's number.
          expect(portPackets(h, '443/tcp'), v.ip).toBeGreaterThan(h.packets / 2);
          set.add(h.seq);
        }
      }
      // The stock exchange on 08-27 and 08-30 (5 host-days) and the bank on 08-31 (7):
      // every host-day of one victim has the same majority sequence number, which random
      // 32-bit sequence numbers would never give.
      expect([...seqs.keys()]).toHaveLength(2);
      for (const [org, set] of seqs) expect([...set], org).toHaveLength(1);
    });

    test('Q2 detected alone: the days after it confirm its level shifts, as with Q3 beside it', async () => {
      // The days after a detection range are read to confirm a shift near its end; a
      // range that ends before the data does must not read them as zeros (every series
      // then "dropped" on the range's last day).
      const db = getPrisma(scenario.url);
      const shifts = (found: Anomaly[]) =>
        found
          .filter((a) => a.kind === 'level-shift' && a.day <= Q2.to)
          .map((a) => `${a.day} ${a.summary}`)
          .sort();
      const alone = shifts(await detectDaily(db, Q2));
      expect(alone.filter((a) => a.startsWith(Q2.to))).toEqual([]);
      expect(alone).toEqual(shifts(await detectDaily(db, HALF)));
    });

    test('the analyst finds each spike as an anomaly of New Zealand', async () => {
      const found = await getAnomalies({ from: VIEW.from, to: VIEW.to, country: 'NZ' });
      for (const spike of SPIKES) {
        const { asn } = await spikeVictims(spike.day);
        const onDay = found.filter((a) => a.day === spike.day);
        expect(
          onDay.map((a) => `${a.kind} ${a.key}`),
          found.map((a) => a.summary).join('\n'),
        ).toContain(`backscatter AS${asn}`);
      }
    });
  });
});

/** NZ's hosts of the day in the AS that sent most of NZ's packets that day. */
async function spikeVictims(day: string): Promise<{ asn: number; victims: HostSummary[] }> {
  const period = oneDay(day);
  const [top] = await getTopAsns({ period, country: 'NZ', limit: 1, scope });
  if (!top) throw new Error(`no New Zealand hosts on ${day}`);
  const victims = await getHosts({ period, country: 'NZ', asn: top.asn, limit: 1000, scope });
  return { asn: top.asn, victims };
}

function portPackets(h: HostDetail, port: string): number {
  return h.ports.find((p) => p.port === port)?.packets ?? 0;
}

function findPort(rows: PortRank[], p: PortRef): PortRank {
  const r = rows.find((x) => x.proto === p.proto && x.port === p.port);
  if (!r) throw new Error(`${portKey(p)} is not among ${rows.map(portKey).join(' ')}`);
  return r;
}

function expectStrictlyRanked(packets: number[]): void {
  expect(
    packets.every((x, i) => i === 0 || x < packets[i - 1]!),
    packets.join(' > '),
  ).toBe(true);
}

/** The longest run of consecutive calendar days in a sorted list of days. */
function longestRun(days: string[]): number {
  let best = 0;
  let run = 0;
  let prev = Number.NaN;
  for (const d of days) {
    const t = Date.parse(`${d}T00:00:00Z`) / 86_400_000;
    run = t === prev + 1 ? run + 1 : 1;
    best = Math.max(best, run);
    prev = t;
  }
  return best;
}

function fmt(xs: number[]): string {
  return xs.map((x) => x.toFixed(1)).join(' ');
}
