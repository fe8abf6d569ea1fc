/**
 * Daily series for a slice: packets or distinct sources per UTC day, as one "total"
 * series or split by port, country, TCP window size, traffic class or fingerprint.
 * Distinct sources of a bucket that spans several rows of a day (several windows,
 * ports, countries or sensors) come from merging those rows' sketches.
 */
import 'server-only';
import type { Metric, Split } from '@/lib/api/params';
import { daysOf, type Period } from '@/lib/api/period';
import type { PortRef } from '@/lib/api/port-key';
import type { SeriesResponse } from '@/lib/api/types';
import { periodRows, type RolledUp } from '@/lib/db/period-rows';
import {
  dayFilter,
  dayList,
  num,
  PORT_KEY_SQL,
  Prisma,
  portKeyGroups,
  ROLLUP_SENSOR_ID,
  rows,
  type SensorScope,
  sensorFilter,
} from './db';
import { topPorts } from './port-ranking';
import { SketchMerger } from './sketch';
import { UNKNOWN_COUNTRY } from './top-countries';

export interface SeriesArgs {
  period: Period;
  metric: Metric;
  port?: PortRef;
  country?: string;
  split?: Split;
  /** split=port: these ports (else the top `limit` by packets). */
  ports?: PortRef[];
  /** split=country: these countries (else the top `limit` by packets). */
  countries?: string[];
  /** How many series a split keeps (window: the rest is summed as "other"). */
  limit: number;
  scope: SensorScope;
}

/** Name of the bucket holding every TCP window outside the largest few. */
export const OTHER_SERIES = 'other';
export const TOTAL_SERIES = 'total';

const CLASS_ORDER = ['scan', 'backscatter', 'other'];

interface DayKeyRow {
  day: string;
  k: unknown;
  v?: unknown;
  sketch?: unknown;
}

/** Builds a zero-filled {days, series} from (day, key, value) rows. */
function assemble(
  period: Period,
  names: string[],
  values: Iterable<[day: string, name: string, value: number]>,
): SeriesResponse {
  const days = daysOf(period);
  const index = new Map(days.map((d, i) => [d, i]));
  const byName = new Map(names.map((n) => [n, new Array<number>(days.length).fill(0)]));
  for (const [day, name, value] of values) {
    const i = index.get(day);
    const arr = byName.get(name);
    if (i !== undefined && arr) arr[i] = (arr[i] ?? 0) + value;
  }
  return { days, series: names.map((name) => ({ name, values: byName.get(name)! })) };
}

/**
 * Reads (day, key) buckets of a table: summed packets, or distinct sources. `useColumn`
 * says each (day, key) is exactly one row, so the stored `sources` estimate is exact
 * for it; otherwise the rows' sketches are merged.
 */
async function bucketValues(
  metric: Metric,
  keyExpr: Prisma.Sql,
  from: Prisma.Sql,
  where: Prisma.Sql,
  useColumn: boolean,
  bucketOf: (key: string) => string | undefined,
  /**
   * Few rows per (day, key) (an explicit key list): read them and add up here. A
   * GROUP BY day makes SQLite prefer walking the whole period in day order over seeking
   * the keys' index.
   */
  sumHere = false,
): Promise<[string, string, number][]> {
  if (metric === 'packets' || useColumn) {
    const col = metric === 'packets' ? Prisma.raw('packets') : Prisma.raw('sources');
    const rs = await rows<DayKeyRow>(
      sumHere
        ? Prisma.sql`SELECT day, ${keyExpr} AS k, ${col} AS v FROM ${from} WHERE ${where}`
        : Prisma.sql`
      SELECT day, ${keyExpr} AS k, SUM(${col}) AS v FROM ${from}
      WHERE ${where} GROUP BY day, ${keyExpr}`,
    );
    const out: [string, string, number][] = [];
    for (const r of rs) {
      const b = bucketOf(String(r.k));
      if (b !== undefined) out.push([r.day, b, num(r.v)]);
    }
    return out;
  }
  const rs = await rows<DayKeyRow>(Prisma.sql`
    SELECT day, ${keyExpr} AS k, sketch FROM ${from} WHERE ${where}`);
  const merger = new SketchMerger<string>();
  for (const r of rs) {
    const b = bucketOf(String(r.k));
    if (b !== undefined) merger.add(`${r.day}\u0000${b}`, r.sketch);
  }
  const out: [string, string, number][] = [];
  for (const key of merger.keys()) {
    const [day, b] = key.split('\u0000') as [string, string];
    out.push([day, b, merger.estimate(key)]);
  }
  return out;
}

/** The keys of the `limit` largest buckets by packets. */
async function topKeys(
  keyExpr: Prisma.Sql,
  from: Prisma.Sql,
  where: Prisma.Sql,
  limit: number,
): Promise<string[]> {
  const rs = await rows<{ k: unknown }>(Prisma.sql`
    SELECT ${keyExpr} AS k FROM ${from} WHERE ${where}
    GROUP BY ${keyExpr} ORDER BY SUM(packets) DESC, ${keyExpr} LIMIT ${limit}`);
  return rs.map((r) => String(r.k));
}

/** topKeys over a table with monthly rollups: whole months read there (period-rows.ts). */
function topRolledKeys(
  table: RolledUp,
  period: Period,
  scope: SensorScope,
  keyExpr: Prisma.Sql,
  columns: Prisma.Sql,
  where: Prisma.Sql,
  limit: number,
): Promise<string[]> {
  return topKeys(
    keyExpr,
    periodRows(table, period, scope.ids, columns, where),
    Prisma.sql`1 = 1`,
    limit,
  );
}

