/**
 * Shared plumbing for the view queries: the Prisma client, raw rows with numbers
 * normalised (SQLite and PostgreSQL return counters as number, bigint or numeric),
 * sensor scopes and the default period.
 */
import 'server-only';
import { Prisma } from '@/generated/prisma-sqlite/client';
import { badParameter } from '@/lib/api/errors';
import {
  addDays,
  type DataSpan,
  daysOf,
  defaultPeriod,
  type Period,
  quarterOf,
} from '@/lib/api/period';
import { readDataSpan } from '@/lib/db/data-span';
import { pgRows } from '@/lib/db/pg-reads';
import { sqliteRows } from '@/lib/db/sqlite-reads';
import { databaseUrl, engineOf } from '@/lib/db/url';
import { bytes, isoTime, num } from '@/lib/db/values';
import { beforeQuery } from './background';

export { bytes, isoTime, num, Prisma };
export type Sql = Prisma.Sql;

/**
 * Runs a Prisma.sql query and returns its rows. Each query first yields to the event
 * loop: SQLite (better-sqlite3) answers synchronously, so a view's queries chained on
 * promises would otherwise run as one long task, holding back the streamed page (its
 * loading state) and every other request until all of them are done.
 */
export async function rows<T = Record<string, unknown>>(query: Prisma.Sql): Promise<T[]> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await beforeQuery();
  const url = databaseUrl();
  if (engineOf(url) === 'sqlite') return sqliteRows<T>(url, query.sql, query.values);
  return pgRows<T>(url, query.text, query.values);
}

/** The all-sensors rollup's id (sensor '*'). */
export const ROLLUP_SENSOR_ID = 0;

export interface SensorScope {
  /** Sensor ids whose rows are added up: [0] (the rollup) when no sensor is chosen. */
  ids: number[];
  /** Chosen sensor names, sorted; empty for all sensors. */
  names: string[];
  /** True when the rows of several sensors are combined (sketches must be merged). */
  combined: boolean;
}

/** Resolves sensor names to ids; unknown names are a 400 naming 'sensors'. */
export async function sensorScope(names: string[] | undefined): Promise<SensorScope> {
  if (!names || names.length === 0) return { ids: [ROLLUP_SENSOR_ID], names: [], combined: false };
  const found = await rows<{ id: unknown; name: string }>(
    Prisma.sql`SELECT id, name FROM sensor WHERE name IN (${Prisma.join(names)}) AND id <> ${ROLLUP_SENSOR_ID}`,
  );
  const byName = new Map(found.map((r) => [r.name, num(r.id)]));
  const missing = names.find((n) => !byName.has(n));
  if (missing !== undefined) throw badParameter('sensors', `unknown sensor '${missing}'`);
  const ids = [...byName.values()].sort((a, b) => a - b);
  return { ids, names: [...names].sort(), combined: ids.length > 1 };
}

/** `sensor_id IN (...)` for a scope. */
export function sensorFilter(scope: SensorScope, column = Prisma.raw('sensor_id')): Prisma.Sql {
  return Prisma.sql`${column} IN (${Prisma.join(scope.ids)})`;
}

/** `day BETWEEN from AND to`. */
export function dayFilter(p: Period, column = Prisma.raw('day')): Prisma.Sql {
  return Prisma.sql`${column} >= ${p.from} AND ${column} <= ${p.to}`;
}

/**
 * `day IN (every day of the period)`: for rows of a few keys of a wide table (ports of
 * one country), where the day must be an equality for the index to seek each key's days
 * rather than scan every key of the period (a range on day stops the seek there).
 */
export function dayList(p: Period, column = Prisma.raw('day')): Prisma.Sql {
  return Prisma.sql`${column} IN (${Prisma.join(daysOf(p))})`;
}

/** The days with data in the all-sensors rollup (readDataSpan), or null. */
export function dataExtent(): Promise<DataSpan | null> {
  return readDataSpan((sql) => rows(sql));
}

/**
 * The requested period, or the default: the last complete quarter in the data (the
 * last complete quarter before today when there is no data).
 */
export async function resolvePeriod(p: Period | null): Promise<Period> {
  if (p) return p;
  const extent = await dataExtent();
  if (extent) return defaultPeriod(extent);
  const today = new Date().toISOString().slice(0, 10);
  return quarterOf(addDays(quarterOf(today).from, -1));
}

/**
 * A port key expression ('445/tcp') in SQL, identical on SQLite and PostgreSQL. For
 * output and grouping only: a filter on it cannot use an index (see portKeyGroups).
 */
export const PORT_KEY_SQL = Prisma.raw(`(CAST(port AS TEXT) || '/' || proto)`);

/**
 * Port keys ('445/tcp') grouped by protocol, each as an index-friendly filter
 * `proto = ? AND port IN (...)`. Query once per group: an OR of the groups, or a filter
 * on PORT_KEY_SQL, makes both engines scan every row of the period instead of seeking
 * the (sensor_id, proto, port, day) index.
 */
export function portKeyGroups(keys: readonly string[]): { proto: string; where: Prisma.Sql }[] {
  const byProto = new Map<string, number[]>();
  for (const k of keys) {
    const i = k.lastIndexOf('/');
    const port = Number(k.slice(0, i));
    const proto = k.slice(i + 1);
    if (i <= 0 || !Number.isInteger(port)) continue;
    byProto.set(proto, [...(byProto.get(proto) ?? []), port]);
  }
  return [...byProto].map(([proto, ports]) => ({
    proto,
    where: Prisma.sql`proto = ${proto} AND port IN (${Prisma.join(ports)})`,
  }));
}

/** Runs `query` once per protocol group of `keys` and concatenates the rows. */
export async function rowsByPortKeys<T>(
  keys: readonly string[],
  query: (filter: Prisma.Sql) => Prisma.Sql,
): Promise<T[]> {
  const out: T[] = [];
  for (const g of portKeyGroups(keys)) out.push(...(await rows<T>(query(g.where))));
  return out;
}
