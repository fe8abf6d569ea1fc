/**
 * Shared by the SQL A/B benches (rankings-bench.ts, window-split-bench.ts): the default
 * database (the largest dashboard bench file), the periods timed, and a median timer.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Prisma } from '@/generated/prisma-sqlite/client';
import { addDays, defaultPeriod, monthOf, monthsOf, type Period } from '@/lib/api/period';
import type { getPrisma } from '@/lib/db';
import { projectRoot } from '@/lib/db/url';

export function largestBenchDb(): string {
  const dir = path.join(projectRoot(), 'var', 'bench');
  const dbs = readdirSync(dir)
    .filter((f) => f.endsWith('.db'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (dbs.length === 0) throw new Error(`no database under ${dir}: run npm run bench:dashboard`);
  return `file:${dbs[0]}`;
}

export interface Extent {
  first: string;
  last: string;
}

export async function benchExtent(db: ReturnType<typeof getPrisma>, url: string): Promise<Extent> {
  const [extent] = (await db.$queryRaw(
    Prisma.sql`SELECT MIN(day) AS first, MAX(day) AS last FROM daily_total WHERE sensor_id = 0`,
  )) as Extent[];
  if (!extent?.first) throw new Error(`${url}: no data`);
  return extent;
}

/** 8 days, the last complete month and quarter, and the year (to date) of the data. */
export function benchPeriods(extent: Extent): [string, Period][] {
  const last = extent.last;
  const month =
    monthOf(last).to === last ? monthOf(last) : monthOf(addDays(monthOf(last).from, -1));
  // The bench's seeds have data on every day.
  const months = monthsOf({ from: extent.first.slice(0, 7), to: last.slice(0, 7) });
  const quarter = defaultPeriod({ from: extent.first, to: last, months });
  // The calendar year of the last day, up to the last day when the data ends before it.
  const yearFrom = `${last.slice(0, 4)}-01-01`;
  return [
    ['8 days', { from: addDays(month.to, -7), to: month.to }],
    ['month', month],
    ['quarter', quarter],
    [last.endsWith('-12-31') ? 'year' : `year to ${last}`, { from: yearFrom, to: last }],
  ];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The median time of `runs` calls, and the last call's result. */
export async function timeRuns<T>(
  runs: number,
  f: () => Promise<T>,
): Promise<{ ms: number; result: T }> {
  const ms: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await f();
    ms.push(performance.now() - t);
  }
  return { ms: median(ms), result: result as T };
}
