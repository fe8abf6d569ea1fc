/**
 * Ports ranked by packets over a period, and the ranks of given ports in a period,
 * without adding up every port of the period where that can be avoided: a /16 telescope
 * sees ~70k ports a month, and a GROUP BY over all of them is most of a ranking's time.
 *
 * A period's rows of one port are at most P: one per sensor and whole month (monthly
 * rollup) or day (daily rows) of the period. A port whose sum reaches a bound τ has a
 * row of at least τ / P (pigeonhole), so every port that can rank is among the ports
 * with such a row (the second phase of Cao and Wang's TPUT). τ is the smallest exact
 * sum of N ports known to be large (the top of one month, or of the period's last day),
 * a lower bound of the N-th largest sum. The candidates' exact sums then give the same
 * ranking, ties and all, as the GROUP BY; past MAX_CANDIDATES the GROUP BY is cheaper.
 */
import 'server-only';
import { dayCount, monthsOf, type Period, splitByMonth } from '@/lib/api/period';
import type { Proto } from '@/lib/api/port-key';
import { periodRows } from '@/lib/db/period-rows';
import { num, PORT_KEY_SQL, Prisma, rows, rowsByPortKeys, type SensorScope } from './db';

export interface PortSum {
  proto: Proto;
  port: number;
  packets: number;
}

export interface PortRankingArgs {
  /** daily_port / monthly_port, or the per-country tables (with `where` on country). */
  table: 'port' | 'country_port';
  scope: SensorScope;
  /** Filter on the key columns (proto, and country for country_port). */
  where: Prisma.Sql;
}

/** Strategy (tests compare both): always the plain GROUP BY; which way was taken. */
export interface RankingStrategy {
  groupBy?: boolean;
  onPath?: (path: 'threshold' | 'group-by') => void;
}

/** Past this many candidate ports, summing them one by one costs more than grouping all. */
const MAX_CANDIDATES = 2000;

const keyOf = (r: { proto: string; port: unknown }): string => `${num(r.port)}/${r.proto}`;

/** SQL's order: packets descending, then protocol, then port. */
function byRank(a: PortSum, b: PortSum): number {
  return (
    b.packets - a.packets || (a.proto < b.proto ? -1 : a.proto > b.proto ? 1 : 0) || a.port - b.port
  );
}

/** Rows of a port in the period, at most: one per sensor and whole month or day. */
function rowsPerPort(period: Period, sensors: number): number {
  const { months, days } = splitByMonth(period);
  let parts = months ? monthsOf(months).length : 0;
  for (const d of days) parts += dayCount(d);
  return parts * sensors;
}

function source(
  a: PortRankingArgs,
  period: Period,
  where: Prisma.Sql,
  named: { months?: boolean; days?: boolean } = {},
) {
  return periodRows(a.table, period, a.scope.ids, Prisma.sql`proto, port`, where, named);
}

/**
 * Exact sums over the period of the given port keys ('445/tcp'); absent keys left out.
 * Rows are added up here: a GROUP BY makes SQLite pick the index that yields its order
 * over the one that seeks the keys.
 */
async function sumsOf(a: PortRankingArgs, period: Period, keys: string[]): Promise<PortSum[]> {
  const rs = await rowsByPortKeys<{ proto: Proto; port: unknown; packets: unknown }>(
    keys,
    (ports) => Prisma.sql`
      SELECT proto, port, packets
      FROM ${source(a, period, Prisma.sql`${a.where} AND ${ports}`, { months: true })}`,
  );
  const sums = new Map<string, PortSum>();
  for (const r of rs) {
    const k = keyOf(r);
    const s = sums.get(k);
    if (s) s.packets += num(r.packets);
    else sums.set(k, { proto: r.proto, port: num(r.port), packets: num(r.packets) });
  }
  return [...sums.values()];
}

/** Every port with a row of at least `min` packets in the period, or null past the cap. */
async function portsWithRow(
  a: PortRankingArgs,
  period: Period,
  min: number,
): Promise<string[] | null> {
  // Rows, not DISTINCT (see sumsOf): at most rowsPerPort of them per port.
  const cap = (MAX_CANDIDATES + 1) * rowsPerPort(period, a.scope.ids.length);
  // Indexes by (sensor, day or month, packets) on daily_port and monthly_port, and by
  // (sensor, country, month, packets) on monthly_country_port: named days and months
  // make each one seek to its large rows.
  const bySize = a.table === 'port' ? { months: true, days: true } : { months: true };
  const rs = await rows<{ proto: Proto; port: unknown }>(Prisma.sql`
    SELECT proto, port
    FROM ${source(a, period, Prisma.sql`${a.where} AND packets >= ${min}`, bySize)}
    LIMIT ${cap}`);
  const keys = new Set(rs.map(keyOf));
  return keys.size > MAX_CANDIDATES ? null : [...keys];
}

