/**
 * Reads what the detectors need from the daily aggregates, through a Prisma client
 * (SQLite or PostgreSQL; raw SQL as Prisma.sql templates). Not 'server-only': the
 * `scanline detect` command uses it too.
 */
import { Prisma } from '../../generated/prisma-sqlite/client';
import { SourceSketch } from '../../ingest/aggregate/source-sketch';
import { type DataSpan, daysOf } from '../api/period';
import { readDataSpan } from '../db/data-span';
import { periodRows } from '../db/period-rows';
import { type ScanlinePrisma, urlOfClient } from '../db/prisma';
import { sqliteRows } from '../db/sqlite-reads';
import { engineOf } from '../db/url';
import { bytes, isoTime, num } from '../db/values';
import type { AnomalyMetric, Dimension } from './types';

export const ROLLUP = 0;

export type Db = Pick<ScanlinePrisma, '$queryRaw' | 'anomaly' | 'anomalyScan' | 'ingestedFile'>;

export async function q<T = Record<string, unknown>>(db: Db, sql: Prisma.Sql): Promise<T[]> {
  // A SQLite file's client reads through better-sqlite3 directly (lib/db/sqlite-reads.ts):
  // the growth detector's window rows (~530k rows of sketches for 42 days at /16 scale)
  // spend most of their time in Prisma's row conversion. A transaction's client (not a
  // getPrisma client) keeps Prisma, so that it sees its own writes.
  const url = urlOfClient(db);
  if (url !== undefined && engineOf(url) === 'sqlite') {
    return sqliteRows<T>(url, sql.sql, sql.values);
  }
  return (await db.$queryRaw(sql)) as T[];
}

export { num };

export interface DayTotals {
  packets: number;
  sources: number;
}

/** The whole telescope per day (all-sensors rollup). Days without a row had no data. */
export async function loadTotals(
  db: Db,
  from: string,
  to: string,
): Promise<Map<string, DayTotals>> {
  const rs = await q(
    db,
    Prisma.sql`SELECT day, packets, sources FROM daily_total
      WHERE sensor_id = ${ROLLUP} AND day >= ${from} AND day <= ${to}`,
  );
  return new Map(
    rs.map((r) => [String(r.day), { packets: num(r.packets), sources: num(r.sources) }]),
  );
}

/** The days with data (readDataSpan), or null when empty. */
export function loadExtent(db: Db): Promise<DataSpan | null> {
  return readDataSpan((sql) => q(db, sql));
}

export interface KeyedSeries {
  dimension: Dimension;
  key: string;
  country: string | null;
  proto: string | null;
  port: number | null;
  asn: number | null;
  /** AS organisation (asn dimension). */
  label?: string;
  packets: Map<string, number>;
  sources: Map<string, number>;
}

export interface SeriesLoadArgs {
  /** First day of history. */
  start: string;
  /** The detection range: only keys reaching the minimum in it are loaded. */
  from: string;
  to: string;
  /** Last day loaded (>= to): the days after the range that confirm a level shift. */
  end: string;
  minPackets: number;
  minSources: number;
}

type SeriesTable = 'port' | 'country' | 'country-port';

const TABLE_SQL: Record<SeriesTable, { table: string; monthly: string; cols: string[] }> = {
  port: { table: 'daily_port', monthly: 'monthly_port', cols: ['proto', 'port'] },
  country: { table: 'daily_country', monthly: 'monthly_country', cols: ['country'] },
  'country-port': {
    table: 'daily_country_port',
    monthly: 'monthly_country_port',
    cols: ['country', 'proto', 'port'],
  },
};

/**
 * Sketch estimates above EXACT_LIMIT can exceed the packets (which bound the true count)
 * by a few standard errors (0.81 % each); the month filter allows for 5 %.
 */
const SOURCES_ESTIMATE_MARGIN = 0.95;

function seriesKey(dim: Dimension, r: Record<string, unknown>): string {
  if (dim === 'port') return `${num(r.port)}/${r.proto}`;
  if (dim === 'country') return String(r.country);
  return `${r.country} ${num(r.port)}/${r.proto}`;
}

