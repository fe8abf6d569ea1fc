/** Plain reference computations over fixture records: what the queries must return. */

import { daysOf, type Period } from '@/lib/api/period';
import { compareText } from '@/lib/compare-text';
import type { FixtureRecord } from './fixture';

export interface RefFilter {
  period: Period;
  country?: string;
  port?: { proto: string; port: number };
  sensors?: string[];
}

export function select(records: FixtureRecord[], f: RefFilter): FixtureRecord[] {
  return records.filter(
    (r) =>
      r.day >= f.period.from &&
      r.day <= f.period.to &&
      (!f.country || r.country === f.country) &&
      (!f.port || (r.proto === f.port.proto && r.port === f.port.port)) &&
      (!f.sensors || f.sensors.length === 0 || f.sensors.includes(r.sensor)),
  );
}

export interface RefRank {
  key: string;
  packets: number;
  sources: number;
}

function ranking(
  rs: FixtureRecord[],
  keyOf: (r: FixtureRecord) => string | null,
  cmp: (a: string, b: string) => number,
): RefRank[] {
  const acc = new Map<string, { packets: number; ips: Set<string> }>();
  for (const r of rs) {
    const k = keyOf(r);
    if (k === null) continue;
    let a = acc.get(k);
    if (!a) {
      a = { packets: 0, ips: new Set() };
      acc.set(k, a);
    }
    a.packets += r.packets;
    a.ips.add(r.ip);
  }
  return [...acc]
    .map(([key, a]) => ({ key, packets: a.packets, sources: a.ips.size }))
    .sort((x, y) => y.packets - x.packets || cmp(x.key, y.key));
}

/** Ports ranked by packets; ties by protocol then port number, as the SQL does. */
export function refPorts(records: FixtureRecord[], f: RefFilter): RefRank[] {
  return ranking(
    select(records, f),
    (r) => `${r.port}/${r.proto}`,
    (a, b) => {
      const [pa, ta] = a.split('/') as [string, string];
      const [pb, tb] = b.split('/') as [string, string];
      return ta.localeCompare(tb) || Number(pa) - Number(pb);
    },
  );
}

export function refCountries(records: FixtureRecord[], f: RefFilter): RefRank[] {
  return ranking(select(records, f), (r) => (r.country === 'ZZ' ? null : r.country), compareText);
}

/** Per-day packets or distinct sources of a selection, bucketed by `bucket`. */
export function refDaily(
  records: FixtureRecord[],
  f: RefFilter,
  metric: 'packets' | 'sources',
  bucket: (r: FixtureRecord) => string | null = () => 'total',
): Map<string, number[]> {
  const days = daysOf(f.period);
  const idx = new Map(days.map((d, i) => [d, i]));
  const packets = new Map<string, number[]>();
  const ips = new Map<string, Set<string>[]>();
  for (const r of select(records, f)) {
    const b = bucket(r);
    if (b === null) continue;
    const i = idx.get(r.day)!;
    if (!packets.has(b)) {
      packets.set(
        b,
        days.map(() => 0),
      );
      ips.set(
        b,
        days.map(() => new Set()),
      );
    }
    packets.get(b)![i]! += r.packets;
    ips.get(b)![i]!.add(r.ip);
  }
  if (metric === 'packets') return packets;
  return new Map([...ips].map(([b, sets]) => [b, sets.map((s) => s.size)]));
}
