/** Top destination ports of a period, with their rank in the previous period. */
import 'server-only';
import { type Period, previousPeriod } from '@/lib/api/period';
import type { Proto } from '@/lib/api/port-key';
import type { PortRank } from '@/lib/api/types';
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
import { SketchMerger } from './sketch';

export interface TopPortsArgs {
  period: Period;
  limit: number;
  /** Only packets from this source country (ISO alpha-2). */
  country?: string;
  scope: SensorScope;
}

/** Ranked by packets (ties by protocol, then port); TCP and UDP only. */
export async function getTopPorts(args: TopPortsArgs): Promise<PortRank[]> {
  const { period, limit, country, scope } = args;
  const rolled = country ? 'country_port' : 'port';
  const table = Prisma.raw(`daily_${rolled}`);
  const keyWhere = Prisma.sql`proto IN ('tcp', 'udp')${
    country ? Prisma.sql` AND country = ${country}` : Prisma.empty
  }`;
  // The sketches of the ranked keys come from the daily rows of the period.
  const where = Prisma.sql`${sensorFilter(scope)} AND ${dayFilter(period)} AND ${keyWhere}`;
  const source = (p: Period) => periodRows(rolled, p, scope.ids, Prisma.sql`proto, port`, keyWhere);

  const top = await rows<{ proto: Proto; port: unknown; packets: unknown }>(Prisma.sql`
    SELECT proto, port, SUM(packets) AS packets FROM ${source(period)}
    GROUP BY proto, port
    ORDER BY SUM(packets) DESC, proto, port
    LIMIT ${limit}`);
  if (top.length === 0) return [];
  const keys = top.map((r) => `${num(r.port)}/${r.proto}`);

  const previous = await rows<{ proto: Proto; port: unknown; rnk: unknown }>(Prisma.sql`
    SELECT proto, port, rnk FROM (
      SELECT proto, port, ROW_NUMBER() OVER (ORDER BY SUM(packets) DESC, proto, port) AS rnk
      FROM ${source(previousPeriod(period))}
      GROUP BY proto, port
    ) ranked
    WHERE ${PORT_KEY_SQL} IN (${Prisma.join(keys)})`);
  const prevRank = new Map(previous.map((r) => [`${num(r.port)}/${r.proto}`, num(r.rnk)]));

  const merger = new SketchMerger<string>();
  const sketches = await rowsByPortKeys<{ proto: Proto; port: unknown; sketch: unknown }>(
    keys,
    (ports) => Prisma.sql`
      SELECT proto, port, sketch FROM ${table}
      WHERE ${where} AND ${ports}`,
  );
  for (const r of sketches) merger.add(`${num(r.port)}/${r.proto}`, r.sketch);

  return top.map((r, i) => {
    const key = keys[i]!;
    return {
      proto: r.proto,
      port: num(r.port),
      packets: num(r.packets),
      sources: merger.estimate(key),
      rank: i + 1,
      previousRank: prevRank.get(key) ?? null,
    };
  });
}
