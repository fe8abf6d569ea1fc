/** Source hosts of a slice (period, country, port, AS, class, address prefix), by packets. */
import 'server-only';
import type { HostClass, IpPrefix } from '@/lib/api/params';
import type { Period } from '@/lib/api/period';
import type { PortRef } from '@/lib/api/port-key';
import type { HostSummary } from '@/lib/api/types';
import {
  dayFilter,
  isoTime,
  num,
  Prisma,
  ROLLUP_SENSOR_ID,
  rows,
  type SensorScope,
  sensorFilter,
} from './db';
import {
  addFingerprints,
  addPorts,
  addWeighted,
  hostClass,
  hostPortLabel,
  hostPortsKey,
  portList,
  tcpPacketsOf,
  topValue,
} from './host-rows';
import {
  keptMonthLists,
  type MonthListSource,
  makeInBackground,
  makeMonthLists,
  makesInBackground,
} from './month-host-lists';
import { topHostsByThreshold } from './top-hosts';

export interface HostsArgs {
  period: Period;
  country?: string;
  port?: PortRef;
  asn?: number;
  class?: HostClass;
  prefix?: IpPrefix;
  limit: number;
  scope: SensorScope;
}

/** daily_host has no rollup rows: all sensors means no sensor filter. */
export function hostSensorFilter(scope: SensorScope): Prisma.Sql {
  return scope.names.length === 0 ? Prisma.empty : Prisma.sql` AND ${sensorFilter(scope)}`;
}

const SCAN_SQL = Prisma.sql`(SUM(scan_packets) >= SUM(backscatter_packets) AND 2 * SUM(scan_packets) + SUM(backscatter_packets) >= SUM(packets))`;
const BACKSCATTER_SQL = Prisma.sql`(2 * SUM(backscatter_packets) + SUM(scan_packets) >= SUM(packets))`;

function classHaving(c: HostClass): Prisma.Sql {
  switch (c) {
    case 'scan':
      return Prisma.sql` HAVING ${SCAN_SQL}`;
    case 'backscatter':
      return Prisma.sql` HAVING NOT ${SCAN_SQL} AND ${BACKSCATTER_SQL}`;
    case 'other':
      return Prisma.sql` HAVING NOT ${SCAN_SQL} AND NOT ${BACKSCATTER_SQL}`;
  }
}

/** Most host rows one source can have per day in a scope: one per sensor. */
async function rowsPerHostDay(scope: SensorScope): Promise<number> {
  if (scope.names.length > 0) return scope.ids.length;
  const [r] = await rows<{ n: unknown }>(
    Prisma.sql`SELECT COUNT(*) AS n FROM sensor WHERE id <> ${ROLLUP_SENSOR_ID}`,
  );
  return Math.max(1, num(r?.n));
}

/** How the ranking is found (tests compare the two): see top-hosts.ts. */
export interface HostsStrategy {
  /** Add up every host row of the period instead of the threshold algorithm. */
  groupBy?: boolean;
  /** The threshold algorithm's first depth (rows per day). */
  startDepth?: number;
  /** false: a port's day lists from daily_host with the LIKE, as before daily_host_port. */
  portLists?: boolean;
  /** See TopHostsQuery.candidateBudget. */
  candidateBudget?: number;
  /**
   * false: whole months from their days, not from month lists; or the lists' depth, and
   * whether missing lists are made after the ranking (default: on a production server)
   * or before it.
   */
  monthLists?: false | { depth?: number; background?: boolean };
}

/**
 * From this many whole months without lists, a ranking makes them first instead of
 * reading those months' days: over many days the threshold algorithm's candidates grow
 * past its cap and it adds up every row (a year at /16: 15 s from the days, 2 s to make
 * the 12 lists), while a quarter's days rank in tens of milliseconds.
 */
const MONTHS_MADE_NOW = 4;

/** Hosts per month list: enough below the limit that the lists' bounds rarely decide. */
function monthListDepth(limit: number): number {
  return Math.max(200, 4 * limit);
}

/** The month_host_list kind of a slice: its row filters (not the class: see top-hosts.ts). */
function sliceKind(args: HostsArgs): string {
  const parts = ['hosts'];
  if (args.country) parts.push(`country=${args.country}`);
  if (args.asn !== undefined) parts.push(`asn=${args.asn}`);
  if (args.port) parts.push(`port=${args.port.port}/${args.port.proto}`);
  if (args.prefix) parts.push(`prefix=${args.prefix.likes.join(',')}`);
  return parts.join('|');
}

/**
 * The slice's filters on the columns daily_host and daily_host_port share (sensor,
 * country, AS, address prefix); `indexable` false writes country and AS as expressions.
 */
function sliceFilters(args: HostsArgs, indexable: boolean): Prisma.Sql {
  const { country, asn, prefix, scope } = args;
  const [countryCol, asnCol] = indexable
    ? [Prisma.raw('country'), Prisma.raw('asn')]
    : [Prisma.raw(`(country || '')`), Prisma.raw('(asn + 0)')];
  return Prisma.sql`${hostSensorFilter(scope)}${
    country ? Prisma.sql` AND ${countryCol} = ${country}` : Prisma.empty
  }${asn !== undefined ? Prisma.sql` AND ${asnCol} = ${asn}` : Prisma.empty}${
    prefix
      ? Prisma.sql` AND (${Prisma.join(
          prefix.likes.map((p) => Prisma.sql`ip LIKE ${p}`),
          ' OR ',
        )})`
      : Prisma.empty
  }`;
}

