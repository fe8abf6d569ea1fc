/**
 * Pure merge rules for rows of the same key coming from different files (or workers).
 * The store applies them when a row already exists in the database. Every rule is
 * commutative and associative, so the order in which files are committed does not
 * matter.
 */
import { compareText } from '../../lib/compare-text';
import { estimateDestinations, mergeDestinationRegisters } from './host-record';
import { type DailyHostRow, HOST_PORTS_KEPT } from './rows';

/** TCP packets of a host row (the packets that carry a TCP window and sequence number). */
export function tcpPackets(
  r: Pick<DailyHostRow, 'syn' | 'synAck' | 'rst' | 'ack' | 'otherTcp'>,
): number {
  return r.syn + r.synAck + r.rst + r.ack + r.otherTcp;
}

/** The vote weights of a row that holds one file's packets: its own totals. */
export function ownVoteWeights(
  r: Omit<DailyHostRow, 'tcpVoteWeight' | 'ttlVoteWeight'>,
): Pick<DailyHostRow, 'tcpVoteWeight' | 'ttlVoteWeight'> {
  return { tcpVoteWeight: tcpPackets(r), ttlVoteWeight: r.packets };
}

/**
 * Adds two port maps and keeps the `kept` largest entries (ties: smaller key first).
 * Also returns the size of the union before the cut.
 */
export function mergePortMaps(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
  kept: number = HOST_PORTS_KEPT,
): { ports: Record<string, number>; unionSize: number } {
  const sum = new Map<string, number>();
  for (const [k, v] of Object.entries(a)) sum.set(k, v);
  for (const [k, v] of Object.entries(b)) sum.set(k, (sum.get(k) ?? 0) + v);
  const entries = [...sum].sort((x, y) => y[1] - x[1] || compareText(x[0], y[0]));
  const ports: Record<string, number> = {};
  for (const [k, v] of entries.slice(0, kept)) ports[k] = v;
  return { ports, unionSize: sum.size };
}

/** True when a row's port map lists every port it saw (nothing was cut). */
export function portsComplete(r: Pick<DailyHostRow, 'ports' | 'distinctPorts'>): boolean {
  return Object.keys(r.ports).length === r.distinctPorts;
}

/**
 * Distinct destination ports of the merged row: exact (the union's size) when both maps
 * were complete; otherwise a lower bound, max(a, b, union size), since ports cut from
 * either map may or may not overlap.
 */
export function mergeDistinctPorts(
  a: Pick<DailyHostRow, 'ports' | 'distinctPorts'>,
  b: Pick<DailyHostRow, 'ports' | 'distinctPorts'>,
  unionSize: number,
): number {
  if (portsComplete(a) && portsComplete(b)) return unionSize;
  return Math.max(a.distinctPorts, b.distinctPorts, unionSize);
}

/**
 * A majority-vote value (TCP window, TTL, TCP sequence number as an unsigned 32-bit
 * value) of the merged row: -1 means "none seen", so a known value wins over -1;
 * otherwise the value of the side with more packets (`wa`, `wb`), ties going to the
 * smaller value.
 */
export function pickVoted(va: number, wa: number, vb: number, wb: number): number {
  if (va === -1) return vb;
  if (vb === -1) return va;
  if (wa !== wb) return wa > wb ? va : vb;
  return Math.min(va, vb);
}

