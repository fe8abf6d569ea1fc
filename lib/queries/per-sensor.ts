/**
 * Per-sensor normalisation of a daily series: each day's values divided by the number of
 * sensors that reported that day (had any packets), so a trend does not jump when a sensor
 * joins or goes dark. With no sensor chosen every sensor counts; otherwise the chosen ones.
 */
import 'server-only';
import type { Period } from '@/lib/api/period';
import type { SeriesResponse } from '@/lib/api/types';
import { dayFilter, num, Prisma, ROLLUP_SENSOR_ID, rows, type SensorScope } from './db';

/** Sensors with a daily total on each day of the period (0 where none reported). */
export async function reportingSensors(period: Period, scope: SensorScope, days: string[]) {
  const which = scope.names.length
    ? Prisma.sql`sensor_id IN (${Prisma.join(scope.ids)})`
    : Prisma.sql`sensor_id <> ${ROLLUP_SENSOR_ID}`;
  const counted = await rows<{ day: string; n: unknown }>(Prisma.sql`
    SELECT day, COUNT(*) AS n FROM daily_total
    WHERE ${which} AND ${dayFilter(period)} AND packets > 0
    GROUP BY day`);
  const byDay = new Map(counted.map((r) => [r.day, num(r.n)]));
  return days.map((d) => byDay.get(d) ?? 0);
}

/** The series divided day by day (two decimals); days without a sensor stay 0. */
export function perSensor(data: SeriesResponse, sensors: number[]): SeriesResponse {
  const per = (v: number, i: number) => {
    const n = sensors[i] ?? 0;
    return n > 0 ? Math.round((v / n) * 100) / 100 : 0;
  };
  return {
    days: data.days,
    series: data.series.map((s) => ({ name: s.name, values: s.values.map(per) })),
    sensors,
  };
}
