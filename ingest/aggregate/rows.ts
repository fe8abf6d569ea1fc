/**
 * What one input file contributes to the database: the aggregator's output and the
 * store's input. Days are UTC calendar days as 'YYYY-MM-DD'. Every row is additive
 * (packets add up) and carries a mergeable distinct-source sketch (`sources`), so rows
 * from several files, sensors or workers merge to the same answer as one pass.
 *
 * `sensor` is the sensor's name; the store also folds every row into the
 * all-sensors rollup (sensor '*'), merging sketches, so views read one row per key.
 */
import type { HostRowList, HostRows } from './host-rows';
import type { SourceSketch } from './source-sketch';

/** 'tcp' | 'udp' | 'icmp' | 'icmp6' | other IP protocol number as a string. */
export type ProtoName = string;

export interface DailyTotalRow {
  day: string;
  packets: number;
  sources: SourceSketch;
}

/** Per destination port. For ICMP/ICMPv6, port = type * 256 + code. */
export interface DailyPortRow {
  day: string;
  proto: ProtoName;
  port: number;
  packets: number;
  sources: SourceSketch;
}

/** Per source country (ISO 3166 alpha-2, 'ZZ' when unknown). */
export interface DailyCountryRow {
  day: string;
  country: string;
  packets: number;
  sources: SourceSketch;
}

export interface DailyCountryPortRow {
  day: string;
  country: string;
  proto: ProtoName;
  port: number;
  packets: number;
  sources: SourceSketch;
}

/** TCP window size x destination port x country ("window 8192 to 445/TCP from JP"). */
export interface DailyWindowRow {
  day: string;
  country: string;
  port: number;
  window: number;
  packets: number;
  sources: SourceSketch;
}

/**
 * Class ('scan' | 'backscatter' | 'other') and fingerprints (rule names from the rules
 * table, e.g. 'mirai', 'zmap', 'masscan', 'large-scale-scanner'), each x port.
 * `tag` is 'class:scan' or 'fp:mirai'.
 */
export interface DailyTagRow {
  day: string;
  tag: string;
  proto: ProtoName;
  port: number;
  packets: number;
  sources: SourceSketch;
}

/** One source host on one day (per sensor). */
export interface DailyHostRow {
  day: string;
  ip: string;
  country: string;
  asn: number;
  asOrg: string;
  packets: number;
  bytes: number;
  /** Per destination port packet counts, keyed 'tcp/445'; at most HOST_PORTS_KEPT entries kept (largest). */
  ports: Record<string, number>;
  /** Exact distinct destination ports (this file); merged as a lower bound when port lists were cut. */
  distinctPorts: number;
  distinctDsts: number;
  /**
   * The HyperLogLog registers behind distinctDsts (16 bytes, host-record.ts), so that
   * merged rows estimate the union; absent on rows stored before they were kept.
   */
  dstRegisters?: Uint8Array | null;
  syn: number;
  synAck: number;
  rst: number;
  ack: number;
  otherTcp: number;
  udp: number;
  icmp: number;
  /** Most frequent TCP window and TTL (majority vote), -1 if none. */
  window: number;
  ttl: number;
  /** Most frequent TCP sequence number (majority vote, unsigned), -1 if the host sent no TCP. */
  seq: number;
  /**
   * What window and seq's vote weighs in a merge: the TCP packets of the file (or part)
   * whose vote they are; ttlVoteWeight, the same in packets for ttl. A file's own row
   * weighs its totals; a merged row keeps the heavier side's (see mergeHostRows).
   */
  tcpVoteWeight: number;
  ttlVoteWeight: number;
  /** Sorted rule names that matched at least one packet. */
  fingerprints: string[];
  scanPackets: number;
  backscatterPackets: number;
  firstSeen: Date;
  lastSeen: Date;
}

export const HOST_PORTS_KEPT = 16;

export interface FileAggregates {
  totals: DailyTotalRow[];
  ports: DailyPortRow[];
  countries: DailyCountryRow[];
  countryPorts: DailyCountryPortRow[];
  windows: DailyWindowRow[];
  tags: DailyTagRow[];
  hosts: HostRowList;
}

/**
 * The key of each sketch family's rows within one (day, sensor): the store's primary key
 * without those two (ingest/store/codec.ts), and what rows of several files merge by.
 */
export const SKETCH_ROW_KEYS = {
  totals: (_: DailyTotalRow): (string | number)[] => [],
  ports: (r: DailyPortRow) => [r.proto, r.port],
  countries: (r: DailyCountryRow) => [r.country],
  countryPorts: (r: DailyCountryPortRow) => [r.country, r.proto, r.port],
  windows: (r: DailyWindowRow) => [r.country, r.port, r.window],
  tags: (r: DailyTagRow) => [r.tag, r.proto, r.port],
} satisfies { [F in Exclude<keyof FileAggregates, 'hosts'>]: unknown };

/** The aggregator's output: host rows in its columnar day parts. */
export type AggregatorRows = Omit<FileAggregates, 'hosts'> & { hosts: HostRows };
