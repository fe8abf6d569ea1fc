/**
 * An independent check of the 2020-q3 story in generated captures (a dev tool; the
 * project's acceptance test asserts the same through the database). Reads the pcaps
 * back with a minimal reader of its own, aggregates per UTC day, and evaluates each
 * SCENARIO.md finding.
 *
 *   npx tsx ingest/simulate/check-scenario.ts var/captures/2020-q3
 */
import path from 'node:path';
import { type GeoDb, loadGeoDb } from '../enrich/geo-db';
import { listCaptureFiles, readCaptureFile, type SimplePacket } from './capture-reader';
import { dayNumber, isoDay } from './days';
import { ipv4ToString } from './scales';

const TCP = 6;
const SYN = 0x02;
const ACK = 0x10;

export function portKey(proto: number, port: number): number {
  return ((proto << 16) | port) >>> 0;
}

export function portLabel(key: number): string {
  const proto = key >>> 16;
  const port = key & 0xffff;
  if (proto === 1) return `icmp/${port >>> 8}.${port & 0xff}`;
  return `${proto === 6 ? 'tcp' : proto === 17 ? 'udp' : String(proto)}/${port}`;
}

const P445 = portKey(TCP, 445);
const P22 = portKey(TCP, 22);
const P3389 = portKey(TCP, 3389);
const NZ_DAYS = ['2020-08-27', '2020-08-30', '2020-08-31'];

interface NzHost {
  asn: number;
  org: string;
  packets: number;
  ports: Map<number, number>;
  windows: Map<number, Set<number>>;
  seqs: Map<number, Set<number>>;
  flags: Set<number>;
  srcPorts: Set<number>;
}

/** Daily aggregates the findings need. */
export class ScenarioAggregates {
  readonly days: number;
  readonly total: Float64Array;
  readonly port = new Map<number, Float64Array>();
  readonly country = new Map<string, Float64Array>();
  readonly countryPort = new Map<string, Map<number, Float64Array>>();
  /** Distinct sources per day: to 445, to 22, JP to 445, 445 with window 8192 / other. */
  readonly hosts445: Array<Set<number>>;
  readonly hosts22: Array<Set<number>>;
  readonly hostsJp445: Array<Set<number>>;
  readonly hosts445w8192: Array<Set<number>>;
  readonly hosts445wOther: Array<Set<number>>;
  readonly packets445w8192: Float64Array;
  /** Japan -> 445 packets per day x hour (for burst shape). */
  readonly jp445Hourly: Float64Array;
  /** New Zealand sources on the spike days. */
  readonly nz = new Map<string, Map<number, NzHost>>();
  packets = 0;
  files = 0;

  constructor(
    readonly startDay: number,
    readonly endDay: number,
    private readonly geo: GeoDb,
  ) {
    this.days = endDay - startDay + 1;
    this.total = new Float64Array(this.days);
    const sets = (): Array<Set<number>> =>
      Array.from({ length: this.days }, () => new Set<number>());
    this.hosts445 = sets();
    this.hosts22 = sets();
    this.hostsJp445 = sets();
    this.hosts445w8192 = sets();
    this.hosts445wOther = sets();
    this.packets445w8192 = new Float64Array(this.days);
    this.jp445Hourly = new Float64Array(this.days * 24);
    for (const d of NZ_DAYS) this.nz.set(d, new Map());
  }

  private series<K>(m: Map<K, Float64Array>, k: K): Float64Array {
    let s = m.get(k);
    if (!s) {
      s = new Float64Array(this.days);
      m.set(k, s);
    }
    return s;
  }