/** Every day of [from, to] with its month, as the rows of a VALUES list. */
function dayMonthRows(from: string, to: string): Prisma.Sql {
  return Prisma.sql`VALUES ${Prisma.join(
    daysOf({ from, to }).map((d) => Prisma.sql`(${d}, ${d.slice(0, 7)})`),
  )}`;
}

/**
 * Daily packets and sources of every port / country / country x port whose daily
 * maximum in [from, to] reaches the minimum (packets or sources). Ports: TCP and UDP.
 *
 * A day's packets bound its distinct sources, so only a key whose monthly packets (the
 * monthly rollups, no sketches) reach the smaller minimum in some month can qualify;
 * its days of those months are then read one primary-key seek each. Scanning the daily
 * rows instead reads every key's sketch: 27 s for 60 days at /16 scale against 2 s.
 * The CROSS JOINs fix SQLite's join order (it keeps no statistics here).
 */
export async function loadTableSeries(
  db: Db,
  dim: SeriesTable,
  a: SeriesLoadArgs,
): Promise<KeyedSeries[]> {
  const { table, monthly, cols } = TABLE_SQL[dim];
  const t = Prisma.raw(table);
  const colsOf = (alias: string) => Prisma.raw(cols.map((c) => `${alias}.${c}`).join(', '));
  const sameKey = (x: string, y: string) =>
    Prisma.raw(cols.map((c) => `${x}.${c} = ${y}.${c}`).join(' AND '));
  const protoFilter = cols.includes('proto')
    ? Prisma.sql` AND proto IN ('tcp', 'udp')`
    : Prisma.empty;
  const monthMin = Math.min(a.minPackets, Math.floor(a.minSources * SOURCES_ESTIMATE_MARGIN));
  const rs = await q(
    db,
    Prisma.sql`WITH dm (day, month) AS (${dayMonthRows(a.start, a.end)}),
      m AS (SELECT ${Prisma.raw(cols.join(', '))}, month FROM ${Prisma.raw(monthly)}
            WHERE sensor_id = ${ROLLUP} AND month >= ${a.from.slice(0, 7)}
              AND month <= ${a.to.slice(0, 7)} AND packets >= ${monthMin}${protoFilter}),
      k AS (SELECT ${colsOf('x')} FROM m CROSS JOIN dm CROSS JOIN ${t} x
            WHERE dm.month = m.month AND dm.day >= ${a.from} AND dm.day <= ${a.to}
              AND x.day = dm.day
              AND x.sensor_id = ${ROLLUP} AND ${sameKey('x', 'm')}
            GROUP BY ${colsOf('x')}
            HAVING MAX(x.packets) >= ${a.minPackets} OR MAX(x.sources) >= ${a.minSources})
      SELECT d.day, ${colsOf('d')}, d.packets, d.sources
      FROM k CROSS JOIN dm CROSS JOIN ${t} d
      WHERE d.day = dm.day AND d.sensor_id = ${ROLLUP} AND ${sameKey('d', 'k')}`,
  );
  const out = new Map<string, KeyedSeries>();
  for (const r of rs) {
    const key = seriesKey(dim, r);
    let s = out.get(key);
    if (!s) {
      s = {
        dimension: dim,
        key,
        country: cols.includes('country') ? String(r.country) : null,
        proto: cols.includes('proto') ? String(r.proto) : null,
        port: cols.includes('port') ? num(r.port) : null,
        asn: null,
        packets: new Map(),
        sources: new Map(),
      };
      out.set(key, s);
    }
    s.packets.set(String(r.day), num(r.packets));
    s.sources.set(String(r.day), num(r.sources));
  }
  return [...out.values()];
}

/**
 * Daily packets and distinct addresses of every AS (from the per-host rows, summed over
 * sensors) whose daily maximum in [from, to] reaches the minimum. AS 0 (unknown) is left out.
 */
