/** Anomaly shapes shared by the detectors, the store, the API and the view. */

export const ANOMALY_KINDS = [
  'backscatter',
  'spike',
  'level-shift',
  'campaign-growth',
  'rank-move',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/**
 * What a series is keyed by:
 * - port '445/tcp', country 'JP', country-port 'JP 445/tcp', asn 'AS4134'
 * - window '445/tcp window 8192', country-window 'JP 445/tcp window 8192'
 * - fingerprint '445/tcp fp:eternalblue-window'
 */
export type Dimension =
  | 'port'
  | 'country'
  | 'country-port'
  | 'asn'
  | 'window'
  | 'country-window'
  | 'fingerprint';

export type AnomalyMetric = 'packets' | 'sources';

/** One anomaly, as the detectors produce it and the API returns it. */
export interface Anomaly {
  /** Stable: a hash of kind, period, dimension and key (see anomalyId). */
  id: string;
  kind: AnomalyKind;
  /** The UTC day of the event; for period detections, the period's last day. */
  day: string;
  /** The first day of the period a period detection covers (= day for daily detections). */
  periodFrom: string;
  dimension: Dimension;
  key: string;
  metric: AnomalyMetric;
  country: string | null;
  proto: string | null;
  port: number | null;
  asn: number | null;
  /** The detector's own score (robust z, growth ratio, rank jump...; see docs/ANOMALIES.md). */
  score: number;
  /** The list's sort key, comparable across kinds (0..100). */
  severity: number;
  observed: number;
  baseline: number;
  /** One sentence saying what happened. */
  summary: string;
  /** Deep link to the view that shows the evidence, with the anomaly marked. */
  link: string;
  details: AnomalyDetails;
}

/** Kind-specific evidence, stored as JSON. */
export interface AnomalyDetails {
  /** Observed / baseline. */
  ratio?: number;
  /** Anomalies of the same event folded into this one (e.g. the country's own spike). */
  related?: RelatedAnomaly[];
  /** Backscatter events. */
  backscatter?: BackscatterDetails;
  /** Campaign growth: distinct hosts per week, of the key and of the rest. */
  growth?: GrowthDetails;
  /** Rank moves. */
  rank?: { current: number; previous: number | null; previousPeriod: { from: string; to: string } };
  /** Level shifts: the level after the change (median of the following days). */
  after?: number;
  /** The other metric on the same day (e.g. the sources when the row is about packets). */
  other?: { metric: AnomalyMetric; observed: number; baseline: number; score: number };
  /** Day range of the chart the link opens. */
  mark?: { from: string; to: string };
  /** More views with evidence (e.g. the victim hosts). */
  links?: { label: string; href: string }[];
}

export interface RelatedAnomaly {
  kind: AnomalyKind;
  dimension: Dimension;
  key: string;
  metric: AnomalyMetric;
  observed: number;
  baseline: number;
  score: number;
}

export interface BackscatterVictim {
  ip: string;
  packets: number;
  ports: string[];
  /** Majority TCP window; -1 when the victim sent no TCP. */
  window: number;
  /**
   * Majority TCP sequence number (unsigned 32-bit; the one with the most TCP packets
   * over the victim's rows); -1 when the victim sent no TCP.
   */
  seq: number;
}

export interface BackscatterDetails {
  asn: number;
  asOrg: string;
  country: string;
  victims: BackscatterVictim[];
  /** Destination ports on the telescope ('443/tcp'), by packets. */
  ports: { port: string; packets: number }[];
  /** Packets by type: SYN-ACK, RST, ICMP (errors / replies), other. */
  types: { synAck: number; rst: number; icmp: number; other: number };
  /** The victims' TCP window sizes (majority per host) and how many hosts had each (TCP only). */
  windows: { window: number; hosts: number }[];
  /** True when the event is mostly SYN-ACKs and every victim answered with the same window. */
  fixedWindow: boolean;
  /** The victims' TCP sequence numbers (majority per host) and how many hosts had each (TCP only). */
  seqs: { seq: number; hosts: number }[];
  /**
   * True when the event is mostly SYN-ACKs, every row (each victim on each sensor) voted
   * the same sequence number, and at least two rows did (see backscatter.ts).
   */
  fixedSeq: boolean;
  packets: number;
  /** First and last packet (ISO UTC). */
  firstSeen: string;
  lastSeen: string;
  /** Monitored addresses used for the scaling, and how that number was obtained. */
  telescopeAddresses: number;
  telescopeSource: 'configured' | 'sensor-prefixes' | 'estimated';
  /** Observed backscatter packets/s over the event's span. */
  observedRate: number;
  /** Moore et al.: observed rate / telescope share of the IPv4 space. */
  estimatedAttackRate: number;
}

export interface GrowthDetails {
  weeks: { from: string; to: string; hosts: number; rest: number }[];
  growth: number;
  restGrowth: number;
  restLabel: string;
}

/** A stored anomaly with its review state. */
export interface StoredAnomaly extends Anomaly {
  reviewed: boolean;
  note: string;
  reviewedAt: string | null;
  detectedAt: string;
}