  add(p: SimplePacket): void {
    if (p.proto < 0) return;
    const d = Math.floor(p.tsSec / 86_400) - this.startDay;
    if (d < 0 || d >= this.days) return;
    this.packets++;
    const cc = this.geo.country4(p.src);
    const key =
      p.proto === 1
        ? portKey(1, (p.icmpType << 8) | p.icmpCode)
        : portKey(p.proto, Math.max(0, p.dstPort));
    this.total[d]! += 1;
    this.series(this.port, key)[d]! += 1;
    this.series(this.country, cc)[d]! += 1;
    let cp = this.countryPort.get(cc);
    if (!cp) {
      cp = new Map();
      this.countryPort.set(cc, cp);
    }
    this.series(cp, key)[d]! += 1;
    if (key === P445) {
      this.hosts445[d]!.add(p.src);
      if (p.window === 8192) {
        this.hosts445w8192[d]!.add(p.src);
        this.packets445w8192[d]! += 1;
      } else {
        this.hosts445wOther[d]!.add(p.src);
      }
      if (cc === 'JP') {
        this.hostsJp445[d]!.add(p.src);
        const hour = Math.floor((p.tsSec % 86_400) / 3600);
        this.jp445Hourly[d * 24 + hour]! += 1;
      }
    } else if (key === P22) {
      this.hosts22[d]!.add(p.src);
    }
    if (cc === 'NZ') {
      const day = isoDay(d + this.startDay);
      const m = this.nz.get(day);
      if (m) {
        let h = m.get(p.src);
        if (!h) {
          const asn = this.geo.asn4(p.src);
          h = {
            asn,
            org: this.geo.asOrg(asn),
            packets: 0,
            ports: new Map(),
            windows: new Map(),
            seqs: new Map(),
            flags: new Set(),
            srcPorts: new Set(),
          };
          m.set(p.src, h);
        }
        h.packets++;
        h.ports.set(key, (h.ports.get(key) ?? 0) + 1);
        if (p.proto === TCP) {
          addTo(h.windows, key, p.window);
          addTo(h.seqs, key, p.seq);
          h.flags.add(p.flags);
          h.srcPorts.add(p.srcPort);
        }
      }
    }
  }
}

function addTo(m: Map<number, Set<number>>, k: number, v: number): void {
  let s = m.get(k);
  if (!s) {
    s = new Set();
    m.set(k, s);
  }
  s.add(v);
}

export function aggregateCaptures(dir: string, geo: GeoDb = loadGeoDb()): ScenarioAggregates {
  const agg = new ScenarioAggregates(dayNumber('2020-04-01'), dayNumber('2020-09-30'), geo);
  for (const f of listCaptureFiles(dir)) {
    readCaptureFile(f, (p) => agg.add(p));
    agg.files++;
  }
  return agg;
}

// ---------------------------------------------------------------------------------------

export interface Finding {
  id: string;
  title: string;
  ok: boolean;
  lines: string[];
}

function sum(s: ArrayLike<number> | undefined, from: number, to: number): number {
  if (!s) return 0;
  let x = 0;
  for (let i = from; i <= to; i++) x += s[i] ?? 0;
  return x;
}

function rankOf<K>(m: Map<K, Float64Array>, from: number, to: number): Array<[K, number]> {
  return [...m.entries()]
    .map(([k, s]) => [k, sum(s, from, to)] as [K, number])
    .sort((a, b) => b[1] - a[1]);
}

function pct(a: number, b: number): string {
  return `${((a / b - 1) * 100).toFixed(0)}%`;
}

function sizes(sets: Array<Set<number>>): Float64Array {
  return Float64Array.from(sets, (s) => s.size);
}

/** Mean of a daily series per calendar month (index = month - 4 for April..September). */
function monthly(agg: ScenarioAggregates, s: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let m = 4; m <= 9; m++) {
    const a = dayNumber(`2020-${String(m).padStart(2, '0')}-01`) - agg.startDay;
    const b =
      m === 9
        ? agg.days - 1
        : dayNumber(`2020-${String(m + 1).padStart(2, '0')}-01`) - agg.startDay - 1;
    out.push(sum(s, a, b) / (b - a + 1));
  }
  return out;
}

