/**
 * Synthetic daily aggregates shaped like a /16 darknet telescope, for the dashboard
 * benchmark. Generating and ingesting a year of /16 captures (6M packets a day) is far
 * too slow on a small machine, so each day's FileAggregates are built directly from a
 * synthetic source population, exactly as the aggregator would build them from packets:
 * every row's packets add up to the day's total and every sketch holds the addresses
 * that sent to that row's key.
 *
 * Per day (defaults, see SynthOptions):
 * - ~320k distinct sources (the simulator's /16 day has 322,775), ~6M packets;
 * - ~200 countries (ISO codes, weights falling off like a Zipf law from US, CN, RU...),
 *   each with a handful of ASes;
 * - regular scanners: 1-6 ports each from a Zipf popularity over all TCP/UDP ports
 *   (the well-known scanned ports first), heavy-tailed packet counts, tool mix (Mirai,
 *   ZMap, masscan, OS stacks) that decides TCP window and fingerprints;
 * - a few port sweepers (masscan / ZMap) that touch hundreds to thousands of random TCP
 *   ports each, and DDoS victims whose SYN-ACK / RST backscatter lands on random
 *   high ports: together they make the long tail of tens of thousands of ports a day;
 * - events: every 17th day one AS's victims burst (a backscatter event), every 23rd day
 *   one port gets a scanning wave, and window 8192 on 445/TCP from JP grows through the
 *   year (campaign growth), so the anomaly detectors have something to find.
 *
 * Per-host rows: only the `hostsPerDay` busiest sources of a day get a daily_host row
 * (a /16's ~320k rows a day for a year would take hours to write here); the aggregate
 * rows and their sketches always count every source.
 */
import type { DailyHostRow, FileAggregates } from '@/ingest/aggregate/rows';
import { SourceSketch } from '@/ingest/aggregate/source-sketch';
import { mix32 } from '@/ingest/simulate/prng';
import { addDays } from '@/lib/api/period';
import { rng } from '@/tests/support/aggregates';

export interface SynthOptions {
  /** First UTC day. */
  start: string;
  days: number;
  /** Distinct sources per day (aggregate rows and sketches). */
  sourcesPerDay: number;
  /** Per-host rows written per day (the busiest sources). */
  hostsPerDay: number;
  /** Port sweepers active per day (mean). */
  sweepers: number;
  /** Mean distinct ports one sweeper touches. */
  sweepPorts: number;
  /** DDoS victims sending backscatter per day (mean). */
  backscatterHosts: number;
  seed: number;
}

export const DEFAULT_SYNTH: SynthOptions = {
  start: '2023-01-01',
  days: 365,
  sourcesPerDay: 320_000,
  hostsPerDay: 20_000,
  sweepers: 16,
  sweepPorts: 700,
  backscatterHosts: 2_000,
  seed: 16,
};

/** Bumped whenever the generator changes what it writes (invalidates cached seeds). */
export const SYNTH_VERSION = 1;

/** A stable identity of the options (cache file names, ledger hashes). */
export function synthKey(o: SynthOptions): string {
  return [
    `v${SYNTH_VERSION}`,
    `d${o.days}`,
    o.start,
    `s${o.sourcesPerDay}`,
    `h${o.hostsPerDay}`,
    `w${o.sweepers}x${o.sweepPorts}`,
    `b${o.backscatterHosts}`,
    `r${o.seed}`,
  ].join('-');
}

// ---------------------------------------------------------------------------------
// Deterministic randomness

/** 32-bit integer hash (murmur3 finaliser) of up to three integers. */
function hash3(a: number, b: number, c: number): number {
  const h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  return mix32(h ^ Math.imul(c ^ 0x165667b1, 0x27d4eb2f));
}

/** Uniform in [0, 1) from a hash. */
function unit(a: number, b: number, c: number): number {
  return hash3(a, b, c) / 4294967296;
}

/** Pareto (heavy tail) with minimum xm and shape alpha, capped. */
function pareto(u: number, xm: number, alpha: number, cap: number): number {
  return Math.min(cap, Math.floor(xm / (1 - u) ** (1 / alpha)));
}

/** Cumulative weights for binary-search sampling. */
function cumulative(weights: number[]): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i]!;
    c[i] = s;
  }
  for (let i = 0; i < c.length; i++) c[i]! /= s;
  return c;
}

