/**
 * `npx tsx bench/rankings-bench.ts [DATABASE_URL]`: the period rankings read through
 * the monthly rollups (lib/db/period-rows.ts) against the same SQL over the daily rows
 * only, on one database in the same run, for a month, a quarter, a year and 8 days.
 * Prints the median of --runs (5) per query and checks both give the same ranking.
 * Default database: the largest dashboard bench file under var/bench/.
 */
import { parseArgs } from 'node:util';
import { Prisma } from '@/generated/prisma-sqlite/client';
import { type Period, previousPeriod } from '@/lib/api/period';
import { disconnectPrisma, getPrisma } from '@/lib/db';
import { periodRows, type RolledUp } from '@/lib/db/period-rows';
import { benchExtent, benchPeriods, largestBenchDb, timeRuns } from './sql-bench-support';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '5' } },
});
const runs = Number(values.runs);

const url = positionals[0] ?? largestBenchDb();
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

const extent = await benchExtent(db, url);
const periods = benchPeriods(extent);
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
    const daily = await timeRuns(runs, () => ranking(shape, p, false));
    const rolled = await timeRuns(runs, () => ranking(shape, p, true));
    const same = JSON.stringify(daily.result) === JSON.stringify(rolled.result);
    console.log(
      `| ${shape.name} | ${label} | ${daily.ms.toFixed(1)} | ${rolled.ms.toFixed(1)} | ${(daily.ms / rolled.ms).toFixed(1)}x | ${same ? 'yes' : '**no**'} |`,
    );
  }
}
await disconnectPrisma(url);
