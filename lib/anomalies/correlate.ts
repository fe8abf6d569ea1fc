/**
 * One event, one row. The same burst shows up in several series on the same day: a
 * DDoS victim's backscatter makes its AS, its country, the country x port and maybe the
 * port spike together. Here each day's findings are folded into the most specific one
 * that explains them:
 *
 *   backscatter event  >  AS, country x port  >  country, port
 *
 * A finding is folded into a more specific one of the same day when that one accounts
 * for at least half of its excess (packets; distinct sources for a sources finding).
 * Level shifts are folded with level shifts, spikes and backscatter with each other; a
 * spike in the weeks after an upward level shift of its series (or of its country or
 * port) is folded into the shift; and spikes of one series on consecutive days make one
 * episode. Pure.
 */
import { compareText } from '../compare-text';
import type { BackscatterEvent } from './backscatter';
import type { AnomalyMetric, Dimension } from './types';

export interface CorrelationNode {
  kind: 'spike' | 'level-shift' | 'backscatter';
  day: string;
  dimension: Dimension;
  key: string;
  country: string | null;
  /** '445/tcp' */
  port: string | null;
  asn: number | null;
  asOrg?: string;
  metric: AnomalyMetric;
  observed: number;
  baseline: number;
  score: number;
  ratio: number;
  share: number;
  /** Excess over the baseline that day, in packets and in distinct sources. */
  excessPackets: number;
  excessSources: number;
  severity: number;
  other?: { metric: AnomalyMetric; observed: number; baseline: number; score: number };
  /** Backscatter events. */
  event?: BackscatterEvent;
  /** AS findings and events: packets by destination port ('445/tcp') that day. */
  asPorts?: Map<string, number>;
  /** A packets finding made by a single host (its sources did not rise). */
  oneHost?: boolean;
  /** Spike episodes over consecutive days: the last day (set by correlate). */
  lastDay?: string;
}

/** Days after a level shift during which its series' spikes are folded into it. */
export const SHIFT_SPAN_DAYS = 28;
/** ...and during this many days before it (the change day is a best estimate)... */
export const SHIFT_LEAD_DAYS = 2;
/** ...when their excess is at most this multiple of the shift's. */
export const SHIFT_EXPLAIN_FACTOR = 2;

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** True when `wide`'s series contains `narrow`'s (same series, or country / port of it). */
function covers(wide: CorrelationNode, narrow: CorrelationNode): boolean {
  if (wide.dimension === narrow.dimension) return wide.key === narrow.key;
  if (wide.dimension === 'country')
    return (
      (narrow.dimension === 'country-port' || narrow.dimension === 'asn') &&
      narrow.country === wide.country
    );
  if (wide.dimension === 'port')
    return narrow.dimension === 'country-port' && narrow.port === wide.port;
  return false;
}

export interface CorrelatedGroup {
  root: CorrelationNode;
  members: CorrelationNode[];
}

/** Share of a finding's excess the more specific one must account for. */
export const EXPLAIN_SHARE = 0.5;

const LEVEL: Record<string, number> = {
  backscatter: 3,
  asn: 2,
  'country-port': 2,
  country: 1,
  port: 1,
};

function level(n: CorrelationNode): number {
  return n.kind === 'backscatter' ? LEVEL.backscatter! : (LEVEL[n.dimension] ?? 0);
}

/** How much of `child`'s excess `parent` accounts for (0: unrelated), in the child's metric. */
export function explained(parent: CorrelationNode, child: CorrelationNode): number {
  const sources = child.metric === 'sources';
  const need = sources ? child.excessSources : child.excessPackets;
  if (!(need > 0)) return 0;
  const own = sources ? parent.excessSources : parent.excessPackets;
  let amount = 0;
  const portAmount = (port: string | null): number =>
    port && parent.asPorts ? (parent.asPorts.get(port) ?? 0) : 0;
  if (parent.kind === 'backscatter' || parent.dimension === 'asn') {
    if (child.dimension === 'asn') amount = child.asn === parent.asn ? need : 0;
    else if (child.dimension === 'country') amount = child.country === parent.country ? own : 0;
    else if (child.dimension === 'country-port')
      amount = child.country === parent.country ? (sources ? own : portAmount(child.port)) : 0;
    else if (child.dimension === 'port') amount = sources ? 0 : portAmount(child.port);
  } else if (parent.dimension === 'country-port') {
    if (child.dimension === 'country') amount = child.country === parent.country ? own : 0;
    else if (child.dimension === 'port') amount = child.port === parent.port ? own : 0;
    else if (
      child.dimension === 'asn' &&
      child.country === parent.country &&
      parent.excessPackets > child.excessPackets
    ) {
      // An AS whose burst went mostly to this port: the country x port is the wider view.
      const onPort = parent.port && child.asPorts ? (child.asPorts.get(parent.port) ?? 0) : 0;
      amount = sources ? (onPort >= EXPLAIN_SHARE * child.excessPackets ? need : 0) : onPort;
    }
  }
  return amount >= EXPLAIN_SHARE * need ? amount : 0;
}

