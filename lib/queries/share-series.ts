/**
 * Daily share of one port in a country's packets, next to the same share for the rest
 * of the world: shows whether the country's ups and downs on that port follow the
 * world's or come at other times.
 */
import 'server-only';
import { daysOf, type Period } from '@/lib/api/period';
import type { PortRef } from '@/lib/api/port-key';
import type { SeriesResponse } from '@/lib/api/types';
import { dayFilter, num, Prisma, rows, type SensorScope, sensorFilter } from './db';

export interface ShareSeriesArgs {
  period: Period;
  country: string;
  port: PortRef;
  scope: SensorScope;
}

/** Series named by the country code and 'rest of world', in percent (0 when no packets). */
export const REST_OF_WORLD = 'rest of world';

export async function getShareSeries(args: ShareSeriesArgs): Promise<SeriesResponse> {
  const { period, country, port, scope } = args;
  const base = Prisma.sql`${sensorFilter(scope)} AND ${dayFilter(period)}`;
  const portWhere = Prisma.sql`proto = ${port.proto} AND port = ${port.port}`;
  const byDay = async (q: Prisma.Sql) =>
    new Map((await rows<{ day: string; v: unknown }>(q)).map((r) => [r.day, num(r.v)]));
  const [cPort, cAll, wPort, wAll] = await Promise.all([
    byDay(Prisma.sql`SELECT day, SUM(packets) AS v FROM daily_country_port
      WHERE ${base} AND country = ${country} AND ${portWhere} GROUP BY day`),
    byDay(Prisma.sql`SELECT day, SUM(packets) AS v FROM daily_country
      WHERE ${base} AND country = ${country} GROUP BY day`),
    byDay(Prisma.sql`SELECT day, SUM(packets) AS v FROM daily_port
      WHERE ${base} AND ${portWhere} GROUP BY day`),
    byDay(Prisma.sql`SELECT day, SUM(packets) AS v FROM daily_total WHERE ${base} GROUP BY day`),
  ]);
  const days = daysOf(period);
  const share = (a: number, b: number) => (b > 0 ? Math.round((10000 * a) / b) / 100 : 0);
  return {
    days,
    series: [
      { name: country, values: days.map((d) => share(cPort.get(d) ?? 0, cAll.get(d) ?? 0)) },
      {
        name: REST_OF_WORLD,
        values: days.map((d) =>
          share((wPort.get(d) ?? 0) - (cPort.get(d) ?? 0), (wAll.get(d) ?? 0) - (cAll.get(d) ?? 0)),
        ),
      },
    ],
  };
}
