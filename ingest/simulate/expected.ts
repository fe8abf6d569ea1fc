/**
 * Expected daily aggregates of a compiled scenario (in units; multiply by a scale's
 * `unitPackets` for packets): per destination port key (proto << 16 | port, ICMP
 * type << 8 | code, as the ingest keys them), per country and per country x port.
 * Port ranges are spread uniformly over their ports.
 */
import type { CompiledScenario } from './model';

export interface ExpectedAggregates {
  startDay: number;
  days: number;
  total: Float64Array;
  port: Map<number, Float64Array>;
  country: Map<string, Float64Array>;
  countryPort: Map<string, Map<number, Float64Array>>;
  /** Range traffic: [protoNum, lo, hi, daily units], spread evenly over the range. */
  ranges: Array<{ country: string; proto: number; lo: number; hi: number; units: Float64Array }>;
}

export function portKey(proto: number, port: number): number {
  return ((proto << 16) | port) >>> 0;
}

function series<K>(m: Map<K, Float64Array>, k: K, days: number): Float64Array {
  let s = m.get(k);
  if (!s) {
    s = new Float64Array(days);
    m.set(k, s);
  }
  return s;
}

export function expectedAggregates(c: CompiledScenario): ExpectedAggregates {
  const days = c.days;
  const out: ExpectedAggregates = {
    startDay: c.startDay,
    days,
    total: new Float64Array(days),
    port: new Map(),
    country: new Map(),
    countryPort: new Map(),
    ranges: [],
  };
  for (const sp of c.subpops) {
    const cs = series(out.country, sp.country, days);
    let cp = out.countryPort.get(sp.country);
    if (!cp) {
      cp = new Map();
      out.countryPort.set(sp.country, cp);
    }
    const daily = new Float64Array(days);
    for (let d = 0; d < days; d++) daily[d] = sp.baseUnits[d]! + sp.extraUnits[d]!;
    let prev = 0;
    for (let i = 0; i < sp.ports.cum.length; i++) {
      const w = sp.ports.cum[i]! - prev;
      prev = sp.ports.cum[i]!;
      const proto = sp.ports.proto[i]!;
      const lo = sp.ports.lo[i]!;
      const hi = sp.ports.hi[i]!;
      if (lo !== hi) {
        const u = new Float64Array(days);
        for (let d = 0; d < days; d++) u[d] = daily[d]! * w;
        out.ranges.push({ country: sp.country, proto, lo, hi, units: u });
        continue;
      }
      const k = portKey(proto, lo);
      const ps = series(out.port, k, days);
      const cps = series(cp, k, days);
      for (let d = 0; d < days; d++) {
        ps[d] = ps[d]! + daily[d]! * w;
        cps[d] = cps[d]! + daily[d]! * w;
      }
    }
    for (let d = 0; d < days; d++) {
      cs[d] = cs[d]! + daily[d]!;
      out.total[d] = out.total[d]! + daily[d]!;
    }
  }
  return out;
}

export function sumRange(s: Float64Array | undefined, from: number, to: number): number {
  if (!s) return 0;
  let x = 0;
  for (let d = from; d <= to && d < s.length; d++) x += s[d]!;
  return x;
}

/** Ranked [key, sum] over a day-index range, largest first. */
export function rank<K>(m: Map<K, Float64Array>, from: number, to: number): Array<[K, number]> {
  return [...m.entries()]
    .map(([k, s]) => [k, sumRange(s, from, to)] as [K, number])
    .sort((a, b) => b[1] - a[1]);
}
