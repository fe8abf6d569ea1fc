/** Top source countries of a period, with their rank in the previous period. */
import 'server-only';
import { type Period, previousPeriod } from '@/lib/api/period';
import type { PortRef } from '@/lib/api/port-key';
import type { CountryRank } from '@/lib/api/types';
import { periodRows } from '@/lib/db/period-rows';
import { dayFilter, num, Prisma, rows, type SensorScope, sensorFilter } from './db';
import { periodSources, type SketchSource } from './month-sketches';

/** 'ZZ' (no country known for the address) is counted in totals but never ranked. */
export const UNKNOWN_COUNTRY = 'ZZ';

export interface TopCountriesArgs {
  period: Period;
  limit: number;
  /** Only packets to this destination port. */
  port?: PortRef;
  scope: SensorScope;
}

function countryWhere(port?: PortRef): Prisma.Sql {
  return Prisma.sql`country <> ${UNKNOWN_COUNTRY}${
    port ? Prisma.sql` AND proto = ${port.proto} AND port = ${port.port}` : Prisma.empty
  }`;
}

/** Daily sketches of source countries, or of the countries sending to one port. */
export function countrySketches(scope: SensorScope, port?: PortRef): SketchSource {
  const table = Prisma.raw(port ? 'daily_country_port' : 'daily_country');
  return {
    kind: port ? `port:${port.port}/${port.proto}` : 'country',
    read: async (p, keys) =>
      rows<{ key: string; sketch: unknown }>(Prisma.sql`
        SELECT country AS key, sketch FROM ${table}
        WHERE ${sensorFilter(scope)} AND ${dayFilter(p)} AND ${countryWhere(port)}
          AND country IN (${Prisma.join(keys)})`),
  };
}

/** Ranked by packets (ties by country code). */
export async function getTopCountries(args: TopCountriesArgs): Promise<CountryRank[]> {
  const { period, limit, port, scope } = args;
  const rolled = port ? 'country_port' : 'country';
  const keyWhere = countryWhere(port);
  const source = (p: Period) => periodRows(rolled, p, scope.ids, Prisma.sql`country`, keyWhere);

  const top = await rows<{ country: string; packets: unknown }>(Prisma.sql`
    SELECT country, SUM(packets) AS packets FROM ${source(period)}
    GROUP BY country
    ORDER BY SUM(packets) DESC, country
    LIMIT ${limit}`);
  if (top.length === 0) return [];
  const codes = top.map((r) => r.country);

  const previous = await rows<{ country: string; rnk: unknown }>(Prisma.sql`
    SELECT country, rnk FROM (
      SELECT country, ROW_NUMBER() OVER (ORDER BY SUM(packets) DESC, country) AS rnk
      FROM ${source(previousPeriod(period))}
      GROUP BY country
    ) ranked
    WHERE country IN (${Prisma.join(codes)})`);
  const prevRank = new Map(previous.map((r) => [r.country, num(r.rnk)]));

  const sources = await periodSources(countrySketches(scope, port), period, scope, codes);

  return top.map((r, i) => ({
    country: r.country,
    packets: num(r.packets),
    sources: sources.get(r.country) ?? 0,
    rank: i + 1,
    previousRank: prevRank.get(r.country) ?? null,
  }));
}
