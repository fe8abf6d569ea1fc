/** Top source countries of a period, with their rank in the previous period. */
import 'server-only';
import { type Period, previousPeriod } from '@/lib/api/period';
import type { PortRef } from '@/lib/api/port-key';
import type { CountryRank } from '@/lib/api/types';
import { dayFilter, num, Prisma, rows, type SensorScope, sensorFilter } from './db';
import { SketchMerger } from './sketch';

/** 'ZZ' (no country known for the address) is counted in totals but never ranked. */
export const UNKNOWN_COUNTRY = 'ZZ';

export interface TopCountriesArgs {
  period: Period;
  limit: number;
  /** Only packets to this destination port. */
  port?: PortRef;
  scope: SensorScope;
}

/** Ranked by packets (ties by country code). */
export async function getTopCountries(args: TopCountriesArgs): Promise<CountryRank[]> {
  const { period, limit, port, scope } = args;
  const table = port ? Prisma.raw('daily_country_port') : Prisma.raw('daily_country');
  const where = (p: Period) =>
    Prisma.sql`${sensorFilter(scope)} AND ${dayFilter(p)} AND country <> ${UNKNOWN_COUNTRY}${
      port ? Prisma.sql` AND proto = ${port.proto} AND port = ${port.port}` : Prisma.empty
    }`;

  const top = await rows<{ country: string; packets: unknown }>(Prisma.sql`
    SELECT country, SUM(packets) AS packets FROM ${table}
    WHERE ${where(period)}
    GROUP BY country
    ORDER BY SUM(packets) DESC, country
    LIMIT ${limit}`);
  if (top.length === 0) return [];
  const codes = top.map((r) => r.country);

  const previous = await rows<{ country: string; rnk: unknown }>(Prisma.sql`
    SELECT country, rnk FROM (
      SELECT country, ROW_NUMBER() OVER (ORDER BY SUM(packets) DESC, country) AS rnk
      FROM ${table}
      WHERE ${where(previousPeriod(period))}
      GROUP BY country
    ) ranked
    WHERE country IN (${Prisma.join(codes)})`);
  const prevRank = new Map(previous.map((r) => [r.country, num(r.rnk)]));

  const merger = new SketchMerger<string>();
  const sketches = await rows<{ country: string; sketch: unknown }>(Prisma.sql`
    SELECT country, sketch FROM ${table}
    WHERE ${where(period)} AND country IN (${Prisma.join(codes)})`);
  for (const r of sketches) merger.add(r.country, r.sketch);

  return top.map((r, i) => ({
    country: r.country,
    packets: num(r.packets),
    sources: merger.estimate(r.country),
    rank: i + 1,
    previousRank: prevRank.get(r.country) ?? null,
  }));
}
