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
import { periodSources, type SketchSource } from './month-sketches';
import { type PortRankingArgs, portRanks, type RankingStrategy, topPorts } from './port-ranking';

export interface TopPortsArgs {
  period: Period;
  limit: number;
  /** Only packets from this source country (ISO alpha-2). */
  country?: string;
  scope: SensorScope;
}

/** The ranked rows: TCP and UDP ports, of one country when given. */
function portWhere(country?: string): Prisma.Sql {
  return Prisma.sql`proto IN ('tcp', 'udp')${
    country ? Prisma.sql` AND country = ${country}` : Prisma.empty
  }`;
}

/** Daily sketches of ports ('445/tcp'), or of one country's ports. */
export function portSketches(scope: SensorScope, country?: string): SketchSource {
  const table = Prisma.raw(country ? 'daily_country_port' : 'daily_port');
  const keyWhere = portWhere(country);
  return {
    kind: country ? `country:${country}` : 'port',
    read: async (p, keys) =>
      (
        await rowsByPortKeys<{ proto: Proto; port: unknown; sketch: unknown }>(
          keys,
          // Per country: every day named, so that the port index seeks them.
          (ports) => Prisma.sql`
            SELECT proto, port, sketch FROM ${table}
            WHERE ${sensorFilter(scope)} AND ${country ? dayList(p) : dayFilter(p)}
              AND ${keyWhere} AND ${ports}`,
        )
      ).map((r) => ({ key: `${num(r.port)}/${r.proto}`, sketch: r.sketch })),
  };
}

/** Ranked by packets (ties by protocol, then port); TCP and UDP only. */
export async function getTopPorts(
  args: TopPortsArgs,
  strategy: RankingStrategy = {},
): Promise<PortRank[]> {
  const { period, limit, country, scope } = args;
  const rolled = country ? 'country_port' : 'port';
  const keyWhere = portWhere(country);
  const ranking: PortRankingArgs = { table: rolled, scope, where: keyWhere };
  const top = await topPorts(ranking, period, limit, strategy);
  if (top.length === 0) return [];
  const keys = top.map((r) => `${r.port}/${r.proto}`);
  const prevRank = await portRanks(ranking, previousPeriod(period), keys, strategy);

  const sources = await periodSources(portSketches(scope, country), period, scope, keys);

  return top.map((r, i) => {
    const key = keys[i]!;
    return {
      proto: r.proto,
      port: r.port,
      packets: r.packets,
      sources: sources.get(key) ?? 0,
      rank: i + 1,
      previousRank: prevRank.get(key) ?? null,
    };
  });
}