function pick(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------
// The world: countries, ASes, ports, tools

/** Source countries roughly in the order telescopes see them, then the rest A-Z. */
const TOP_COUNTRIES = [
  'US', 'CN', 'RU', 'NL', 'DE', 'BR', 'IN', 'VN', 'KR', 'GB', 'FR', 'TW', 'JP', 'BG', 'SG',
  'HK', 'ID', 'TR', 'UA', 'IR', 'TH', 'MX', 'AR', 'CA', 'IT', 'PL', 'RO', 'EG', 'PK', 'ZA',
  'ES', 'SE', 'CO', 'BD', 'MY', 'PH', 'SC', 'LT', 'CH', 'AU', 'SA', 'KZ', 'CL', 'PE', 'VE',
  'MA', 'DZ', 'TN', 'NG', 'KE', 'IL', 'AE', 'BY', 'CZ', 'HU', 'AT', 'BE', 'DK', 'FI', 'NO',
  'PT', 'GR', 'IE', 'NZ', 'EC', 'BO', 'UY', 'PY', 'CR', 'PA', 'DO', 'GT', 'HN', 'SV', 'NI',
]; // biome-ignore format: a table

const OTHER_COUNTRIES =
  'AD AF AG AL AM AO AZ BA BB BF BH BI BJ BN BS BT BW BZ CD CF CG CI CM CU CV CY DJ DM EE ER ET FJ FM GA GD GE GH GM GN GQ GW GY HR HT IQ IS JM JO KG KH KI KM KN KW LA LB LC LI LK LR LS LU LV LY MC MD ME MG MH MK ML MM MN MR MT MU MV MW MZ NA NE NP NR OM PG PS PW QA RS RW SB SD SI SK SL SM SN SO SR SS ST SY SZ TD TG TJ TL TM TO TT TV TZ UG UZ VA VC WS YE ZM ZW'.split(
    ' ',
  );

/** Well-known scanned TCP ports, most scanned first. */
const TCP_HEAD = [
  23, 445, 22, 80, 8080, 3389, 443, 2323, 5555, 1433, 81, 8443, 3306, 5900, 6379, 37215, 52869,
  7547, 8081, 25, 21, 8088, 9200, 2222, 5432, 8888, 139, 135, 110, 143, 1723, 6443, 9000, 10000,
  5060, 8000, 49152, 60001, 7001, 8291, 11211, 27017, 2375, 4567, 5001, 8545, 9090, 1080, 3128,
]; // biome-ignore format: a table

const UDP_HEAD = [53, 123, 161, 1900, 5060, 11211, 137, 389, 19, 500, 3702, 5353, 69, 111, 1194];

const MIRAI_PORTS = [23, 2323, 5555, 37215, 52869, 80, 8080, 81, 7547];

/** OS TCP windows of regular scanners (with weights). */
const OS_WINDOWS = [29200, 64240, 65535, 14600, 8192, 5840];
const OS_WINDOW_W = cumulative([30, 24, 18, 12, 9, 7]);

/** Backscatter SYN-ACK windows. */
const BS_WINDOWS = [29200, 65535, 14600, 28960, 8192, 5792];

enum Tool {
  Mirai = 0,
  Zmap = 1,
  Masscan = 2,
  Os = 3,
  Sweeper = 4,
  Victim = 5,
}

interface World {
  countries: string[];
  countryCdf: Float64Array;
  /** Per country: its AS numbers. */
  asns: number[][];
  asOrg: Map<number, string>;
  /** Port rank r (0-based) -> proto*65536 + port, all TCP and UDP ports. */
  portByRank: Int32Array;
  portCdf: Float64Array;
}

const TCP = 0;
const UDP = 1;
const PROTO_NAMES = ['tcp', 'udp'];

function buildWorld(seed: number): World {
  const rnd = rng(seed ^ 0x5eed);
  const countries = [
    ...TOP_COUNTRIES,
    ...OTHER_COUNTRIES.filter((c) => !TOP_COUNTRIES.includes(c)),
  ];
  // Zipf-like weights, plus 2% unknown (ZZ).
  const weights = countries.map((_, i) => 1 / (i + 2) ** 1.25);
  const total = weights.reduce((a, b) => a + b, 0);
  countries.push('ZZ');
  weights.push(total * 0.02);
  const asns: number[][] = [];
  const asOrg = new Map<number, string>();
  let next = 3000;
  countries.forEach((cc, i) => {
    const n = cc === 'ZZ' ? 1 : Math.max(1, Math.round(24 / (1 + i / 6)));
    const list: number[] = [];
    for (let k = 0; k < n; k++) {
      const asn = cc === 'ZZ' ? 0 : next + Math.floor(rnd() * 40);
      next = asn + 41;
      list.push(asn);
      if (asn) asOrg.set(asn, `${cc}NET-${k + 1} ${cc} Example Networks ${k + 1}`);
    }
    asns.push(list);
  });
  // Ports: the head lists first, then every other TCP/UDP port in a shuffled order.
  const head: number[] = [];
  const tcpHead = new Set(TCP_HEAD);
  const udpHead = new Set(UDP_HEAD);
  for (let i = 0; i < Math.max(TCP_HEAD.length, UDP_HEAD.length); i++) {
    if (i < TCP_HEAD.length) head.push(TCP * 65536 + TCP_HEAD[i]!);
    if (i < UDP_HEAD.length && i % 3 === 2) head.push(UDP * 65536 + UDP_HEAD[i]!);
  }
  for (const p of UDP_HEAD) if (!head.includes(UDP * 65536 + p)) head.push(UDP * 65536 + p);
  const rest: number[] = [];
  for (let p = 1; p < 65536; p++) {
    if (!tcpHead.has(p)) rest.push(TCP * 65536 + p);
    if (!udpHead.has(p) && p % 4 === 0) rest.push(UDP * 65536 + p);
  }
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [rest[i], rest[j]] = [rest[j]!, rest[i]!];
  }
  const portByRank = Int32Array.from([...head, ...rest]);
  const portCdf = cumulative(Array.from(portByRank, (_, r) => 1 / (r + 1.5) ** 1.6));
  return {
    countries,
    countryCdf: cumulative(weights),
    asns,
    asOrg,
    portByRank,
    portCdf,
  };
}

