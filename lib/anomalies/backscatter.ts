/**
 * Backscatter events (DDoS victims): one event per victim AS and UTC day, from the
 * per-host rows of hosts that sent backscatter (SYN-ACK, RST, ICMP errors / replies,
 * DNS responses) to the telescope. Pure: docs/ANOMALIES.md describes the method.
 *
 * Attack rate (Moore, Voelker, Savage, "Inferring Internet Denial-of-Service Activity",
 * 2001): a victim of a flood with uniformly random spoofed sources answers each packet
 * to a random address, so a telescope monitoring n of the 2^32 IPv4 addresses sees a
 * share n / 2^32 of its responses; the attack rate is estimated as the observed rate
 * divided by that share.
 *
 * Fixed values: victims behind one TCP stack or middlebox answer with one TCP window
 * and, for some, one sequence number in every SYN-ACK. The per-host rows keep each
 * host's majority window and sequence number per sensor and day; a sequence number is
 * reported as fixed only when every row of the event agrees on it and at least two rows
 * (two victims, or one victim seen by two sensors) do, since one host's majority over
 * random initial sequence numbers is just one of them.
 */
import type { BackscatterHostRow } from './load';
import type { BackscatterParams } from './params';
import { MAD_TO_SIGMA, mad, median, quantile } from './stats';
import type { BackscatterDetails, BackscatterVictim } from './types';

export interface BackscatterInput {
  day: string;
  asn: number;
  /** The AS's backscatter hosts that day, one row per sensor (merged here by address). */
  rows: BackscatterHostRow[];
  /** The AS's backscatter packets on each of the trailing days (0 for none). */
  history: number[];
  /** The telescope's packets that day. */
  dayPackets: number;
  telescope: { addresses: number; source: BackscatterDetails['telescopeSource'] };
}

export interface BackscatterEvent {
  day: string;
  asn: number;
  asOrg: string;
  country: string;
  packets: number;
  baseline: number;
  score: number;
  ratio: number;
  /** packets as a share of the telescope's packets that day. */
  share: number;
  details: BackscatterDetails;
}

const IPV4_SPACE = 2 ** 32;

function sortedCounts(m: Map<string, number>): { key: string; n: number }[] {
  return [...m]
    .map(([key, n]) => ({ key, n }))
    .sort((a, b) => b.n - a.n || a.key.localeCompare(b.key));
}

