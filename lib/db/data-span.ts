import { Prisma } from '../../generated/prisma-sqlite/client';
import type { DataSpan } from '../api/period';

const EXTENT_SQL = Prisma.sql`SELECT MIN(day) AS first, MAX(day) AS last FROM daily_total WHERE sensor_id = 0`;
const MONTHS_SQL = Prisma.sql`SELECT DISTINCT substr(day, 1, 7) AS month FROM daily_total WHERE sensor_id = 0 ORDER BY month`;

/**
 * The days with data in the all-sensors rollup (sensor 0): first, last, and the months
 * that have any; null when nothing is ingested. `run` is the caller's way to query.
 */
export async function readDataSpan(
  run: <T>(sql: Prisma.Sql) => Promise<T[]>,
): Promise<DataSpan | null> {
  const [r] = await run<{ first: unknown; last: unknown }>(EXTENT_SQL);
  if (!r?.first || !r.last) return null;
  const months = await run<{ month: unknown }>(MONTHS_SQL);
  return { from: String(r.first), to: String(r.last), months: months.map((m) => String(m.month)) };
}