export async function getSeries(args: SeriesArgs): Promise<SeriesResponse> {
  const { period, metric, port, country, scope } = args;
  const base = Prisma.sql`${sensorFilter(scope)} AND ${dayFilter(period)}`;
  const portWhere = port
    ? Prisma.sql` AND proto = ${port.proto} AND port = ${port.port}`
    : Prisma.empty;
  const countryWhere = country ? Prisma.sql` AND country = ${country}` : Prisma.empty;
  const single = !scope.combined;

  switch (args.split) {
    case undefined: {
      const table =
        port && country
          ? 'daily_country_port'
          : port
            ? 'daily_port'
            : country
              ? 'daily_country'
              : 'daily_total';
      const values = await bucketValues(
        metric,
        Prisma.raw('day'),
        Prisma.raw(table),
        Prisma.sql`${base}${portWhere}${countryWhere}`,
        single,
        () => TOTAL_SERIES,
      );
      return assemble(period, [TOTAL_SERIES], values);
    }

    case 'port': {
      const from = Prisma.raw(country ? 'daily_country_port' : 'daily_port');
      // Per country: every day named, so that the port index seeks them (db.ts dayList).
      const where = country
        ? Prisma.sql`${sensorFilter(scope)} AND ${dayList(period)} AND proto IN ('tcp', 'udp')${countryWhere}`
        : Prisma.sql`${base} AND proto IN ('tcp', 'udp')`;
      const keys = args.ports
        ? args.ports.map((p) => `${p.port}/${p.proto}`)
        : (
            await topPorts(
              {
                table: country ? 'country_port' : 'port',
                scope,
                where: Prisma.sql`proto IN ('tcp', 'udp')${countryWhere}`,
              },
              period,
              args.limit,
            )
          ).map((r) => `${r.port}/${r.proto}`);
      if (keys.length === 0) return assemble(period, [], []);
      const wanted = new Set(keys);
      // One index-friendly query per protocol (a filter on the key expression is not).
      const values: [string, string, number][] = [];
      for (const g of portKeyGroups(keys)) {
        values.push(
          ...(await bucketValues(
            metric,
            PORT_KEY_SQL,
            from,
            Prisma.sql`${where} AND ${g.where}`,
            single,
            (k) => (wanted.has(k) ? k : undefined),
            true,
          )),
        );
      }
      return assemble(period, keys, values);
    }

    case 'country': {
      const from = Prisma.raw(port ? 'daily_country_port' : 'daily_country');
      const where = Prisma.sql`${base}${portWhere}`;
      const keyExpr = Prisma.raw('country');
      const keys =
        args.countries ??
        (await topRolledKeys(
          port ? 'country_port' : 'country',
          period,
          scope,
          keyExpr,
          keyExpr,
          Prisma.sql`country <> ${UNKNOWN_COUNTRY}${portWhere}`,
          args.limit,
        ));
      if (keys.length === 0) return assemble(period, [], []);
      const wanted = new Set(keys);
      const values = await bucketValues(
        metric,
        keyExpr,
        from,
        Prisma.sql`${where} AND country IN (${Prisma.join(keys)})`,
        single,
        (k) => (wanted.has(k) ? k : undefined),
      );
      return assemble(period, keys, values);
    }

    case 'window': {
      // One port on the all-sensors rollup (the usual case): its windows summed over
      // countries by triggers (daily_port_window), a few rows a day. Otherwise the
      // per-country rows, their sketches merged per (day, window) where a bucket spans
      // several of them (ports, sensors).
      const portTable =
        port !== undefined &&
        country === undefined &&
        scope.ids.length === 1 &&
        scope.ids[0] === ROLLUP_SENSOR_ID;
      const from = Prisma.raw(portTable ? 'daily_port_window' : 'daily_window');
      const where = Prisma.sql`${base}${port ? Prisma.sql` AND port = ${port.port}` : Prisma.empty}${countryWhere}`;
      // WINDOW is a reserved word in PostgreSQL: quote the column.
      const keyExpr = Prisma.raw('"window"');
      const top = await topKeys(keyExpr, from, where, args.limit);
      const wanted = new Set(top);
      // Each window's value first, then "other" as the sum of the smaller windows' (a
      // host that sent two of them counts in both, as it does in two named series).
      const perWindow = await bucketValues(
        metric,
        keyExpr,
        from,
        where,
        single && port !== undefined,
        (k) => k,
      );
      const values = perWindow.map(([day, w, v]): [string, string, number] => [
        day,
        wanted.has(w) ? w : OTHER_SERIES,
        v,
      ]);
      return assemble(period, [...top, OTHER_SERIES], values);
    }

    case 'class':
    case 'fingerprint': {
      const prefix = args.split === 'class' ? 'class:' : 'fp:';
      const from = Prisma.raw('daily_tag');
      const where = Prisma.sql`${base} AND tag LIKE ${`${prefix}%`}${portWhere}`;
      const keyExpr = Prisma.raw('tag');
      let tags: string[];
      if (args.split === 'class') {
        const present = await topKeys(keyExpr, from, where, 20);
        tags = present.sort(
          (a, b) => classRank(a.slice(prefix.length)) - classRank(b.slice(prefix.length)),
        );
      } else {
        tags = await topKeys(keyExpr, from, where, args.limit);
      }
      if (tags.length === 0) return assemble(period, [], []);
      const wanted = new Set(tags);
      const values = await bucketValues(
        metric,
        keyExpr,
        from,
        Prisma.sql`${where} AND tag IN (${Prisma.join(tags)})`,
        single && port !== undefined,
        (k) => (wanted.has(k) ? k.slice(prefix.length) : undefined),
      );
      return assemble(
        period,
        tags.map((t) => t.slice(prefix.length)),
        values,
      );
    }
  }
}

function classRank(c: string): number {
  const i = CLASS_ORDER.indexOf(c);
  return i < 0 ? CLASS_ORDER.length : i;
}
