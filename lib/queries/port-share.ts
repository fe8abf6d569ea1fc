/**
 * A country's port mix against the rest of the world's: for the country's top ports,
 * the percent of its packets each port takes, next to the same percent for all other
 * countries together.
 */
import 'server-only';
import type { Period } from '@/lib/api/period';
import type { Proto } from '@/lib/api/port-key';
import type { PortShare } from '@/lib/api/types';
import { periodRows } from '@/lib/db/period-rows';
import {
  dayFilter,
  num,
  PORT_KEY_SQL,
  Prisma,
  rows,
  rowsByPortKeys,
  type SensorScope,
  sensorFilter,
} from './db';

export interface PortShareArgs {
  period: Period;
  country: string;
  limit: number;
  scope: SensorScope;
}

function pct(part: number, whole: number): number {
  return whole > 0 ? (100 * part) / whole : 0;
}

export async function getPortShare(args: PortShareArgs): Promise<PortShare[]> {
  const { period, country, limit, scope } = args;
  const base = Prisma.sql`${sensorFilter(scope)} AND ${dayFilter(period)}`;
  const inCountry = Prisma.sql`country = ${country}`;
  const top = await rows<{ proto: Proto; port: unknown; packets: unknown }>(Prisma.sql`
    SELECT proto, port, SUM(packets) AS packets
    FROM ${periodRows('country_port', period, scope.ids, Prisma.sql`proto, port`, Prisma.sql`${inCountry} AND proto IN ('tcp', 'udp')`)}
    GROUP BY proto, port ORDER BY SUM(packets) DESC, proto, port LIMIT ${limit}`);
  if (top.length === 0) return [];
  const keys = top.map((r) => `${num(r.port)}/${r.proto}`);

  const [countryTotal] = await rows<{ v: unknown }>(Prisma.sql`
    SELECT SUM(packets) AS v FROM ${periodRows('country', period, scope.ids, Prisma.sql`country`, inCountry)}`);
  const [worldTotal] = await rows<{ v: unknown }>(Prisma.sql`
    SELECT SUM(packets) AS v FROM daily_total WHERE ${base}`);
  // Rows, summed here: a GROUP BY makes SQLite walk the whole period in day order.
  const world = await rowsByPortKeys<{ k: string; v: unknown }>(
    keys,
    (ports) => Prisma.sql`
      SELECT ${PORT_KEY_SQL} AS k, packets AS v
      FROM ${periodRows('port', period, scope.ids, Prisma.sql`proto, port`, ports)}`,
  );
  const worldByKey = new Map<string, number>();
  for (const r of world) worldByKey.set(String(r.k), (worldByKey.get(String(r.k)) ?? 0) + num(r.v));
  const cTotal = num(countryTotal?.v);
  const restTotal = num(worldTotal?.v) - cTotal;

  return top.map((r, i) => {
    const packets = num(r.packets);
    const restPackets = Math.max(0, (worldByKey.get(keys[i]!) ?? 0) - packets);
    return {
      proto: r.proto,
      port: num(r.port),
      packets,
      share: pct(packets, cTotal),
      restPackets,
      restShare: pct(restPackets, restTotal),
    };
  });
}