export async function loadAsnSeries(db: Db, a: SeriesLoadArgs): Promise<KeyedSeries[]> {
  const rs = await q(
    db,
    Prisma.sql`SELECT h.day, h.asn, SUM(h.packets) AS packets, COUNT(DISTINCT h.ip) AS sources,
        MAX(h.as_org) AS as_org
      FROM daily_host h
      JOIN (SELECT asn FROM (
              SELECT day, asn, SUM(packets) AS p, COUNT(DISTINCT ip) AS s FROM daily_host
              WHERE day >= ${a.from} AND day <= ${a.to} AND asn <> 0
              GROUP BY day, asn) x
            GROUP BY asn
            HAVING MAX(p) >= ${a.minPackets} OR MAX(s) >= ${a.minSources}) k
        ON h.asn = k.asn
      WHERE h.day >= ${a.start} AND h.day <= ${a.end}
      GROUP BY h.day, h.asn`,
  );
  const out = new Map<number, KeyedSeries>();
  for (const r of rs) {
    const asn = num(r.asn);
    let s = out.get(asn);
    if (!s) {
      s = {
        dimension: 'asn',
        key: `AS${asn}`,
        country: null,
        proto: null,
        port: null,
        asn,
        label: String(r.as_org ?? ''),
        packets: new Map(),
        sources: new Map(),
      };
      out.set(asn, s);
    }
    s.packets.set(String(r.day), num(r.packets));
    s.sources.set(String(r.day), num(r.sources));
  }
  return [...out.values()];
}

/** What an AS's hosts did on one day: main country, org and top ports (for summaries). */
export interface AsnDay {
  asn: number;
  asOrg: string;
  country: string;
  packets: number;
  hosts: number;
  ports: Map<string, number>;
}

/** Parses a daily_host `ports` JSON ({'tcp/445': n}) into '445/tcp' keys. */
export function addHostPorts(into: Map<string, number>, json: unknown): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(json ?? '{}'));
  } catch {
    return;
  }
  if (typeof parsed !== 'object' || parsed === null) return;
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    const [proto, port] = k.split('/');
    if (proto === undefined || port === undefined) continue;
    const key = `${port}/${proto}`;
    into.set(key, (into.get(key) ?? 0) + Number(v));
  }
}

export async function loadAsnDay(db: Db, day: string, asn: number): Promise<AsnDay> {
  const rs = await q(
    db,
    Prisma.sql`SELECT ip, country, as_org, packets, ports FROM daily_host
      WHERE day = ${day} AND asn = ${asn}`,
  );
  const ports = new Map<string, number>();
  const byCountry = new Map<string, number>();
  const ips = new Set<string>();
  let packets = 0;
  let asOrg = '';
  for (const r of rs) {
    addHostPorts(ports, r.ports);
    const p = num(r.packets);
    packets += p;
    ips.add(String(r.ip));
    asOrg ||= String(r.as_org ?? '');
    byCountry.set(String(r.country), (byCountry.get(String(r.country)) ?? 0) + p);
  }
  const country = [...byCountry].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'ZZ';
  return { asn, asOrg, country, packets, hosts: ips.size, ports };
}

/** Backscatter packets per (day, AS), summed over sensors. */
export async function loadBackscatterByAsn(
  db: Db,
  from: string,
  to: string,
): Promise<Map<string, Map<number, number>>> {
  const rs = await q(
    db,
    Prisma.sql`SELECT day, asn, SUM(backscatter_packets) AS bs FROM daily_host
      WHERE day >= ${from} AND day <= ${to} AND backscatter_packets > 0
      GROUP BY day, asn`,
  );
  const out = new Map<string, Map<number, number>>();
  for (const r of rs) {
    const day = String(r.day);
    let m = out.get(day);
    if (!m) {
      m = new Map();
      out.set(day, m);
    }
    m.set(num(r.asn), num(r.bs));
  }
  return out;
}