function increasing(xs: number[]): boolean {
  return xs.every((x, i) => i === 0 || x > xs[i - 1]!);
}

function fmt(xs: number[]): string {
  return xs.map((x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1))).join(' < ');
}

function corr(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Daily series divided by its centred 15-day moving average: the ups and downs. */
function detrend(s: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let t = 0;
    let n = 0;
    for (let j = Math.max(0, i - 7); j <= Math.min(s.length - 1, i + 7); j++) {
      t += s[j]!;
      n++;
    }
    out.push(t > 0 ? s[i]! / (t / n) : 1);
  }
  return out;
}

function topDays(agg: ScenarioAggregates, xs: number[], n: number): string[] {
  return xs
    .map((x, i) => [x, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, n)
    .map(([, i]) => isoDay(agg.startDay + i).slice(5));
}

export function evaluateFindings(agg: ScenarioAggregates): Finding[] {
  const q2: [number, number] = [0, dayNumber('2020-06-30') - agg.startDay];
  const q3: [number, number] = [q2[1] + 1, agg.days - 1];
  const quarters = [
    ['Q2', q2],
    ['Q3', q3],
  ] as const;
  const findings: Finding[] = [];

  // 1. Top ports.
  {
    const lines: string[] = [];
    const want = {
      Q2: ['tcp/23', 'tcp/445', 'tcp/1433', 'tcp/80', 'tcp/22'],
      Q3: ['tcp/445', 'tcp/23', 'tcp/1433', 'tcp/22', 'tcp/80'],
    };
    let ok = true;
    for (const [q, [a, b]] of quarters) {
      const r = rankOf(agg.port, a, b).slice(0, 7);
      const got = r.slice(0, 5).map(([k]) => portLabel(k));
      ok &&= JSON.stringify(got) === JSON.stringify(want[q]);
      lines.push(
        `${q}: ${r.map(([k, v], i) => `${i + 1}. ${portLabel(k)} ${v.toLocaleString('en-US')}${i < r.length - 1 ? ` (+${pct(v, r[i + 1]![1])})` : ''}`).join('  ')}`,
      );
    }
    findings.push({
      id: 'ports',
      title: 'Top-5 destination ports by packets, Q3 vs Q2',
      ok,
      lines,
    });
  }

  // 2. 445 rising since late April; 22 rising in packets and hosts.
  {
    const p445 = monthly(agg, agg.port.get(P445) ?? new Float64Array(agg.days));
    const lateApril = dayNumber('2020-04-24') - agg.startDay;
    const s445 = agg.port.get(P445) ?? new Float64Array(agg.days);
    const earlyApr = sum(s445, 0, lateApril - 1) / lateApril;
    // Two-week means from late April on.
    const fortnights: number[] = [];
    for (let a = lateApril; a + 13 < agg.days; a += 14) fortnights.push(sum(s445, a, a + 13) / 14);
    const p22 = monthly(agg, agg.port.get(P22) ?? new Float64Array(agg.days));
    const h22 = monthly(agg, sizes(agg.hosts22));
    const ok445 =
      increasing(p445.slice(1)) &&
      p445[1]! > earlyApr &&
      fortnights.filter((x, i) => i > 0 && x < fortnights[i - 1]!).length <= 1;
    const ok22 =
      increasing(h22) &&
      p22[5]! > p22[0]! * 1.3 &&
      sum(agg.port.get(P22), q3[0], q3[1]) > sum(agg.port.get(P22), q2[0], q2[1]) * 1.2;
    findings.push({
      id: 'rising',
      title: '445/TCP rising continuously since late April; 22/TCP rising in packets and hosts',
      ok: ok445 && ok22,
      lines: [
        `445/TCP packets/day: Apr 1-23 ${earlyApr.toFixed(0)}; monthly Apr..Sep ${fmt(p445)}`,
        `445/TCP fortnightly from Apr 24: ${fortnights.map((x) => x.toFixed(0)).join(' ')}`,
        `22/TCP packets/day monthly Apr..Sep: ${p22.map((x) => x.toFixed(0)).join(' ')}`,
        `22/TCP distinct sources/day monthly: ${fmt(h22)}`,
      ],
    });
  }

  // 3. Top countries.
  {
    const lines: string[] = [];
    let ok = true;
    for (const [q, [a, b]] of quarters) {
      const r = rankOf(agg.country, a, b).slice(0, 10);
      lines.push(
        `${q}: ${r.map(([k, v], i) => `${i + 1}. ${k} ${v.toLocaleString('en-US')}${i < r.length - 1 ? ` (+${pct(v, r[i + 1]![1])})` : ''}`).join('  ')}`,
      );
      const cc = r.map(([k]) => k);
      if (q === 'Q3') ok &&= cc.slice(0, 5).join(' ') === 'US RU CN NL DE';
      else ok &&= cc.slice(0, 4).join(' ') === 'RU US NL CN' && cc[8] === 'DE';
    }
    findings.push({
      id: 'countries',
      title: 'Top source countries, Q3 vs Q2 (Germany 9th -> 5th)',
      ok,
      lines,
    });
  }

  // 4. Per-country port mix: US like everyone; Russia 22 then 3389, > 10 points, other timing.
  {
    const lines: string[] = [];
    let ok = true;
    const ru = agg.countryPort.get('RU') ?? new Map<number, Float64Array>();
    const us = agg.countryPort.get('US') ?? new Map<number, Float64Array>();
    for (const [q, [a, b]] of quarters) {
      const all5 = rankOf(agg.port, a, b)
        .slice(0, 5)
        .map(([k]) => portLabel(k));
      const us5 = rankOf(us, a, b)
        .slice(0, 5)
        .map(([k]) => portLabel(k));
      const ru3 = rankOf(ru, a, b)
        .slice(0, 3)
        .map(([k]) => portLabel(k));
      const sameSet = [...us5].sort().join() === [...all5].sort().join();
      ok &&= sameSet && ru3[0] === 'tcp/22' && ru3[1] === 'tcp/3389';
      lines.push(
        `${q}: US top-5 ${us5.join(' ')} (everyone: ${all5.join(' ')}); RU top-3 ${ru3.join(' ')}`,
      );
      const ruTotal = sum(agg.country.get('RU'), a, b);
      const restTotal = sum(agg.total, a, b) - ruTotal;
      for (const k of [P22, P3389]) {
        const ruShare = (100 * sum(ru.get(k), a, b)) / ruTotal;
        const restShare = (100 * (sum(agg.port.get(k), a, b) - sum(ru.get(k), a, b))) / restTotal;
        ok &&= ruShare - restShare > 10;
        lines.push(
          `   ${portLabel(k)}: Russia ${ruShare.toFixed(1)}% of its packets vs rest ${restShare.toFixed(1)}% (+${(ruShare - restShare).toFixed(1)} points)`,
        );
      }
    }
    // Timing: Russia's 22+3389 series against the rest's, both detrended.
    const ruSeries: number[] = [];
    const restSeries: number[] = [];
    for (let d = 0; d < agg.days; d++) {
      const r = (ru.get(P22)?.[d] ?? 0) + (ru.get(P3389)?.[d] ?? 0);
      const all = (agg.port.get(P22)?.[d] ?? 0) + (agg.port.get(P3389)?.[d] ?? 0);
      ruSeries.push(r);
      restSeries.push(all - r);
    }
    const dr = detrend(ruSeries);
    const dw = detrend(restSeries);
    const c = corr(dr, dw);
    const ruPeaks = topDays(agg, dr, 6);
    const restPeaks = topDays(agg, dw, 6);
    const overlap = ruPeaks.filter((d) => restPeaks.includes(d));
    ok &&= c < 0.3 && overlap.length <= 1;
    lines.push(`22+3389 ups and downs: correlation Russia vs rest ${c.toFixed(2)}`);
    lines.push(`   Russia's peak days ${ruPeaks.join(' ')}; the rest's ${restPeaks.join(' ')}`);
    findings.push({
      id: 'country-ports',
      title: "US ports like everyone's; Russia 22 then 3389, its own timing",
      ok,
      lines,
    });
  }

  // 5. Japan -> 445.
  {
    const jp = agg.countryPort.get('JP')?.get(P445) ?? new Float64Array(agg.days);
    const jpHosts = sizes(agg.hostsJp445);
    const pm = monthly(agg, jp);
    const hm = monthly(agg, jpHosts);
    // Bursts: Q3 days above twice their 7-day median, and how concentrated they are in time.
    const bursts: string[] = [];
    for (let d = q3[0]; d <= q3[1]; d++) {
      const win: number[] = [];
      for (let j = Math.max(0, d - 3); j <= Math.min(agg.days - 1, d + 3); j++)
        if (j !== d) win.push(jp[j]!);
      win.sort((a, b) => a - b);
      const med = win[Math.floor(win.length / 2)] ?? 0;
      if (jp[d]! > 2 * med && med > 0) {
        let peak = 0;
        for (let h = 0; h < 22; h++) {
          peak = Math.max(
            peak,
            agg.jp445Hourly[d * 24 + h]! +
              agg.jp445Hourly[d * 24 + h + 1]! +
              agg.jp445Hourly[d * 24 + h + 2]!,
          );
        }
        bursts.push(
          `${isoDay(agg.startDay + d).slice(5)} x${(jp[d]! / med).toFixed(1)} (${((100 * peak) / jp[d]!).toFixed(0)}% in 3 h)`,
        );
      }
    }
    const ok =
      increasing(pm.slice(3)) && increasing(hm.slice(3)) && pm[5]! > pm[2]! && bursts.length >= 3;
    findings.push({
      id: 'japan-445',
      title: 'Japan -> 445/TCP: packets and hosts rising through Q3, short sharp bursts',
      ok,
      lines: [
        `JP->445 packets/day monthly Apr..Sep: ${pm.map((x) => x.toFixed(0)).join(' ')}`,
        `JP->445 distinct sources/day monthly: ${hm.map((x) => x.toFixed(1)).join(' ')}`,
        `Q3 burst days: ${bursts.join(', ')}`,
      ],
    });
  }

  // 6. Window 8192.
  {
    const w8192 = monthly(agg, sizes(agg.hosts445w8192));
    const other = monthly(agg, sizes(agg.hosts445wOther));
    const lines: string[] = [];
    let ok = increasing(w8192.slice(1)) && w8192[5]! > 1.5 * w8192[1]!;
    const flat = other[5]! / other[1]!;
    ok &&= flat > 0.8 && flat < 1.25;
    for (const [q, [a, b]] of quarters) {
      const share = sum(agg.packets445w8192, a, b) / sum(agg.port.get(P445), a, b);
      ok &&= share > 0.6;
      lines.push(`${q}: ${(100 * share).toFixed(1)}% of 445/TCP packets carry window 8192`);
    }
    lines.push(`445/TCP sources/day with window 8192, monthly: ${fmt(w8192)}`);
    lines.push(
      `445/TCP sources/day with other windows, monthly: ${other.map((x) => x.toFixed(1)).join(' ')} (Sep/May ${flat.toFixed(2)})`,
    );
    findings.push({
      id: 'window-8192',
      title: 'Window 8192 hosts to 445/TCP grow, other windows flat',
      ok,
      lines,
    });
  }

  // 7. New Zealand backscatter.
  {
    const nz = agg.country.get('NZ') ?? new Float64Array(agg.days);
    const lines: string[] = [];
    const a = dayNumber('2020-08-20') - agg.startDay;
    const b = dayNumber('2020-09-05') - agg.startDay;
    const spikeIdx = NZ_DAYS.map((d) => dayNumber(d) - agg.startDay);
    const others: number[] = [];
    for (let d = a; d <= b; d++) if (!spikeIdx.includes(d)) others.push(nz[d]!);
    others.sort((x, y) => x - y);
    const base = others[Math.floor(others.length / 2)] ?? 0;
    lines.push(
      `NZ packets/day 08-20..09-05: ${Array.from({ length: b - a + 1 }, (_, i) => nz[a + i]!).join(' ')} (median of other days ${base})`,
    );
    let ok = true;
    const want: Record<string, [number, number]> = {
      '2020-08-27': [4, 137052],
      '2020-08-30': [1, 137052],
      '2020-08-31': [7, 139656],
    };
    for (const day of NZ_DAYS) {
      const d = dayNumber(day) - agg.startDay;
      ok &&= nz[d]! > 5 * Math.max(base, 1);
      const [n, asn] = want[day]!;
      const victims = [...(agg.nz.get(day) ?? new Map<number, NzHost>()).entries()].filter(
        ([, h]) => h.asn === asn,
      );
      ok &&= victims.length === n;
      const w443 = new Set<number>();
      const s443 = new Set<number>();
      const w23 = new Set<number>();
      for (const [, h] of victims) {
        for (const x of h.windows.get(portKey(TCP, 443)) ?? []) w443.add(x);
        for (const x of h.seqs.get(portKey(TCP, 443)) ?? []) s443.add(x);
        for (const x of h.windows.get(portKey(TCP, 23)) ?? []) w23.add(x);
        ok &&= [...h.flags].every((f) => (f & (SYN | ACK)) === (SYN | ACK));
      }
      ok &&= w443.size === 1 && s443.size === 1 && w23.size === 1;
      const first = victims[0]?.[1];
      lines.push(
        `${day}: NZ ${nz[d]} packets (x${(nz[d]! / Math.max(base, 1)).toFixed(0)}); ${victims.length} sources of AS${asn} ${first?.org ?? '?'}: ` +
          victims.map(([ip, h]) => `${ipv4ToString(ip)} (${h.packets})`).join(', '),
      );
      lines.push(
        `   to 443/TCP: window ${[...w443].join(',')} seq ${[...s443].join(',')}; to 23/TCP: window ${[...w23].join(',')}; ` +
          `flags SYN-ACK, source port ${[...new Set(victims.flatMap(([, h]) => [...h.srcPorts]))].join(',')}`,
      );
    }
    findings.push({
      id: 'nz-backscatter',
      title: 'New Zealand DDoS backscatter on 08-27, 08-30, 08-31',
      ok,
      lines,
    });
  }
  return findings;
}

export function formatFindings(agg: ScenarioAggregates, findings: Finding[]): string {
  const out: string[] = [
    `${agg.files} files, ${agg.packets.toLocaleString('en-US')} packets, ` +
      `${(sum(agg.total, 0, agg.days - 1) / agg.days).toFixed(0)} packets/day`,
  ];
  for (const f of findings) {
    out.push(`[${f.ok ? 'ok' : 'FAIL'}] ${f.title}`);
    for (const l of f.lines) out.push(`    ${l}`);
  }
  return out.join('\n');
}

async function main(): Promise<number> {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: check-scenario.ts DIR (a `scanline simulate --scenario 2020-q3` output)');
    return 2;
  }
  const t0 = performance.now();
  const agg = aggregateCaptures(path.resolve(dir));
  const findings = evaluateFindings(agg);
  console.log(formatFindings(agg, findings));
  console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return findings.every((f) => f.ok) ? 0 : 1;
}

if (process.argv[1] && /check-scenario\.[tj]s$/.test(process.argv[1])) {
  main().then((c) => {
    process.exitCode = c;
  });
}