// ---------------------------------------------------------------------------------
// One day

interface Acc {
  packets: number;
  sketch: SourceSketch;
}

const TAGS = [
  'class:scan',
  'class:backscatter',
  'fp:mirai',
  'fp:zmap',
  'fp:masscan',
  'fp:large-scale-scanner',
];

/** Every TCP window the generator uses, indexed (small-integer map keys). */
const WINDOWS = [...new Set([...OS_WINDOWS, ...BS_WINDOWS, 1024, 5840, 14600, 29200, 65535, 8192])];
const WINDOW_INDEX = new Map(WINDOWS.map((w, i) => [w, i]));

function windowIndex(w: number): number {
  const i = WINDOW_INDEX.get(w);
  if (i === undefined) throw new Error(`unknown window ${w}`);
  return i;
}

function tagIndex(tag: string): number {
  const i = TAGS.indexOf(tag);
  if (i < 0) throw new Error(`unknown tag ${tag}`);
  return i;
}

class Table {
  readonly map = new Map<number, Acc>();
  add(key: number, ip: number, packets: number): void {
    let a = this.map.get(key);
    if (!a) {
      a = { packets: 0, sketch: new SourceSketch() };
      this.map.set(key, a);
    }
    a.packets += packets;
    a.sketch.addIPv4(ip);
  }
}

interface HostAcc {
  ip: number;
  country: number;
  asn: number;
  tool: Tool;
  window: number;
  ttl: number;
  packets: number;
  ports: Map<number, number>;
  synAck: number;
  rst: number;
  udp: number;
  fps: string[];
  firstSec: number;
  lastSec: number;
}

export interface SynthDay {
  day: string;
  aggregates: FileAggregates;
  packets: number;
  sources: number;
}

