/**
 * `npx tsx bench/rankings-bench.ts [DATABASE_URL]`: the period rankings read through
 * the monthly rollups (lib/db/period-rows.ts) against the same SQL over the daily rows
 * only, on one database in the same run, for a month, a quarter, a year and 8 days.
 * Prints the median of --runs (5) per query and checks both give the same ranking.
 * Default database: the largest dashboard bench file under var/bench/.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Prisma } from '@/generated/prisma-sqlite/client';
import { addDays, defaultPeriod, monthOf, type Period, previousPeriod } from '@/lib/api/period';
import { disconnectPrisma, getPrisma } from '@/lib/db';
import { periodRows, type RolledUp } from '@/lib/db/period-rows';
import { projectRoot } from '@/lib/db/url';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '5' } },
});
const runs = Number(values.runs);

function defaultUrl(): string {
  const dir = path.join(projectRoot(), 'var', 'bench');
  const dbs = readdirSync(dir)
    .filter((f) => f.endsWith('.db'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (dbs.length === 0) throw new Error(`no database under ${dir}: run npm run bench:dashboard`);
  return `file:${dbs[0]}`;
}

const url = positionals[0] ?? defaultUrl();
const db = getPrisma(url);
const ROLLUP = [0];

function dailyRows(table: RolledUp, p: Period, columns: Prisma.Sql, where: Prisma.Sql) {
  return Prisma.sql`(SELECT ${columns}, packets FROM ${Prisma.raw(`daily_${table}`)}
    WHERE sensor_id = 0 AND day >= ${p.from} AND day <= ${p.to} AND ${where}) period_rows`;
}

interface Shape {
  name: string;
  table: RolledUp;
  key: string;
  where: Prisma.Sql;
}

/** The two statements of a ranking with rank moves: the top N, the previous ranks. */
async function ranking(shape: Shape, p: Period, rollup: boolean): Promise<string[]> {
  const cols = Prisma.raw(shape.key);
  const src = (q: Period) =>
    rollup
      ? periodRows(shape.table, q, ROLLUP, cols, shape.where)
      : dailyRows(shape.table, q, cols, shape.where);
  const top = (await db.$queryRaw(Prisma.sql`
    SELECT ${cols}, SUM(packets) AS packets FROM ${src(p)}
    GROUP BY ${cols} ORDER BY SUM(packets) DESC, ${cols} LIMIT 10`)) as Record<string, unknown>[];
  await db.$queryRaw(Prisma.sql`
    SELECT ${cols}, ROW_NUMBER() OVER (ORDER BY SUM(packets) DESC, ${cols}) AS rnk
    FROM ${src(previousPeriod(p))} GROUP BY ${cols}`);
  return top.map((r) => `${Object.values(r).join('/')}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(f: () => Promise<string[]>): Promise<{ ms: number; result: string[] }> {
  const ms: number[] = [];
  let result: string[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await f();
    ms.push(performance.now() - t);
  }
  return { ms: median(ms), result };
}

const [extent] = (await db.$queryRaw(
  Prisma.sql`SELECT MIN(day) AS first, MAX(day) AS last FROM daily_total WHERE sensor_id = 0`,
)) as { first: string; last: string }[];
if (!extent?.first) throw new Error(`${url}: no data`);
// The last complete month, quarter and year of the data (as the views default to).
const last = extent.last;
const month = monthOf(last).to === last ? monthOf(last) : monthOf(addDays(monthOf(last).from, -1));
const quarter = defaultPeriod({ from: extent.first, to: last });
// The calendar year of the last day, up to the last day when the data ends before it.
const yearFrom = `${last.slice(0, 4)}-01-01`;

const periods: [string, Period][] = [
  ['8 days', { from: addDays(month.to, -7), to: month.to }],
  ['month', month],
  ['quarter', quarter],
  [last.endsWith('-12-31') ? 'year' : `year to ${last}`, { from: yearFrom, to: last }],
];
const [topCountry] = (await db.$queryRaw(
  Prisma.sql`SELECT country FROM daily_country WHERE sensor_id = 0 AND country <> 'ZZ' GROUP BY country ORDER BY SUM(packets) DESC LIMIT 1`,
)) as { country: string }[];
const cc = topCountry?.country ?? 'US';
const shapes: Shape[] = [
  {
    name: 'ports/top',
    table: 'port',
    key: 'proto, port',
    where: Prisma.sql`proto IN ('tcp', 'udp')`,
  },
  { name: 'countries/top', table: 'country', key: 'country', where: Prisma.sql`country <> 'ZZ'` },
  {
    name: `ports/top?country=${cc}`,
    table: 'country_port',
    key: 'proto, port',
    where: Prisma.sql`proto IN ('tcp', 'udp') AND country = ${cc}`,
  },
  {
    name: 'countries/top?port=445/tcp',
    table: 'country_port',
    key: 'country',
    where: Prisma.sql`country <> 'ZZ' AND proto = 'tcp' AND port = 445`,
  },
];

console.log(
  `${url.replace(/^file:.*\//, 'file:')}: ${extent.first} to ${extent.last}, median of ${runs} runs (ms; the ranking and the previous period's ranks)`,
);
console.log(
  '| ranking | period | daily rows only | with monthly rollups | speed-up | same top 10 |',
);
console.log('| --- | --- | ---: | ---: | ---: | --- |');
for (const shape of shapes) {
  for (const [label, p] of periods) {
    const daily = await time(() => ranking(shape, p, false));
    const rolled = await time(() => ranking(shape, p, true));
    const same = JSON.stringify(daily.result) === JSON.stringify(rolled.result);
    console.log(
      `| ${shape.name} | ${label} | ${daily.ms.toFixed(1)} | ${rolled.ms.toFixed(1)} | ${(daily.ms / rolled.ms).toFixed(1)}x | ${same ? 'yes' : '**no**'} |`,
    );
  }
}
await disconnectPrisma(url);
