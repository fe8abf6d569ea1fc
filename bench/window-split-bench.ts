/**
 * `npx tsx bench/window-split-bench.ts [DATABASE_URL] [--runs N] [--ports 23,445,...]`:
 * the distinct-host window split of a port (series?split=window&metric=sources) read the
 * way lib/queries/series.ts did before daily_port_window (every country's daily_window
 * row, sketches merged per day and window bucket) against the way it does now (the
 * port's rows of daily_port_window, countries summed by triggers), on one database in
 * the same run. Prints the median of --runs (3) per port and period, and how far the
 * named windows' values of the two differ (0 while every merged set is exact).
 * Default database: the largest dashboard bench file under var/bench/.
 */
import { parseArgs } from 'node:util';
import { Prisma } from '@/generated/prisma-sqlite/client';
import { SourceSketch } from '@/ingest/aggregate/source-sketch';
import type { Period } from '@/lib/api/period';
import { disconnectPrisma, getPrisma } from '@/lib/db';
import { benchExtent, benchPeriods, largestBenchDb, timeRuns } from './sql-bench-support';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '3' }, ports: { type: 'string' } },
});
const runs = Number(values.runs);
const url = positionals[0] ?? largestBenchDb();
const db = getPrisma(url);
const LIMIT = 3;

type Values = Map<string, number>; // 'day|bucket' -> distinct hosts

async function topWindows(table: string, port: number, p: Period): Promise<number[]> {
  const rs = (await db.$queryRaw(Prisma.sql`
    SELECT "window" AS w FROM ${Prisma.raw(table)}
    WHERE sensor_id = 0 AND port = ${port} AND day >= ${p.from} AND day <= ${p.to}
    GROUP BY "window" ORDER BY SUM(packets) DESC, "window" LIMIT ${LIMIT}`)) as { w: unknown }[];
  return rs.map((r) => Number(r.w));
}

/** Before: every country's row, sketches merged per (day, named window or "other"). */
async function viaCountries(port: number, p: Period): Promise<Values> {
  const top = new Set(await topWindows('daily_window', port, p));
  const rs = (await db.$queryRaw(Prisma.sql`
    SELECT day, "window" AS w, sketch FROM daily_window
    WHERE sensor_id = 0 AND port = ${port} AND day >= ${p.from} AND day <= ${p.to}`)) as {
    day: string;
    w: unknown;
    sketch: Uint8Array;
  }[];
  const merged = new Map<string, SourceSketch>();
  for (const r of rs) {
    const w = Number(r.w);
    const key = `${r.day}|${top.has(w) ? w : 'other'}`;
    const s = SourceSketch.deserialize(r.sketch);
    const cur = merged.get(key);
    if (cur) cur.merge(s);
    else merged.set(key, s);
  }
  return new Map([...merged].map(([k, s]) => [k, Math.round(s.estimate())]));
}

/** Now: the port's rows of daily_port_window, "other" the smaller windows' sum. */
async function viaPortTable(port: number, p: Period): Promise<Values> {
  const top = new Set(await topWindows('daily_port_window', port, p));
  const rs = (await db.$queryRaw(Prisma.sql`
    SELECT day, "window" AS w, SUM(sources) AS v FROM daily_port_window
    WHERE sensor_id = 0 AND port = ${port} AND day >= ${p.from} AND day <= ${p.to}
    GROUP BY day, "window"`)) as { day: string; w: unknown; v: unknown }[];
  const out: Values = new Map();
  for (const r of rs) {
    const w = Number(r.w);
    const key = `${r.day}|${top.has(w) ? w : 'other'}`;
    out.set(key, (out.get(key) ?? 0) + Number(r.v));
  }
  return out;
}

/**
 * Largest relative difference over the named windows and over "other", and the mean
 * signed difference of the named ones (now - before: a bias would show there).
 */
function differences(a: Values, b: Values): { named: number; other: number; mean: number } {
  const d = { named: 0, other: 0, mean: 0 };
  let n = 0;
  for (const [k, x] of a) {
    const y = b.get(k) ?? 0;
    const rel = Math.abs(x - y) / Math.max(1, x);
    if (k.endsWith('|other')) d.other = Math.max(d.other, rel);
    else {
      d.named = Math.max(d.named, rel);
      d.mean += (y - x) / Math.max(1, x);
      n++;
    }
  }
  d.mean /= Math.max(1, n);
  return d;
}

const extent = await benchExtent(db, url);
const periods = benchPeriods(extent);
const ports = values.ports
  ? values.ports.split(',').map(Number)
  : (
      (await db.$queryRaw(Prisma.sql`
        SELECT port FROM daily_port_window WHERE sensor_id = 0 AND day = ${extent.last}
        GROUP BY port ORDER BY COUNT(*) * SUM(sources) DESC LIMIT 3`)) as { port: unknown }[]
    ).map((r) => Number(r.port));

console.log(
  `${url.replace(/^file:.*\//, 'file:')}: ${extent.first} to ${extent.last}, split=window&metric=sources&limit=${LIMIT}, median of ${runs} runs (ms)`,
);
console.log(
  '| port | period | every country (sketches merged) | daily_port_window | speed-up | named windows: largest difference | named: mean signed difference | other: largest difference |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const port of ports) {
  for (const [label, p] of periods) {
    const before = await timeRuns(runs, () => viaCountries(port, p));
    const now = await timeRuns(runs, () => viaPortTable(port, p));
    const d = differences(before.result, now.result);
    console.log(
      `| ${port}/tcp | ${label} | ${before.ms.toFixed(1)} | ${now.ms.toFixed(1)} | ${(before.ms / now.ms).toFixed(0)}x | ${(100 * d.named).toFixed(2)} % | ${(100 * d.mean).toFixed(2)} % | ${(100 * d.other).toFixed(2)} % |`,
    );
  }
}
await disconnectPrisma(url);
