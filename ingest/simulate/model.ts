/**
 * Compiles a scenario into flat per-day arrays: one "sub-population" per (population,
 * country), with its expected traffic per scenario day (base and burst parts, in units),
 * its host counts at the reference scale, its port table and its packet shape as
 * numeric codes. The generator and the expected-value calculator read the same arrays,
 * so what the tests predict is what the files contain (up to sampling noise).
 */
import { dayNumber, weekdayMon0 } from './days';
import { TCP_ACK, TCP_RST, TCP_SYN, TcpOptions } from './packet-builder';
import { hash2, hash3, hashString, unit } from './prng';
import type {
  Bursts,
  Choice,
  PacketShape,
  PayloadName,
  Population,
  PortWeight,
  Scenario,
  TcpFlagName,
  Trend,
} from './scenario-types';

export const PROTO_NUM = { tcp: 6, udp: 17, icmp: 1 } as const;

export enum WindowMode {
  Fixed = 0,
  PerHost = 1,
  PerPacket = 2,
  Random = 3,
}
export enum SeqMode {
  Random = 0,
  Dst = 1,
  Fixed = 2,
}
export enum IpIdMode {
  Random = 0,
  Zmap = 1,
  Masscan = 2,
  Incremental = 3,
  Zero = 4,
  Fixed = 5,
}
export enum SrcPortMode {
  Ephemeral = 0,
  EphemeralWindows = 1,
  Random = 2,
  PerHost = 3,
  Fixed = 4,
  PerHostChoice = 5,
}

/** A small weighted table: values and cumulative weights (last = 1). */
export interface Table {
  values: number[];
  cum: number[];
}

export interface CompiledShape {
  proto: number;
  flags: Table;
  windowMode: WindowMode;
  window: Table;
  ttlInitial: Table;
  hopMin: number;
  hopMax: number;
  seqMode: SeqMode;
  seqFixed: number;
  ipIdMode: IpIdMode;
  ipIdFixed: number;
  options: TcpOptions;
  srcPortMode: SrcPortMode;
  srcPortFixed: number;
  srcPorts: Table;
  df: boolean;
  /** Payload name for UDP ('auto' picks by destination port). */
  payload: PayloadName | 'auto';
}

export interface CompiledPorts {
  /** Protocol number per entry (6, 17, 1). */
  proto: number[];
  lo: number[];
  hi: number[];
  cum: number[];
}

/** One population's traffic from one country, over the scenario's days. */
export interface SubPop {
  id: number;
  population: string;
  country: string;
  asns: readonly number[] | undefined;
  expectOrg: RegExp | undefined;
  /** Address pool key: hosts with the same pool key and index share an address. */
  pool: string;
  poolSalt: number;
  salt: number;
  /** Expected units per scenario day: base traffic (trend, rhythm, wave) and burst extra. */
  baseUnits: Float64Array;
  extraUnits: Float64Array;
  /** Start hour of the day's burst window (-1 when no burst). */
  burstStart: Float64Array;
  burstHours: number;
  /** Share of the burst extra traffic carried by extra hosts that join for the day. */
  burstHostShare: number;
  /** Base traffic window within the day. */
  hoursStart: number;
  hoursLen: number;
  /** Reference-scale host count per day (before presence), and burst extra hosts. */
  hostsRef: Float64Array;
  burstHostsRef: Float64Array;
  /** Level-1 reference host count (anchors churn). */
  baseHostsRef: number;
  fixedHosts: number;
  sigma: number;
  presence: number;
  churn: number;
  ports: CompiledPorts;
  shape: CompiledShape;
}

export interface CompiledScenario {
  scenario: Scenario;
  startDay: number;
  endDay: number;
  days: number;
  subpops: SubPop[];
}

