/** Top destination ports of a period, with their rank in the previous period. */
import 'server-only';
import { type Period, previousPeriod } from '@/lib/api/period';
import type { Proto } from '@/lib/api/port-key';
import type { PortRank } from '@/lib/api/types';
import {
  dayFilter,
  dayList,
  num,
  Prisma,
  rowsByPortKeys,
  type SensorScope,
  sensorFilter,
} from './db';
import { type PortRankingArgs, portRanks, type RankingStrategy, topPorts } from './port-ranking';
import { SketchMerger } from './sketch';

export interface TopPortsArgs {
  period: Period;
  limit: number;
  /** Only packets from this source country (ISO alpha-2). */
  country?: string;
  scope: SensorScope;
}

/** Ranked by packets (ties by protocol, then port); TCP and UDP only. */
export async function getTopPorts(
  args: TopPortsArgs,
  strategy: RankingStrategy = {},
): Promise<PortRank[]> {
  const { period, limit, country, scope } = args;
  const rolled = country ? 'country_port' : 'port';
  const table = Prisma.raw(`daily_${rolled}`);
  const keyWhere = Prisma.sql`proto IN ('tcp', 'udp')${
    country ? Prisma.sql` AND country = ${country}` : Prisma.empty
  }`;
  // The sketches of the ranked keys come from the daily rows of the period (per country:
  // every day named, so that the port index seeks them).
  const days = country ? dayList(period) : dayFilter(period);
  const where = Prisma.sql`${sensorFilter(scope)} AND ${days} AND ${keyWhere}`;

  const ranking: PortRankingArgs = { table: rolled, scope, where: keyWhere };
  const top = await topPorts(ranking, period, limit, strategy);
  if (top.length === 0) return [];
  const keys = top.map((r) => `${r.port}/${r.proto}`);
  const prevRank = await portRanks(ranking, previousPeriod(period), keys, strategy);

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
      port: r.port,
      packets: r.packets,
      sources: merger.estimate(key),
      rank: i + 1,
      previousRank: prevRank.get(key) ?? null,
    };
  });
}