/** Sorted union of two sorted-or-not string lists, without duplicates. */
export function unionSorted(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/**
 * Merges two rows of the same host, day and sensor. `existing` is the row already
 * stored, `incoming` the new file's. Rules:
 * - counters add; firstSeen = min, lastSeen = max;
 * - ports: counts add over the union, nothing cut: each file's row already holds at
 *   most HOST_PORTS_KEPT ports, and cutting again here would make the stored map
 *   depend on the order files are committed in (readers show the largest);
 * - distinctPorts: exact when both port maps were complete, else a lower bound
 *   (mergeDistinctPorts);
 * - distinctDsts: the estimate of the merged registers (register-wise max: the same as
 *   one pass over both); when a side has no registers (a row stored before they were
 *   kept), the max of the two, a lower bound, and no registers;
 * - window and seq: the heavier side's vote by tcpVoteWeight, ttl by ttlVoteWeight (ties:
 *   the smaller value; -1 = none never wins over a known value); the merged weight is the
 *   heavier one, not the sum. So a day's vote is that of its file with the most packets
 *   of the host, whatever order the files are merged in (a sum would make three files'
 *   result depend on which two met first);
 * - fingerprints: sorted union;
 * - country, asn/asOrg: a known value over an unknown one ('ZZ', AS 0); two known ones
 *   differ only when the enrichment data changed between two files of the day (a package
 *   upgrade): the smaller code, the smaller AS number (and with it its name; the smaller
 *   name for the same number), so that no order of files gives another answer.
 */
/** A known country over 'ZZ'; of two known ones the smaller code (see mergeHostRows). */
function mergeCountry(a: string, b: string): string {
  if (a === 'ZZ') return b;
  if (b === 'ZZ') return a;
  return compareText(a, b) <= 0 ? a : b;
}

/** A known AS over AS 0; of two known ones the smaller number, then the smaller name. */
function mergeAs(
  a: Pick<DailyHostRow, 'asn' | 'asOrg'>,
  b: Pick<DailyHostRow, 'asn' | 'asOrg'>,
): Pick<DailyHostRow, 'asn' | 'asOrg'> {
  if (a.asn === 0) return b;
  if (b.asn === 0) return a;
  if (a.asn !== b.asn) return a.asn < b.asn ? a : b;
  return compareText(a.asOrg, b.asOrg) <= 0 ? a : b;
}

export function mergeHostRows(existing: DailyHostRow, incoming: DailyHostRow): DailyHostRow {
  const { ports, unionSize } = mergePortMaps(
    existing.ports,
    incoming.ports,
    Number.POSITIVE_INFINITY,
  );
  const as = mergeAs(existing, incoming);
  return {
    day: existing.day,
    ip: existing.ip,
    country: mergeCountry(existing.country, incoming.country),
    asn: as.asn,
    asOrg: as.asOrg,
    packets: existing.packets + incoming.packets,
    bytes: existing.bytes + incoming.bytes,
    ports,
    distinctPorts: mergeDistinctPorts(existing, incoming, unionSize),
    ...mergeDestinations(existing, incoming),
    syn: existing.syn + incoming.syn,
    synAck: existing.synAck + incoming.synAck,
    rst: existing.rst + incoming.rst,
    ack: existing.ack + incoming.ack,
    otherTcp: existing.otherTcp + incoming.otherTcp,
    udp: existing.udp + incoming.udp,
    icmp: existing.icmp + incoming.icmp,
    window: pickVoted(
      existing.window,
      existing.tcpVoteWeight,
      incoming.window,
      incoming.tcpVoteWeight,
    ),
    ttl: pickVoted(existing.ttl, existing.ttlVoteWeight, incoming.ttl, incoming.ttlVoteWeight),
    seq: pickVoted(existing.seq, existing.tcpVoteWeight, incoming.seq, incoming.tcpVoteWeight),
    tcpVoteWeight: Math.max(existing.tcpVoteWeight, incoming.tcpVoteWeight),
    ttlVoteWeight: Math.max(existing.ttlVoteWeight, incoming.ttlVoteWeight),
    fingerprints: unionSorted(existing.fingerprints, incoming.fingerprints),
    scanPackets: existing.scanPackets + incoming.scanPackets,
    backscatterPackets: existing.backscatterPackets + incoming.backscatterPackets,
    firstSeen: new Date(Math.min(existing.firstSeen.getTime(), incoming.firstSeen.getTime())),
    lastSeen: new Date(Math.max(existing.lastSeen.getTime(), incoming.lastSeen.getTime())),
  };
}

/** distinctDsts and dstRegisters of a merged row (see mergeHostRows). */
export function mergeDestinations(
  a: Pick<DailyHostRow, 'distinctDsts' | 'dstRegisters'>,
  b: Pick<DailyHostRow, 'distinctDsts' | 'dstRegisters'>,
): Pick<DailyHostRow, 'distinctDsts' | 'dstRegisters'> {
  if (!a.dstRegisters || !b.dstRegisters) {
    return { distinctDsts: Math.max(a.distinctDsts, b.distinctDsts), dstRegisters: null };
  }
  const dstRegisters = mergeDestinationRegisters(a.dstRegisters, b.dstRegisters);
  return { distinctDsts: estimateDestinations(dstRegisters), dstRegisters };
}