/** A trend as a function of the day number, with its dates parsed once. */
export function compileTrend(t: Trend): (day: number) => number {
  switch (t.kind) {
    case 'flat':
      return () => 1;
    case 'linear': {
      const a = dayNumber(t.from);
      const b = dayNumber(t.to);
      return (day) => {
        if (day <= a) return t.start;
        if (day >= b) return t.end;
        return t.start + ((t.end - t.start) * (day - a)) / (b - a);
      };
    }
    case 'growth': {
      const a = dayNumber(t.from);
      return (day) => (day <= a ? 1 : (1 + t.perDay) ** (day - a));
    }
    case 'decay': {
      const a = dayNumber(t.from);
      const floor = t.floor ?? 0;
      return (day) => (day <= a ? 1 : floor + (1 - floor) * 0.5 ** ((day - a) / t.halfLifeDays));
    }
    case 'step': {
      const at = dayNumber(t.at);
      return (day) => (day < at ? t.before : t.after);
    }
    case 'points': {
      const pts = t.points.map(([d, v]) => [dayNumber(d), v] as const);
      return (day) => {
        const first = pts[0];
        const last = pts[pts.length - 1];
        if (!first || !last) return 1;
        if (day <= first[0]) return first[1];
        if (day >= last[0]) return last[1];
        for (let i = 1; i < pts.length; i++) {
          const [b, vb] = pts[i]!;
          const [a, va] = pts[i - 1]!;
          if (day <= b) return va + ((vb - va) * (day - a)) / (b - a);
        }
        return last[1];
      };
    }
  }
}

export function trendAt(t: Trend, day: number): number {
  return compileTrend(t)(day);
}

function table<T>(choice: Choice<T> | undefined, fallback: T, map: (v: T) => number): Table {
  const entries = choice && choice.length > 0 ? choice : [[fallback, 1] as const];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  const values: number[] = [];
  const cum: number[] = [];
  let acc = 0;
  for (const [v, w] of entries) {
    acc += w / total;
    values.push(map(v));
    cum.push(acc);
  }
  cum[cum.length - 1] = 1;
  return { values, cum };
}

/** Picks a value from a table with a uniform u in [0, 1). */
export function pick(t: Table, u: number): number {
  const cum = t.cum;
  for (let i = 0; i < cum.length; i++) if (u < cum[i]!) return t.values[i]!;
  return t.values[t.values.length - 1]!;
}

const FLAG_BITS: Record<TcpFlagName, number> = {
  syn: TCP_SYN,
  synack: TCP_SYN | TCP_ACK,
  rst: TCP_RST,
  rstack: TCP_RST | TCP_ACK,
  ack: TCP_ACK,
};

const OPTIONS: Record<string, TcpOptions> = {
  none: TcpOptions.None,
  mss: TcpOptions.Mss,
  windows: TcpOptions.Windows,
  linux: TcpOptions.Linux,
  'mss-sack': TcpOptions.MssSack,
};