/** Groups the findings of each day; roots sorted by severity (highest first). */
export function correlate(nodes: CorrelationNode[]): CorrelatedGroup[] {
  const parentOf = new Map<CorrelationNode, CorrelationNode>();
  const pools = new Map<string, CorrelationNode[]>();
  for (const n of nodes) {
    const k = `${n.day}|${n.kind === 'level-shift' ? 'shift' : 'event'}`;
    let pool = pools.get(k);
    if (!pool) {
      pool = [];
      pools.set(k, pool);
    }
    pool.push(n);
  }
  for (const pool of pools.values()) {
    for (const child of pool) {
      let best: CorrelationNode | null = null;
      let bestAmount = 0;
      for (const parent of pool) {
        if (parent === child || level(parent) < level(child)) continue;
        if (
          level(parent) === level(child) &&
          !(parent.dimension === 'country-port' && child.dimension === 'asn')
        )
          continue;
        const amount = explained(parent, child);
        if (
          amount > bestAmount ||
          (amount === bestAmount && amount > 0 && best && level(parent) > level(best))
        ) {
          best = parent;
          bestAmount = amount;
        }
      }
      if (best) parentOf.set(child, best);
    }
  }
  const rootOf = (n: CorrelationNode): CorrelationNode => {
    let cur = n;
    for (let i = 0; i < 16; i++) {
      const p = parentOf.get(cur);
      if (!p) break;
      cur = p;
    }
    return cur;
  };

  // A spike in the first weeks after an upward level shift of the same or a wider series
  // is the shift's new level, not an event of its own.
  const shifts = nodes.filter((n) => n.kind === 'level-shift' && n.observed > n.baseline);
  for (const n of nodes) {
    if (n.kind !== 'spike' || rootOf(n) !== n) continue;
    let best: CorrelationNode | null = null;
    for (const sh of shifts) {
      const after = daysBetween(sh.day, n.day);
      if (after < -SHIFT_LEAD_DAYS || after >= SHIFT_SPAN_DAYS) continue;
      if (!covers(sh, n)) continue;
      const shExcess = sh.observed - sh.baseline;
      const nExcess = sh.metric === 'sources' ? n.excessSources : n.excessPackets;
      if (nExcess > SHIFT_EXPLAIN_FACTOR * shExcess) continue;
      if (!best || shExcess > best.observed - best.baseline) best = sh;
    }
    if (best) parentOf.set(n, rootOf(best));
  }

  // Consecutive days of the same series: one episode, kept on its first day.
  const spikeRoots = nodes
    .filter((n) => n.kind === 'spike' && rootOf(n) === n)
    .sort((a, b) => compareText(a.day, b.day));
  const lastOf = new Map<string, CorrelationNode>();
  for (const n of spikeRoots) {
    const k = `${n.dimension}|${n.key}`;
    const prev = lastOf.get(k);
    if (prev && daysBetween(prev.day, n.day) === 1) {
      const head = rootOf(prev);
      parentOf.set(n, head);
      head.lastDay = n.day;
    }
    lastOf.set(k, n);
  }
  const groups = new Map<CorrelationNode, CorrelationNode[]>();
  for (const n of nodes) {
    const r = rootOf(n);
    if (!groups.has(r)) groups.set(r, []);
    if (r !== n) groups.get(r)!.push(n);
  }
  return [...groups]
    .map(([root, members]) => ({ root, members }))
    .sort(
      (a, b) =>
        Math.max(b.root.severity, ...b.members.map((m) => m.severity)) -
        Math.max(a.root.severity, ...a.members.map((m) => m.severity)),
    );
}