/** One sensor's row of a backscatter host (the detector merges sensors). */
export interface BackscatterHostRow {
  day: string;
  ip: string;
  country: string;
  asn: number;
  asOrg: string;
  packets: number;
  backscatter: number;
  synAck: number;
  rst: number;
  icmp: number;
  /** TCP packets (the packets that carry a window and a sequence number). */
  tcp: number;
  window: number;
  /** The row's majority TCP sequence number (unsigned 32-bit), -1 without TCP. */
  seq: number;
  ports: Map<string, number>;
  firstSeen: string;
  lastSeen: string;
}

export async function loadBackscatterHosts(
  db: Db,
  day: string,
  asn: number,
): Promise<BackscatterHostRow[]> {
  const rs = await q(
    db,
    Prisma.sql`SELECT day, ip, country, asn, as_org, packets, backscatter_packets, syn, syn_ack,
        rst, ack, other_tcp, icmp, "window", seq, ports, first_seen, last_seen
      FROM daily_host WHERE day = ${day} AND asn = ${asn} AND backscatter_packets > 0`,
  );
  return rs.map((r) => {
    const ports = new Map<string, number>();
    addHostPorts(ports, r.ports);
    return {
      day: String(r.day),
      ip: String(r.ip),
      country: String(r.country),
      asn: num(r.asn),
      asOrg: String(r.as_org ?? ''),
      packets: num(r.packets),
      backscatter: num(r.backscatter_packets),
      synAck: num(r.syn_ack),
      rst: num(r.rst),
      icmp: num(r.icmp),
      tcp: num(r.syn) + num(r.syn_ack) + num(r.rst) + num(r.ack) + num(r.other_tcp),
      window: num(r.window),
      seq: num(r.seq),
      ports,
      firstSeen: isoTime(r.first_seen),
      lastSeen: isoTime(r.last_seen),
    };
  });
}

/** How many addresses the telescope monitors, and how that was found. */
export interface TelescopeSize {
  addresses: number;
  source: 'configured' | 'sensor-prefixes' | 'estimated';
}

/** Addresses in comma-separated IPv4 CIDRs ('' or unparsable: 0). */
export function cidrAddresses(prefixes: string): number {
  let n = 0;
  for (const part of prefixes.split(',')) {
    const m = /^\s*\d{1,3}(?:\.\d{1,3}){3}\/(\d{1,2})\s*$/.exec(part);
    if (m) n += 2 ** (32 - Number(m[1]));
  }
  return n;
}

/** The nearest power of two (in log scale): telescope blocks are CIDR blocks. */
export function nearestPowerOfTwo(n: number): number {
  if (n <= 1) return 1;
  return 2 ** Math.round(Math.log2(n));
}

/** What the size estimate knows of one sensor. */
export interface SensorReach {
  /** Comma-separated IPv4 CIDRs the sensor monitors ('' when not configured). */
  prefixes: string;
  /**
   * The most distinct IPv4 destinations one source reached on this sensor on one day of
   * the window (daily_host.distinct_dsts), 0 when the sensor has no IPv4 host rows.
   */
  maxDsts: number;
}

/**
 * The telescope's size from its sensors: a sensor with prefixes counts their addresses;
 * a sensor without counts the most destination addresses one source reached on it
 * (scanners sweep every address of the block), rounded to the nearest power of two
 * (telescope blocks are CIDR blocks; the per-host count is a 32-register HyperLogLog,
 * about 18% standard error for large blocks, exact enough for a /29); the sum over
 * sensors. `estimated` as soon as one sensor's share is an estimate, else
 * `sensor-prefixes`. At least 1.
 */
export function telescopeFromSensors(sensors: readonly SensorReach[]): TelescopeSize {
  let addresses = 0;
  let estimated = sensors.length === 0;
  for (const s of sensors) {
    const configured = cidrAddresses(s.prefixes);
    if (configured > 0) addresses += configured;
    else if (s.maxDsts > 0) {
      addresses += nearestPowerOfTwo(s.maxDsts);
      estimated = true;
    }
  }
  if (addresses === 0) estimated = true;
  return { addresses: Math.max(1, addresses), source: estimated ? 'estimated' : 'sensor-prefixes' };
}