export function compileShape(s: PacketShape): CompiledShape {
  const w = s.window ?? 1024;
  let windowMode = WindowMode.Fixed;
  let window: Table = table(undefined, typeof w === 'number' ? w : 0, (v) => v);
  if (w === 'random') windowMode = WindowMode.Random;
  else if (typeof w === 'object' && 'perHost' in w) {
    windowMode = WindowMode.PerHost;
    window = table(w.perHost, 0, (v) => v);
  } else if (typeof w === 'object' && 'perPacket' in w) {
    windowMode = WindowMode.PerPacket;
    window = table(w.perPacket, 0, (v) => v);
  }
  const seq = s.seq ?? 'random';
  const ipId = s.ipId ?? 'random';
  const sp = s.srcPort ?? 'ephemeral';
  const ttlInit = typeof s.ttl.initial === 'number' ? [[s.ttl.initial, 1] as const] : s.ttl.initial;
  return {
    proto: PROTO_NUM[s.proto],
    flags: table(s.flags, 'syn' as TcpFlagName, (f) => FLAG_BITS[f]),
    windowMode,
    window,
    ttlInitial: table(ttlInit, 64, (v) => v),
    hopMin: s.ttl.hops[0],
    hopMax: s.ttl.hops[1],
    seqMode: seq === 'random' ? SeqMode.Random : seq === 'dst' ? SeqMode.Dst : SeqMode.Fixed,
    seqFixed: typeof seq === 'object' ? seq.fixed >>> 0 : 0,
    ipIdMode:
      ipId === 'random'
        ? IpIdMode.Random
        : ipId === 'zmap'
          ? IpIdMode.Zmap
          : ipId === 'masscan'
            ? IpIdMode.Masscan
            : ipId === 'incremental'
              ? IpIdMode.Incremental
              : ipId === 'zero'
                ? IpIdMode.Zero
                : IpIdMode.Fixed,
    ipIdFixed: typeof ipId === 'object' ? ipId.fixed & 0xffff : 0,
    options: OPTIONS[s.options ?? 'none'] ?? TcpOptions.None,
    srcPortMode:
      sp === 'ephemeral'
        ? SrcPortMode.Ephemeral
        : sp === 'ephemeral-windows'
          ? SrcPortMode.EphemeralWindows
          : sp === 'random'
            ? SrcPortMode.Random
            : sp === 'per-host'
              ? SrcPortMode.PerHost
              : typeof sp === 'object'
                ? SrcPortMode.PerHostChoice
                : SrcPortMode.Fixed,
    srcPortFixed: typeof sp === 'number' ? sp : 0,
    srcPorts: table(typeof sp === 'object' ? sp.perHost : undefined, 0, (v) => v),
    df: s.df ?? false,
    payload: s.payload ?? 'auto',
  };
}

export function compilePorts(ports: readonly PortWeight[]): CompiledPorts {
  const total = ports.reduce((s, p) => s + p.weight, 0);
  if (!(total > 0)) throw new Error('a population needs at least one port with weight > 0');
  const out: CompiledPorts = { proto: [], lo: [], hi: [], cum: [] };
  let acc = 0;
  for (const p of ports) {
    acc += p.weight / total;
    out.proto.push(PROTO_NUM[p.proto]);
    const [lo, hi] = typeof p.port === 'number' ? [p.port, p.port] : p.port;
    out.lo.push(lo);
    out.hi.push(hi);
    out.cum.push(acc);
  }
  out.cum[out.cum.length - 1] = 1;
  return out;
}

interface BurstDay {
  factor: number;
  start: number;
}

/** The burst (if any) of a population on a day: fixed days or hashed random days. */
export function burstOn(name: string, b: Bursts, day: number): BurstDay | undefined {
  return compileBursts(name, b)(day);
}

function compileBursts(name: string, b: Bursts): (day: number) => BurstDay | undefined {
  const salt = hashString(`burst:${name}`);
  const fixed = new Set((b.days ?? []).map(dayNumber));
  const from = b.random?.from ? dayNumber(b.random.from) : -Infinity;
  const to = b.random?.to ? dayNumber(b.random.to) : Infinity;
  return (day) => {
    let hit = fixed.has(day);
    if (!hit && b.random && day >= from && day <= to && unit(hash2(salt, day)) < b.random.perDay) {
      hit = true;
    }
    if (!hit) return undefined;
    const [lo, hi] = b.factor;
    const factor = lo + (hi - lo) * unit(hash3(salt, day, 1));
    const start = Math.floor(unit(hash3(salt, day, 2)) * Math.max(0, 24 - b.hours + 1));
    return { factor, start: Math.min(start, 24 - b.hours) };
  };
}

function compileActive(p: Population): (day: number) => boolean {
  const a = p.active;
  if (!a) return () => true;
  if (a.days) {
    const set = new Set(a.days.map(dayNumber));
    return (day) => set.has(day);
  }
  const from = a.from ? dayNumber(a.from) : -Infinity;
  const to = a.to ? dayNumber(a.to) : Infinity;
  return (day) => day >= from && day <= to;
}