/**
 * Every port whose period sum is at least `bound` (and maybe smaller ones), with its
 * exact sum, the `known` sums included; null when the bound is no use (below one packet
 * per row) or the candidates are too many. Unordered.
 */
async function portsReaching(
  a: PortRankingArgs,
  period: Period,
  bound: number,
  known: PortSum[],
): Promise<PortSum[] | null> {
  const min = Math.floor(bound / rowsPerPort(period, a.scope.ids.length));
  if (min < 1) return null;
  const candidates = await portsWithRow(a, period, min);
  if (candidates === null) return null;
  const have = new Set(known.map(keyOf));
  const rest = candidates.filter((k) => !have.has(k));
  return rest.length > 0 ? [...known, ...(await sumsOf(a, period, rest))] : known;
}

/** Ports that are large in one part of the period: its first whole month, else its last day. */
async function seedPorts(a: PortRankingArgs, period: Period, limit: number): Promise<string[]> {
  const { months } = splitByMonth(period);
  const sensors = Prisma.sql`sensor_id IN (${Prisma.join(a.scope.ids)})`;
  const rs = await rows<{ proto: Proto; port: unknown }>(
    months
      ? Prisma.sql`
        SELECT proto, port FROM ${Prisma.raw(`monthly_${a.table}`)}
        WHERE ${sensors} AND month = ${months.from} AND ${a.where}
        ORDER BY packets DESC LIMIT ${limit * a.scope.ids.length}`
      : Prisma.sql`
        SELECT proto, port FROM ${Prisma.raw(`daily_${a.table}`)}
        WHERE ${sensors} AND day = ${period.to} AND ${a.where}
        ORDER BY packets DESC LIMIT ${limit * a.scope.ids.length}`,
  );
  return [...new Set(rs.map(keyOf))].slice(0, limit);
}

async function topByGroupBy(a: PortRankingArgs, period: Period, limit: number): Promise<PortSum[]> {
  const rs = await rows<{ proto: Proto; port: unknown; packets: unknown }>(Prisma.sql`
    SELECT proto, port, SUM(packets) AS packets FROM ${source(a, period, a.where)}
    GROUP BY proto, port
    ORDER BY SUM(packets) DESC, proto, port
    LIMIT ${limit}`);
  return rs.map((r) => ({ proto: r.proto, port: num(r.port), packets: num(r.packets) }));
}

/** The `limit` ports with the most packets in the period, in the GROUP BY's order. */
export async function topPorts(
  a: PortRankingArgs,
  period: Period,
  limit: number,
  strategy: RankingStrategy = {},
): Promise<PortSum[]> {
  const groupBy = () => {
    strategy.onPath?.('group-by');
    return topByGroupBy(a, period, limit);
  };
  if (strategy.groupBy || limit < 1) return groupBy();
  const seeds = await seedPorts(a, period, limit);
  // Fewer large ports than asked for: the period may have fewer ports; no bound.
  if (seeds.length < limit) return groupBy();
  const seedSums = await sumsOf(a, period, seeds);
  const bound = Math.min(...seedSums.map((s) => s.packets));
  const sums = await portsReaching(a, period, bound, seedSums);
  if (sums === null) return groupBy();
  strategy.onPath?.('threshold');
  return sums.sort(byRank).slice(0, limit);
}

async function ranksByGroupBy(
  a: PortRankingArgs,
  period: Period,
  keys: string[],
): Promise<Map<string, number>> {
  const rs = await rows<{ proto: Proto; port: unknown; rnk: unknown }>(Prisma.sql`
    SELECT proto, port, rnk FROM (
      SELECT proto, port, ROW_NUMBER() OVER (ORDER BY SUM(packets) DESC, proto, port) AS rnk
      FROM ${source(a, period, a.where)}
      GROUP BY proto, port
    ) ranked
    WHERE ${PORT_KEY_SQL} IN (${Prisma.join(keys)})`);
  return new Map(rs.map((r) => [keyOf(r), num(r.rnk)]));
}

/**
 * The rank (1 = most packets) in the period of each of `keys` that has rows there. A
 * port ranks above a key only with a sum at least the key's, so the ports with a row of
 * at least (the smallest of the keys' sums) / P are all that need adding up.
 */
export async function portRanks(
  a: PortRankingArgs,
  period: Period,
  keys: string[],
  strategy: RankingStrategy = {},
): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const groupBy = () => {
    strategy.onPath?.('group-by');
    return ranksByGroupBy(a, period, keys);
  };
  if (strategy.groupBy) return groupBy();
  const own = await sumsOf(a, period, keys);
  if (own.length === 0) return new Map();
  const lowest = Math.min(...own.map((s) => s.packets));
  const all = await portsReaching(a, period, lowest, own);
  if (all === null) return groupBy();
  strategy.onPath?.('threshold');
  all.sort(byRank);
  const rank = new Map(all.map((s, i) => [keyOf(s), i + 1]));
  return new Map(own.map((s) => [keyOf(s), rank.get(keyOf(s))!]));
}