export async function getHosts(
  args: HostsArgs,
  strategy: HostsStrategy = {},
): Promise<HostSummary[]> {
  const { period, port, limit, scope } = args;
  const portLike = port
    ? Prisma.sql` AND ports LIKE ${`%${hostPortsKey(port.proto, port.port)}%`}`
    : Prisma.empty;
  // Reads of given hosts (ip IN ...) filter with country and AS as expressions, which no
  // index serves: given an indexed country SQLite (no statistics) walks the country's
  // rows of the whole period instead of each host's few.
  const byIp = Prisma.sql`${sliceFilters(args, false)}${portLike}`;
  const indexed = sliceFilters(args, true);
  const filters = Prisma.sql`${indexed}${portLike}`;
  const lists =
    port && strategy.portLists !== false
      ? {
          table: Prisma.raw('daily_host_port'),
          filters: Prisma.sql`${indexed} AND port = ${hostPortLabel(port.proto, port.port)}`,
        }
      : { table: Prisma.raw('daily_host'), filters };
  const where = Prisma.sql`${dayFilter(period)}${filters}`;
  const select = Prisma.sql`ip, MAX(country) AS country, MAX(asn) AS asn, MAX(as_org) AS as_org,
      SUM(packets) AS packets, SUM(scan_packets) AS scan, SUM(backscatter_packets) AS bs,
      MIN(first_seen) AS first_seen, MAX(last_seen) AS last_seen`;
  const having = args.class ? classHaving(args.class) : undefined;
  const perHostDay = strategy.groupBy ? 1 : await rowsPerHostDay(scope);
  const tuning = { startDepth: strategy.startDepth, candidateBudget: strategy.candidateBudget };
  const sensorId = scope.ids.length === 1 ? scope.ids[0]! : null;
  const monthLists = strategy.monthLists === false ? null : (strategy.monthLists ?? {});
  const source: MonthListSource | null =
    monthLists === null || sensorId === null
      ? null
      : {
          kind: sliceKind(args),
          sensorId,
          depth: monthLists.depth ?? monthListDepth(limit),
          make: async (month, depth) => {
            const ranked =
              (await topHostsByThreshold({
                period: month,
                filters: byIp,
                lists,
                select: Prisma.sql`ip, SUM(packets) AS packets`,
                limit: depth,
                rowsPerHostDay: perHostDay,
                ...tuning,
              })) ??
              (await rows<Record<string, unknown>>(Prisma.sql`
                SELECT ip, SUM(packets) AS packets FROM daily_host
                WHERE ${dayFilter(month)}${filters}
                GROUP BY ip ORDER BY SUM(packets) DESC, ip LIMIT ${depth}`));
            return ranked.map((r) => [String(r.ip), num(r.packets)]);
          },
        };
  const background = monthLists?.background ?? makesInBackground();
  const months = source
    ? async (names: string[], deeper: number) => {
        const src = deeper === 0 ? source : { ...source, depth: source.depth * 4 ** deeper };
        const kept = await keptMonthLists(src, names);
        const missing = names.filter((m) => !kept.has(m));
        // Made now, not after the ranking, when they cost less than the days they save:
        // deeper lists (asked for when the kept ones could not decide, top-hosts.ts), and
        // the lists of a long period.
        const now = deeper > 0 || missing.length >= MONTHS_MADE_NOW;
        if (missing.length > 0 && background && !now) makeInBackground(src, missing);
        else for (const [m, l] of await makeMonthLists(src, missing)) kept.set(m, l);
        return kept;
      }
    : undefined;

  const top =
    (strategy.groupBy
      ? null
      : await topHostsByThreshold({
          period,
          filters: byIp,
          lists,
          select,
          having,
          limit,
          rowsPerHostDay: perHostDay,
          ...tuning,
          months,
        })) ??
    (await rows<Record<string, unknown>>(Prisma.sql`
      SELECT ${select} FROM daily_host
      WHERE ${where}
      GROUP BY ip${having ?? Prisma.empty}
      ORDER BY SUM(packets) DESC, ip
      LIMIT ${limit}`));
  if (top.length === 0) return [];

  const ips = top.map((r) => String(r.ip));
  const details = await rows<{
    ip: string;
    ports: unknown;
    fingerprints: unknown;
    seq: unknown;
    syn: unknown;
    syn_ack: unknown;
    rst: unknown;
    ack: unknown;
    other_tcp: unknown;
  }>(Prisma.sql`
    SELECT ip, ports, fingerprints, seq, syn, syn_ack, rst, ack, other_tcp FROM daily_host
    WHERE ${dayFilter(period)}${byIp} AND ip IN (${Prisma.join(ips)})`);
  const ports = new Map<string, Map<string, number>>();
  const fps = new Map<string, Set<string>>();
  const seqs = new Map<string, Map<number, number>>();
  for (const d of details) {
    let pm = ports.get(d.ip);
    if (!pm) {
      pm = new Map();
      ports.set(d.ip, pm);
    }
    addPorts(pm, d.ports);
    let fs = fps.get(d.ip);
    if (!fs) {
      fs = new Set();
      fps.set(d.ip, fs);
    }
    addFingerprints(fs, d.fingerprints);
    let sm = seqs.get(d.ip);
    if (!sm) {
      sm = new Map();
      seqs.set(d.ip, sm);
    }
    addWeighted(sm, num(d.seq), tcpPacketsOf(d));
  }

  return top.map((r) => {
    const ip = String(r.ip);
    const packets = num(r.packets);
    return {
      ip,
      country: String(r.country),
      asn: num(r.asn),
      asOrg: String(r.as_org ?? ''),
      packets,
      ports: portList(ports.get(ip) ?? new Map(), 8),
      firstSeen: isoTime(r.first_seen),
      lastSeen: isoTime(r.last_seen),
      class: hostClass(packets, num(r.scan), num(r.bs)),
      fingerprints: [...(fps.get(ip) ?? [])].sort(),
      seq: topValue(seqs.get(ip) ?? new Map()),
    };
  });
}