export function compileScenario(
  scenario: Scenario,
  extra: readonly Population[] = [],
): CompiledScenario {
  const startDay = dayNumber(scenario.start);
  const endDay = dayNumber(scenario.end);
  const days = endDay - startDay + 1;
  const subpops: SubPop[] = [];
  const pools = new Map<string, string>();
  const names = new Set<string>();
  for (const p of [...scenario.populations, ...extra]) {
    if (names.has(p.name)) throw new Error(`duplicate population name ${p.name}`);
    names.add(p.name);
    const shape = compileShape(p.shape);
    const ports = compilePorts(p.ports);
    const weekly = p.weekly ?? [1, 1, 1, 1, 1, 1, 1];
    if (weekly.length !== 7) throw new Error(`${p.name}: weekly needs 7 values`);
    const wMean = weekly.reduce((s, x) => s + x, 0) / 7;
    const trend = compileTrend(p.trend);
    const active = compileActive(p);
    const bursts = p.bursts ? compileBursts(p.name, p.bursts) : undefined;
    const hoursStart = p.hours?.[0] ?? 0;
    const hoursLen = p.hours?.[1] ?? 24;
    for (const [country, units] of Object.entries(p.countries)) {
      if (!(units > 0)) continue;
      const pool = `${p.pool ?? p.name}/${country}`;
      const spec = `${country}|${(p.asns ?? []).join(',')}`;
      const prev = pools.get(pool);
      if (prev !== undefined && prev !== spec)
        throw new Error(`pool ${pool} shared with different sources`);
      pools.set(pool, spec);
      const baseUnits = new Float64Array(days);
      const extraUnits = new Float64Array(days);
      const burstStart = new Float64Array(days).fill(-1);
      const hostsRef = new Float64Array(days);
      const burstHostsRef = new Float64Array(days);
      const hm = p.hosts;
      const fixed = 'fixed' in hm ? hm.fixed : -1;
      const baseHosts = 'rate' in hm ? (units * scenario.referenceUnitPackets) / hm.rate : fixed;
      for (let i = 0; i < days; i++) {
        const day = startDay + i;
        if (!active(day)) continue;
        const level = trend(day);
        if (!(level > 0)) continue;
        let u = units * level * (weekly[weekdayMon0(day)]! / wMean);
        if (p.wave) {
          const w = p.wave;
          u *=
            1 +
            w.amplitude * Math.sin((2 * Math.PI * (day - startDay + w.phaseDays)) / w.periodDays);
        }
        baseUnits[i] = u;
        hostsRef[i] = fixed >= 0 ? fixed : baseHosts * (p.trendScalesHosts === false ? 1 : level);
        const b = bursts?.(day);
        if (b && p.bursts) {
          extraUnits[i] = u * (b.factor - 1);
          burstStart[i] = b.start;
          if (fixed < 0)
            burstHostsRef[i] = hostsRef[i]! * (b.factor - 1) * (p.bursts.hostShare ?? 0);
        }
      }
      subpops.push({
        id: subpops.length,
        population: p.name,
        country,
        asns: p.asns,
        expectOrg: p.expectOrg,
        pool,
        poolSalt: hashString(`pool:${pool}`),
        salt: hashString(`sub:${p.name}/${country}`),
        baseUnits,
        extraUnits,
        burstStart,
        burstHours: p.bursts?.hours ?? 1,
        burstHostShare: p.bursts?.hostShare ?? 0,
        hoursStart,
        hoursLen,
        hostsRef,
        burstHostsRef,
        baseHostsRef: baseHosts,
        fixedHosts: fixed,
        sigma: 'rate' in hm ? (hm.sigma ?? 0.8) : 0,
        presence: 'rate' in hm ? (hm.presence ?? 0.85) : 1,
        churn: 'rate' in hm ? (hm.churn ?? 0.01) : 0,
        ports,
        shape,
      });
    }
  }
  return { scenario, startDay, endDay, days, subpops };
}