function ipText(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

interface HostAttrs {
  country: number;
  asn: number;
  ip: number;
  tool: Tool;
  window: number;
  ttl: number;
  persistent: boolean;
}

/** Population: a persistent pool (active most days) and a churning one. */
const POOL_FACTOR = 1.7;

export class Synth {
  readonly world: World;
  private readonly pool: number;

  constructor(readonly opts: SynthOptions) {
    this.world = buildWorld(opts.seed);
    this.pool = Math.round(opts.sourcesPerDay * POOL_FACTOR);
  }

  dayOf(i: number): string {
    return addDays(this.opts.start, i);
  }

  private readonly attrs: (HostAttrs | undefined)[] = [];

  /** Attributes of pool host h (stable across days; computed once). */
  private host(h: number): HostAttrs {
    let a = this.attrs[h];
    if (!a) {
      a = this.hostAttrs(h);
      this.attrs[h] = a;
    }
    return a;
  }

  private hostAttrs(h: number): HostAttrs {
    const s = this.opts.seed;
    const country = pick(this.world.countryCdf, unit(h, s, 1));
    const asList = this.world.asns[country]!;
    const asn = asList[Math.floor(unit(h, s, 2) ** 2 * asList.length)]!;
    // The low 24 bits are a bijection of h (h < 2^24): unique addresses.
    const low = Math.imul(h, 0x9e3779b1) & 0xffffff;
    const first = 1 + ((country * 7 + (hash3(h, s, 3) % 5)) % 222);
    const ip = ((first << 24) | low) >>> 0;
    const t = unit(h, s, 4);
    const tool = t < 0.25 ? Tool.Mirai : t < 0.35 ? Tool.Zmap : t < 0.45 ? Tool.Masscan : Tool.Os;
    const window =
      tool === Tool.Zmap
        ? 65535
        : tool === Tool.Masscan
          ? 1024
          : tool === Tool.Mirai
            ? [1024, 5840, 14600, 29200][hash3(h, s, 5) % 4]!
            : OS_WINDOWS[pick(OS_WINDOW_W, unit(h, s, 6))]!;
    const ttl = [46, 50, 52, 110, 235][hash3(h, s, 7) % 5]!;
    const persistent = unit(h, s, 8) < 0.35;
    return { country, asn, ip, tool, window, ttl, persistent };
  }

  /** Activity of pool host h on day d. */
  private active(h: number, d: number, persistent: boolean): boolean {
    const p = persistent ? 0.92 : 0.42;
    return unit(h, d, this.opts.seed ^ 0xac7) < p;
  }

  /** Weekly and yearly shape of the day's volume (1 = average). */
  private volume(d: number): number {
    const weekday = new Date(`${this.dayOf(d)}T00:00:00Z`).getUTCDay();
    const weekly = weekday === 0 || weekday === 6 ? 0.93 : 1.02;
    return weekly * (0.9 + 0.2 * (d / Math.max(1, this.opts.days)));
  }

  day(d: number): SynthDay {
    const o = this.opts;
    const w = this.world;
    const day = this.dayOf(d);
    const t0 = Date.parse(`${day}T00:00:00Z`) / 1000;
    const rnd = rng(hash3(d, o.seed, 99));
    const total = new Table();
    const ports = new Table();
    const countries = new Table();
    const countryPorts = new Table();
    const windows = new Table();
    const tags = new Table();
    const hosts: HostAcc[] = [];
    const cc = w.countries;
    const jp = cc.indexOf('JP');
    const waveDay = d % 23 === 11;
    const wavePort = w.portByRank[60 + (d % 400)]!;
    const burstDay = d % 17 === 8;

    const newHost = (
      ip: number,
      country: number,
      asn: number,
      tool: Tool,
      window: number,
      ttl: number,
    ): HostAcc => {
      const a = rnd() * 86000;
      const b = a + rnd() * (86399 - a);
      const h: HostAcc = {
        ip,
        country,
        asn,
        tool,
        window,
        ttl,
        packets: 0,
        ports: new Map(),
        synAck: 0,
        rst: 0,
        udp: 0,
        fps: [],
        firstSec: Math.floor(a),
        lastSec: Math.floor(b),
      };
      hosts.push(h);
      return h;
    };

    /** One (host, port) flow: every table the aggregator would touch. */
    const flow = (h: HostAcc, key: number, packets: number, cls: string) => {
      const proto = key >>> 16;
      const port = key & 0xffff;
      const ip = h.ip;
      h.packets += packets;
      h.ports.set(key, (h.ports.get(key) ?? 0) + packets);
      if (proto === UDP) h.udp += packets;
      ports.add(key, ip, packets);
      countryPorts.add(h.country * 131072 + key, ip, packets);
      if (proto === TCP)
        windows.add((h.country * 65536 + port) * 32 + windowIndex(h.window), ip, packets);
      tags.add(tagIndex(cls) * 131072 + key, ip, packets);
      for (const fp of h.fps) tags.add(tagIndex(fp) * 131072 + key, ip, packets);
    };

    const scale = this.volume(d);
    // Regular scanners from the pool.
    for (let hi = 0; hi < this.pool; hi++) {
      const a = this.host(hi);
      if (!this.active(hi, d, a.persistent)) continue;
      if (unit(hi, d, 17) > scale) continue;
      let window = a.window;
      // The JP window-8192 campaign on 445/TCP grows through the year.
      const campaign =
        a.country === jp && a.tool === Tool.Os && unit(hi, o.seed, 31) < 0.25 + d / o.days;
      if (campaign) window = 8192;
      const h = newHost(a.ip, a.country, a.asn, a.tool, window, a.ttl);
      if (a.tool === Tool.Mirai) h.fps.push('fp:mirai');
      else if (a.tool === Tool.Zmap) h.fps.push('fp:zmap');
      else if (a.tool === Tool.Masscan) h.fps.push('fp:masscan');
      const n = Math.min(6, 1 + Math.floor(-Math.log(1 - rnd()) * 0.9));
      for (let k = 0; k < n; k++) {
        let key: number;
        if (campaign && k === 0) key = TCP * 65536 + 445;
        else if (a.tool === Tool.Mirai)
          key = TCP * 65536 + MIRAI_PORTS[Math.floor(rnd() ** 1.6 * MIRAI_PORTS.length)]!;
        else key = w.portByRank[pick(w.portCdf, rnd())]!;
        if (waveDay && k === 0 && rnd() < 0.04) key = wavePort;
        flow(h, key, pareto(rnd(), 3, 1.25, 200_000), 'class:scan');
      }
      if (h.packets > 5000) h.fps.push('fp:large-scale-scanner');
    }
    // Port sweepers: many random TCP ports, one or two packets each.
    const sweepers = Math.max(1, Math.round(o.sweepers * (0.7 + 0.6 * rnd())));
    for (let k = 0; k < sweepers; k++) {
      const id = this.pool + (hash3(k, d, o.seed) % (o.sweepers * 4));
      const a = this.host(id);
      const tool = k % 3 === 0 ? Tool.Zmap : Tool.Masscan;
      const h = newHost(
        a.ip,
        a.country,
        a.asn,
        Tool.Sweeper,
        tool === Tool.Zmap ? 65535 : 1024,
        52,
      );
      h.fps.push(tool === Tool.Zmap ? 'fp:zmap' : 'fp:masscan');
      const n = Math.min(20_000, Math.round(o.sweepPorts * Math.exp(rnd() * 2 - 1)));
      for (let j = 0; j < n; j++) {
        const port = 1 + Math.floor(rnd() * 65535);
        flow(h, TCP * 65536 + port, 1 + (rnd() < 0.2 ? 1 : 0), 'class:scan');
      }
    }
    // DDoS victims: backscatter to random high ports.
    const victims = Math.round(o.backscatterHosts * (0.8 + 0.4 * rnd()));
    const burstCountry = 1 + (d % 60);
    for (let k = 0; k < victims; k++) {
      const id = this.pool * 2 + (hash3(k, d, o.seed ^ 0xbac) % (o.backscatterHosts * 6));
      const a = this.host(id);
      const burst = burstDay && k < 4;
      const country = burst ? burstCountry : a.country;
      const asList = w.asns[country]!;
      const asn = burst ? asList[0]! : a.asn;
      const window = BS_WINDOWS[hash3(id, o.seed, 41) % BS_WINDOWS.length]!;
      const h = newHost(
        burst ? ((((country * 7) % 222) + 1) << 24) | (0xfe00 + k) : a.ip,
        country,
        asn,
        Tool.Victim,
        window,
        a.ttl,
      );
      const synAck = hash3(id, o.seed, 42) % 3 !== 0;
      const n = burst ? 400 : 1 + Math.floor(pareto(rnd(), 1, 1.1, 3000) / 2);
      for (let j = 0; j < n; j++) {
        const port = 1024 + Math.floor(rnd() * 64512);
        const p = burst ? 5 + Math.floor(rnd() * 20) : 1 + (rnd() < 0.3 ? 1 : 0);
        flow(h, TCP * 65536 + port, p, 'class:backscatter');
        if (synAck) h.synAck += p;
        else h.rst += p;
      }
    }

    // Totals, countries; host rows of the busiest sources.
    let packets = 0;
    for (const h of hosts) {
      packets += h.packets;
      total.add(0, h.ip, h.packets);
      countries.add(h.country, h.ip, h.packets);
    }
    const busiest = [...hosts]
      .sort((a, b) => b.packets - a.packets || a.ip - b.ip)
      .slice(0, o.hostsPerDay);
    const agg: FileAggregates = {
      totals: [{ day, packets, sources: total.map.get(0)!.sketch }],
      ports: [],
      countries: [],
      countryPorts: [],
      windows: [],
      tags: [],
      hosts: [],
    };
    for (const [k, a] of ports.map) {
      agg.ports.push({
        day,
        proto: PROTO_NAMES[k >>> 16]!,
        port: k & 0xffff,
        packets: a.packets,
        sources: a.sketch,
      });
    }
    for (const [key, a] of countries.map) {
      agg.countries.push({ day, country: cc[key]!, packets: a.packets, sources: a.sketch });
    }
    for (const [k, a] of countryPorts.map) {
      const pk = k % 131072;
      agg.countryPorts.push({
        day,
        country: cc[Math.floor(k / 131072)]!,
        proto: PROTO_NAMES[pk >>> 16]!,
        port: pk & 0xffff,
        packets: a.packets,
        sources: a.sketch,
      });
    }
    for (const [k, a] of windows.map) {
      const cp = Math.floor(k / 32);
      agg.windows.push({
        day,
        country: cc[Math.floor(cp / 65536)]!,
        port: cp % 65536,
        window: WINDOWS[k % 32]!,
        packets: a.packets,
        sources: a.sketch,
      });
    }
    for (const [k, a] of tags.map) {
      const pk = k % 131072;
      agg.tags.push({
        day,
        tag: TAGS[Math.floor(k / 131072)]!,
        proto: PROTO_NAMES[pk >>> 16]!,
        port: pk & 0xffff,
        packets: a.packets,
        sources: a.sketch,
      });
    }
    agg.hosts = busiest.map((h) => hostRow(day, t0, h, w));
    return { day, aggregates: agg, packets, sources: new Set(hosts.map((h) => h.ip)).size };
  }
}

function hostRow(day: string, t0: number, h: HostAcc, w: World): DailyHostRow {
  const sorted = [...h.ports].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const ports: Record<string, number> = {};
  for (const [key, n] of sorted.slice(0, 16))
    ports[`${PROTO_NAMES[key >>> 16]}/${key & 0xffff}`] = n;
  const tcp = h.packets - h.udp;
  const backscatter = h.tool === Tool.Victim;
  const syn = backscatter ? 0 : tcp;
  const row = {
    day,
    ip: ipText(h.ip),
    country: w.countries[h.country]!,
    asn: h.asn,
    asOrg: w.asOrg.get(h.asn) ?? '',
    packets: h.packets,
    bytes: h.packets * 60,
    ports,
    distinctPorts: h.ports.size,
    distinctDsts: Math.min(65536, Math.max(1, Math.round(h.packets * 0.95))),
    syn,
    synAck: h.synAck,
    rst: h.rst,
    ack: 0,
    otherTcp: 0,
    udp: h.udp,
    icmp: 0,
    window: tcp > 0 ? h.window : -1,
    ttl: h.ttl,
    // The majority sequence number is not modelled (-1 = unknown) by the benchmark.
    seq: -1,
    fingerprints: [...h.fps].map((f) => f.slice(3)).sort(),
    scanPackets: backscatter ? 0 : h.packets,
    backscatterPackets: backscatter ? h.packets : 0,
    firstSeen: new Date((t0 + h.firstSec) * 1000),
    lastSeen: new Date((t0 + h.lastSec) * 1000),
  };
  return row as DailyHostRow;
}
