/** Response shapes of the public JSON API (docs/API.md). All JSON-safe: no Dates, no BigInts. */
import type { HostClass } from './params';
import type { DataSpan, Period } from './period';
import type { Proto } from './port-key';

export interface PortRank {
  proto: Proto;
  port: number;
  packets: number;
  /** Distinct source addresses over the whole period (merged daily sketches). */
  sources: number;
  rank: number;
  /** Rank in the previous period; null when the port had no packets then. */
  previousRank: number | null;
}

export interface CountryRank {
  country: string;
  packets: number;
  sources: number;
  rank: number;
  previousRank: number | null;
}

export interface SeriesResponse {
  days: string[];
  series: { name: string; values: number[] }[];
  /** With per=sensor: the sensors that reported each day (the divisor). */
  sensors?: number[];
}

export interface PortCount {
  /** '445/tcp' */
  port: string;
  packets: number;
}

export interface HostSummary {
  ip: string;
  country: string;
  asn: number;
  asOrg: string;
  packets: number;
  /** The host's largest destination ports, by packets. */
  ports: PortCount[];
  /** ISO timestamps (UTC). */
  firstSeen: string;
  lastSeen: string;
  class: HostClass;
  fingerprints: string[];
  /**
   * The host's TCP sequence number: each day's majority (per sensor), the one with the
   * most TCP packets over the period (ties: smaller); unsigned 32-bit, -1 without TCP.
   * Meaningful when the host repeats one value (fixed-sequence SYN-ACK backscatter, some
   * scanners); for hosts whose sequence numbers vary it is an arbitrary one of them.
   */
  seq: number;
}

export interface HostDetail extends HostSummary {
  bytes: number;
  days: { day: string; packets: number }[];
  /** Packets by TCP flag combination and protocol. */
  flags: {
    syn: number;
    synAck: number;
    rst: number;
    ack: number;
    otherTcp: number;
    udp: number;
    icmp: number;
  };
  classPackets: { scan: number; backscatter: number; other: number };
  /** Each day's most frequent TCP window / TTL, weighted by that day's packets. */
  windows: { value: number; packets: number }[];
  ttls: { value: number; packets: number }[];
  /** Each day's majority TCP sequence number, weighted by that day's TCP packets. */
  seqs: { value: number; packets: number }[];
  distinctPorts: number;
  sensors: { name: string; packets: number; firstSeen: string; lastSeen: string }[];
  period: Period;
}

export interface AsnRank {
  asn: number;
  asOrg: string;
  packets: number;
  /** Distinct source addresses (exact: counted from per-host rows). */
  hosts: number;
}

export interface PortShare {
  proto: Proto;
  port: number;
  /** Packets from the country to this port. */
  packets: number;
  /** Percent of the country's packets that went to this port. */
  share: number;
  /** Packets from the rest of the world to this port. */
  restPackets: number;
  /** Percent of the rest of the world's packets that went to this port. */
  restShare: number;
}

export interface SensorInfo {
  id: number;
  name: string;
  /** The CIDR blocks it monitors ([] when not recorded: every packet counts). */
  prefixes: string[];
}

export interface Meta {
  /** First and last UTC day with data and the months that have any; null when nothing is ingested. */
  extent: DataSpan | null;
  /** The default period: the last complete calendar quarter that has data. */
  defaultPeriod: Period | null;
  sensors: SensorInfo[];
}

export interface Totals {
  period: Period;
  previous: Period;
  packets: number;
  sources: number;
  previousPackets: number;
  previousSources: number;
  days: string[];
  dailyPackets: number[];
  dailySources: number[];
}