/**
 * The telescope's size: `configured` when given (SCANLINE_TELESCOPE_ADDRESSES or the
 * caller), else from the sensors (telescopeFromSensors): the prefixes of those that have
 * them, an estimate from the per-host rows of [from, to] for the others (IPv4 sources
 * only: the rate estimate scales by the share of the IPv4 space).
 */
export async function telescopeSize(
  db: Db,
  from: string,
  to: string,
  configured?: number,
): Promise<TelescopeSize> {
  if (configured && configured > 0) return { addresses: configured, source: 'configured' };
  const sensors = await q(db, Prisma.sql`SELECT id, prefixes FROM sensor WHERE id <> ${ROLLUP}`);
  const unconfigured = sensors
    .filter((s) => cidrAddresses(String(s.prefixes ?? '')) === 0)
    .map((s) => num(s.id));
  const reach = new Map<number, number>();
  if (unconfigured.length > 0) {
    const rs = await q(
      db,
      Prisma.sql`SELECT sensor_id, MAX(distinct_dsts) AS n FROM daily_host
        WHERE day >= ${from} AND day <= ${to} AND sensor_id IN (${Prisma.join(unconfigured)})
          AND ip NOT LIKE '%:%'
        GROUP BY sensor_id`,
    );
    for (const r of rs) reach.set(num(r.sensor_id), num(r.n));
  }
  return telescopeFromSensors(
    sensors.map((s) => ({
      prefixes: String(s.prefixes ?? ''),
      maxDsts: reach.get(num(s.id)) ?? 0,
    })),
  );
}

/** Per-day merged distinct-source sketches, keyed by the caller's key function. */
export class WeeklySketches {
  private readonly m = new Map<string, SourceSketch[]>();

  constructor(private readonly weekOf: (day: string) => number) {}

  add(key: string, day: string, blob: unknown): void {
    const w = this.weekOf(day);
    if (w < 0) return;
    let arr = this.m.get(key);
    if (!arr) {
      arr = [];
      this.m.set(key, arr);
    }
    const cur = arr[w];
    if (cur) cur.mergeSerialized(bytes(blob));
    else arr[w] = SourceSketch.deserialize(bytes(blob));
  }

  /** Distinct sources per week (0 for weeks without rows). */
  counts(key: string, weeks: number): number[] {
    const arr = this.m.get(key) ?? [];
    return Array.from({ length: weeks }, (_, i) => Math.round(arr[i]?.estimate() ?? 0));
  }

  /** Distinct sources per week of the union of several keys' sketches. */
  unionCounts(keys: readonly string[], weeks: number): number[] {
    const arrs = keys.map((k) => this.m.get(k) ?? []);
    return Array.from({ length: weeks }, (_, i) => {
      const union = new SourceSketch();
      for (const arr of arrs) {
        const s = arr[i];
        if (s) union.merge(s);
      }
      return Math.round(union.estimate());
    });
  }

  keys(): string[] {
    return [...this.m.keys()];
  }
}

export interface GrowthRowsArgs {
  from: string;
  to: string;
  weekOf: (day: string) => number;
  /** Candidate keys need at least this many host-days (sum of daily sources) in the period. */
  minHostDays: number;
  /** At most this many candidates per dimension (the largest). */
  maxCandidates: number;
}

export interface GrowthCandidate {
  dimension: Dimension;
  key: string;
  country: string | null;
  proto: string;
  port: number;
  window: number | null;
  tag: string | null;
  /** Weekly distinct hosts of the key and of the rest. */
  hosts: number[];
  rest: number[];
  restLabel: string;
}

/**
 * Weekly distinct hosts per TCP window size on a port (all countries, and per country),
 * with the rest of the port (every other window, same scope), and per fingerprint on a
 * port with the rest of the port (all hosts minus the fingerprint's, an estimate).
 */