/** The event, or null when the AS's backscatter that day is not a burst. */
export function detectBackscatter(
  input: BackscatterInput,
  p: BackscatterParams,
): BackscatterEvent | null {
  interface Host {
    ip: string;
    country: string;
    asOrg: string;
    packets: number;
    synAck: number;
    rst: number;
    icmp: number;
    ports: Map<string, number>;
    windows: Map<number, number>;
    /** Sequence number -> TCP packets of the rows that voted it. */
    seqs: Map<number, number>;
    /** Each row's sequence number (rows with TCP only). */
    rowSeqs: number[];
    first: string;
    last: string;
  }
  const hosts = new Map<string, Host>();
  for (const r of input.rows) {
    let h = hosts.get(r.ip);
    if (!h) {
      h = {
        ip: r.ip,
        country: r.country,
        asOrg: r.asOrg,
        packets: 0,
        synAck: 0,
        rst: 0,
        icmp: 0,
        ports: new Map(),
        windows: new Map(),
        seqs: new Map(),
        rowSeqs: [],
        first: r.firstSeen,
        last: r.lastSeen,
      };
      hosts.set(r.ip, h);
    }
    h.packets += r.backscatter;
    h.synAck += r.synAck;
    h.rst += r.rst;
    h.icmp += r.icmp;
    for (const [k, v] of r.ports) h.ports.set(k, (h.ports.get(k) ?? 0) + v);
    h.windows.set(r.window, (h.windows.get(r.window) ?? 0) + r.packets);
    if (r.seq >= 0 && r.tcp > 0) {
      h.seqs.set(r.seq, (h.seqs.get(r.seq) ?? 0) + r.tcp);
      h.rowSeqs.push(r.seq);
    }
    if (r.firstSeen < h.first) h.first = r.firstSeen;
    if (r.lastSeen > h.last) h.last = r.lastSeen;
  }
  const list = [...hosts.values()].sort((a, b) => b.packets - a.packets || (a.ip < b.ip ? -1 : 1));
  if (list.length === 0 || list.length > p.maxVictims) return null;
  const packets = list.reduce((a, h) => a + h.packets, 0);
  const need = Math.max(p.minPackets, p.minShare * input.dayPackets);
  if (packets < need) return null;
  // Too few days of history for a median: no baseline (every burst is new).
  const baseline = input.history.length >= p.minHistoryDays ? median(input.history) : 0;
  const ratio = packets / Math.max(baseline, 1);
  // A victim that already sent backscatter on several recent days (its 90th percentile)
  // needs a burst well above those days too.
  const usual = input.history.length >= p.minHistoryDays ? quantile(input.history, 0.9) : 0;
  if (ratio < p.minRatio || packets < p.minRatio * usual) return null;
  const spread = Math.max(
    input.history.length ? MAD_TO_SIGMA * mad(input.history, baseline) : 0,
    Math.sqrt(baseline),
    1,
  );

  const ports = new Map<string, number>();
  const countries = new Map<string, number>();
  const windowHosts = new Map<number, number>();
  const seqHosts = new Map<number, number>();
  const rowSeqs: number[] = [];
  let synAck = 0;
  let rst = 0;
  let icmp = 0;
  let first = list[0]!.first;
  let last = list[0]!.last;
  const victims: BackscatterVictim[] = list.map((h) => {
    for (const [k, v] of h.ports) ports.set(k, (ports.get(k) ?? 0) + v);
    countries.set(h.country, (countries.get(h.country) ?? 0) + h.packets);
    const window = [...h.windows].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
    if (window >= 0) windowHosts.set(window, (windowHosts.get(window) ?? 0) + 1);
    const seq = [...h.seqs].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? -1;
    if (seq >= 0) seqHosts.set(seq, (seqHosts.get(seq) ?? 0) + 1);
    rowSeqs.push(...h.rowSeqs);
    synAck += h.synAck;
    rst += h.rst;
    icmp += h.icmp;
    if (h.first < first) first = h.first;
    if (h.last > last) last = h.last;
    return {
      ip: h.ip,
      packets: h.packets,
      ports: sortedCounts(h.ports).map((x) => x.key),
      window,
      seq,
    };
  });
  const spanSeconds = Math.max(p.minSpanSeconds, (Date.parse(last) - Date.parse(first)) / 1000);
  const observedRate = packets / spanSeconds;
  const addresses = Math.max(1, input.telescope.addresses);
  const windows = [...windowHosts]
    .map(([window, n]) => ({ window, hosts: n }))
    .sort((a, b) => b.hosts - a.hosts || a.window - b.window);
  const seqs = [...seqHosts]
    .map(([seq, n]) => ({ seq, hosts: n }))
    .sort((a, b) => b.hosts - a.hosts || a.seq - b.seq);
  // A fixed window or sequence number means something for SYN-ACKs (RSTs answering a
  // SYN carry window 0 and sequence number 0 anyway).
  const synAckLed = synAck >= 0.5 * packets;
  // Every row voted the same sequence number, and two rows at least (independent votes:
  // two random values agree with probability 2^-32).
  const fixedSeq = synAckLed && rowSeqs.length >= 2 && rowSeqs.every((x) => x === rowSeqs[0]);
  const country = sortedCounts(countries)[0]?.key ?? 'ZZ';
  return {
    day: input.day,
    asn: input.asn,
    asOrg: list[0]!.asOrg,
    country,
    packets,
    baseline,
    score: (packets - baseline) / spread,
    ratio,
    share: packets / Math.max(1, input.dayPackets),
    details: {
      asn: input.asn,
      asOrg: list[0]!.asOrg,
      country,
      victims,
      ports: sortedCounts(ports).map((x) => ({ port: x.key, packets: x.n })),
      types: { synAck, rst, icmp, other: Math.max(0, packets - synAck - rst - icmp) },
      windows,
      fixedWindow: synAckLed && windows.length === 1,
      seqs,
      fixedSeq,
      packets,
      firstSeen: first,
      lastSeen: last,
      telescopeAddresses: addresses,
      telescopeSource: input.telescope.source,
      observedRate,
      estimatedAttackRate: (observedRate * IPV4_SPACE) / addresses,
    },
  };
}

/** 'SYN-ACK', 'SYN-ACK/RST', 'ICMP', ... : the packet types making up most of the event. */
export function backscatterTypeLabel(t: BackscatterDetails['types']): string {
  const total = t.synAck + t.rst + t.icmp + t.other;
  if (total === 0) return '';
  const parts: string[] = [];
  if (t.synAck >= 0.1 * total) parts.push('SYN-ACK');
  if (t.rst >= 0.1 * total) parts.push('RST');
  if (t.icmp >= 0.1 * total) parts.push('ICMP');
  if (t.other >= 0.1 * total) parts.push('UDP');
  return parts.join('/');
}
