/**
 * Packet counters of a period, read from the monthly rollups (monthly_port,
 * monthly_country, monthly_country_port: kept equal to the sums of the daily rows by
 * triggers) for the whole calendar months inside the period, and from the daily rows for
 * the days outside them. A quarter's ranking then adds three rows per key, not ninety.
 * Counters only: distinct sources come from the daily sketches.
 */
import { Prisma } from '../../generated/prisma-sqlite/client';
import { daysOf, monthsOf, type Period, splitByMonth } from '../api/period';

export type RolledUp = 'port' | 'country' | 'country_port';

/**
 * A subquery (for FROM) of rows `columns..., packets` of the period whose packets add
 * up to the daily rows' sums; `where` filters the key columns (both tables have them).
 */
export function periodRows(
  table: RolledUp,
  period: Period,
  sensorIds: readonly number[],
  columns: Prisma.Sql,
  where: Prisma.Sql = Prisma.sql`1 = 1`,
  named: { months?: boolean; days?: boolean } = {},
): Prisma.Sql {
  const { months, days } = splitByMonth(period);
  const sensors = Prisma.sql`sensor_id IN (${Prisma.join(sensorIds)})`;
  const parts: Prisma.Sql[] = [];
  if (months) {
    // named.months: with a few keys asked for, the key columns after the month in the
    // primary key are seeks too. Not by default: with a GROUP BY or DISTINCT over the rows,
    // SQLite (no statistics) then picks whichever index yields the grouping order.
    const inMonths = named.months
      ? Prisma.sql`month IN (${Prisma.join(monthsOf(months))})`
      : Prisma.sql`month >= ${months.from} AND month <= ${months.to}`;
    parts.push(Prisma.sql`SELECT ${columns}, packets FROM ${Prisma.raw(`monthly_${table}`)}
      WHERE ${sensors} AND ${inMonths} AND ${where}`);
  }
  // One SELECT per run of days (before and after the whole months): with an OR of the
  // two day ranges SQLite seeks the key's index without the day, reading every day.
  // named.days: each day one seek, for a range on a column after the day in an index
  // (packets >= x: SQLite uses no index column after a range).
  for (const d of days) {
    const inDays = named.days
      ? Prisma.sql`day IN (${Prisma.join(daysOf(d))})`
      : Prisma.sql`day >= ${d.from} AND day <= ${d.to}`;
    parts.push(Prisma.sql`SELECT ${columns}, packets FROM ${Prisma.raw(`daily_${table}`)}
      WHERE ${sensors} AND ${inDays} AND ${where}`);
  }
  return Prisma.sql`(${Prisma.join(parts, ' UNION ALL ')}) period_rows`;
}