export async function loadGrowthCandidates(
  db: Db,
  a: GrowthRowsArgs,
  weeks: number,
): Promise<GrowthCandidate[]> {
  const out: GrowthCandidate[] = [];

  // Windows, all countries and per country: candidates first (small), then their ports' rows.
  // The sums over every key read the rows in primary-key (day) order: `sensor_id + 0`
  // keeps SQLite (no statistics) off the indexes that start with sensor_id, through
  // which it fetched each row by a second seek (country x window: 21 s against 4 s for
  // 56 days at /16 scale).
  const windowCands = await q(
    db,
    Prisma.sql`SELECT port, "window", SUM(sources) AS hd FROM daily_port_window
      WHERE sensor_id = ${ROLLUP} AND day >= ${a.from} AND day <= ${a.to}
      GROUP BY port, "window" HAVING SUM(sources) >= ${a.minHostDays}
      ORDER BY SUM(sources) DESC LIMIT ${a.maxCandidates}`,
  );
  const countryWindowCands = await q(
    db,
    Prisma.sql`SELECT country, port, "window", SUM(sources) AS hd FROM daily_window
      WHERE (sensor_id + 0) = ${ROLLUP} AND day >= ${a.from} AND day <= ${a.to}
      GROUP BY country, port, "window" HAVING SUM(sources) >= ${a.minHostDays}
      ORDER BY SUM(sources) DESC LIMIT ${a.maxCandidates}`,
  );
  const ports = [...new Set([...windowCands, ...countryWindowCands].map((r) => num(r.port)))].sort(
    (x, y) => x - y,
  );
  if (ports.length > 0) {
    const rows = await q(
      db,
      Prisma.sql`SELECT day, country, port, "window", sketch FROM daily_window
        WHERE sensor_id = ${ROLLUP} AND day >= ${a.from} AND day <= ${a.to}
          AND port IN (${Prisma.join(ports)})`,
    );
    // Each row is merged once, into its candidate window's weekly sketch or into the
    // rest of its port (or country x port); a candidate's rest is then the union of that
    // and the other candidates' sketches of the port: the same sets as merging every row
    // into each candidate's in / rest, with one merge a row instead of one a candidate.
    const portWindows = new Map<number, Set<number>>();
    for (const c of windowCands) {
      const port = num(c.port);
      const set = portWindows.get(port) ?? new Set<number>();
      set.add(num(c.window));
      portWindows.set(port, set);
    }
    const countryPortWindows = new Map<string, Set<number>>();
    for (const c of countryWindowCands) {
      const cp = `${c.country}|${num(c.port)}`;
      const set = countryPortWindows.get(cp) ?? new Set<number>();
      set.add(num(c.window));
      countryPortWindows.set(cp, set);
    }
    const sk = new WeeklySketches(a.weekOf);
    for (const r of rows) {
      const port = num(r.port);
      const w = num(r.window);
      const day = String(r.day);
      const windows = portWindows.get(port);
      if (windows) sk.add(`w|${port}|${windows.has(w) ? w : 'rest'}`, day, r.sketch);
      const cp = `${String(r.country)}|${port}`;
      const cWindows = countryPortWindows.get(cp);
      if (cWindows) sk.add(`cw|${cp}|${cWindows.has(w) ? w : 'rest'}`, day, r.sketch);
    }
    const restOf = (prefix: string, windows: Set<number>, w: number) => [
      `${prefix}|rest`,
      ...[...windows].filter((x) => x !== w).map((x) => `${prefix}|${x}`),
    ];
    // In the candidates' order (most host-days first), each once.
    const windowKeys = new Set(windowCands.map((c) => `${num(c.port)}|${num(c.window)}`));
    for (const k of windowKeys) {
      const [port, w] = k.split('|').map(Number) as [number, number];
      out.push({
        dimension: 'window',
        key: `${port}/tcp window ${w}`,
        country: null,
        proto: 'tcp',
        port,
        window: w,
        tag: null,
        hosts: sk.counts(`w|${port}|${w}`, weeks),
        rest: sk.unionCounts(restOf(`w|${port}`, portWindows.get(port)!, w), weeks),
        restLabel: 'any other window size',
      });
    }
    const countryKeys = new Set(
      countryWindowCands.map((c) => `${c.country}|${num(c.port)}|${num(c.window)}`),
    );
    for (const k of countryKeys) {
      const [cc, portText, wText] = k.split('|') as [string, string, string];
      const port = Number(portText);
      const w = Number(wText);
      const cp = `${cc}|${port}`;
      out.push({
        dimension: 'country-window',
        key: `${cc} ${port}/tcp window ${w}`,
        country: cc,
        proto: 'tcp',
        port,
        window: w,
        tag: null,
        hosts: sk.counts(`cw|${cp}|${w}`, weeks),
        rest: sk.unionCounts(restOf(`cw|${cp}`, countryPortWindows.get(cp)!, w), weeks),
        restLabel: 'any other window size',
      });
    }
  }

  // Fingerprints on a port: the rest is the port's hosts minus the fingerprint's.
  const fpCands = await q(
    db,
    Prisma.sql`SELECT tag, proto, port, SUM(sources) AS hd FROM daily_tag
      WHERE (sensor_id + 0) = ${ROLLUP} AND day >= ${a.from} AND day <= ${a.to} AND tag LIKE 'fp:%'
        AND proto IN ('tcp', 'udp')
      GROUP BY tag, proto, port HAVING SUM(sources) >= ${a.minHostDays}
      ORDER BY SUM(sources) DESC LIMIT ${a.maxCandidates}`,
  );
  for (const c of fpCands) {
    const tag = String(c.tag);
    const proto = String(c.proto);
    const port = num(c.port);
    const sk = new WeeklySketches(a.weekOf);
    // The tag as an expression: SQLite (no statistics) would otherwise walk the tag's
    // index through every port of a fingerprint seen on all of them (1.2 s a candidate).
    const fpRows = await q(
      db,
      Prisma.sql`SELECT day, sketch FROM daily_tag WHERE sensor_id = ${ROLLUP}
        AND day >= ${a.from} AND day <= ${a.to} AND (tag || '') = ${tag}
        AND proto = ${proto} AND port = ${port}`,
    );
    for (const r of fpRows) sk.add('in', String(r.day), r.sketch);
    const portRows = await q(
      db,
      Prisma.sql`SELECT day, sketch FROM daily_port WHERE sensor_id = ${ROLLUP}
        AND day >= ${a.from} AND day <= ${a.to} AND proto = ${proto} AND port = ${port}`,
    );
    for (const r of portRows) sk.add('all', String(r.day), r.sketch);
    const hosts = sk.counts('in', weeks);
    const all = sk.counts('all', weeks);
    out.push({
      dimension: 'fingerprint',
      key: `${port}/${proto} ${tag}`,
      country: null,
      proto,
      port,
      window: null,
      tag,
      hosts,
      rest: all.map((n, i) => Math.max(0, n - (hosts[i] ?? 0))),
      restLabel: 'the other hosts on the port',
    });
  }
  return out;
}

/** Packets per key over a period, for rank moves. */
export async function loadRanking(
  db: Db,
  dim: 'port' | 'country',
  from: string,
  to: string,
): Promise<{ key: string; packets: number }[]> {
  const period = { from, to };
  const rs =
    dim === 'port'
      ? await q(
          db,
          Prisma.sql`SELECT proto, port, SUM(packets) AS packets
            FROM ${periodRows('port', period, [ROLLUP], Prisma.sql`proto, port`, Prisma.sql`proto IN ('tcp', 'udp')`)}
            GROUP BY proto, port ORDER BY SUM(packets) DESC LIMIT 200`,
        )
      : await q(
          db,
          Prisma.sql`SELECT country, SUM(packets) AS packets
            FROM ${periodRows('country', period, [ROLLUP], Prisma.sql`country`)}
            GROUP BY country ORDER BY SUM(packets) DESC LIMIT 200`,
        );
  return rs.map((r) => ({
    key: dim === 'port' ? `${num(r.port)}/${r.proto}` : String(r.country),
    packets: num(r.packets),
  }));
}

export type { AnomalyMetric };
