import { compareText } from '../../lib/compare-text';
import * as R from './host-record';
import { formatIPv4, formatIPv6 } from './ip-format';
import { portLabel } from './port-key';
import type { DailyHostRow } from './rows';
import { HOST_PORTS_KEPT } from './rows';

/**
 * A file's host rows. The aggregator keeps them columnar (a day's host records and
 * port lists, ~150 bytes a host) and makes a `DailyHostRow` object only when one is
 * read, so a million hosts never exist as a million long-lived objects.
 */
export type HostRowList = readonly DailyHostRow[] | HostRows;

/** The distinct days of host rows. */
export function hostDays(rows: HostRowList): string[] {
  if (rows instanceof HostRows) return rows.days();
  return [...new Set(rows.map((r) => r.day))];
}

/** Names behind a day's integers, shared by the file's days. */
export interface HostNames {
  countries: readonly string[];
  v6Addresses: readonly Uint8Array[];
  asOrg(asn: number): string;
  fingerprintNames: readonly string[];
}

/** One day's hosts of one file, columnar. */
export class DayHostRows {
  constructor(
    readonly day: string,
    private readonly dayStart: number,
    readonly length: number,
    private readonly records: Int32Array,
    private readonly portStart: Int32Array,
    private readonly portKeys: Int32Array,
    private readonly portPackets: Uint32Array,
    private readonly names: HostNames,
  ) {}

  /** Bytes of the columnar arrays (names are shared with the file). */
  heldBytes(): number {
    return (
      this.records.byteLength +
      this.portStart.byteLength +
      this.portKeys.byteLength +
      this.portPackets.byteLength
    );
  }

  ip(h: number): string {
    const rec = this.records;
    const o = h * R.STRIDE;
    return rec[o + R.IS_V6] === 0
      ? formatIPv4(rec[o + R.SRC]! >>> 0)
      : formatIPv6(this.names.v6Addresses[rec[o + R.SRC]!]!);
  }

  /** Host indices sorted by address text (daily_host's key order within a day). */
  ipOrder(): { order: Int32Array; ips: string[] } {
    const ips: string[] = new Array(this.length);
    for (let h = 0; h < this.length; h++) ips[h] = this.ip(h);
    const order = new Int32Array(this.length);
    for (let h = 0; h < this.length; h++) order[h] = h;
    order.sort((a, b) => compareText(ips[a]!, ips[b]!));
    return { order, ips };
  }

  /** Row `h`; `ip` when the caller has its address text already. */
  row(h: number, ip = this.ip(h)): DailyHostRow {
    const rec = this.records;
    const o = h * R.STRIDE;
    const asn = rec[o + R.ASN]! >>> 0;
    const from = this.portStart[h]!;
    const to = this.portStart[h + 1]!;
    const names = this.names;
    const dstRegisters = R.destinationRegisters(rec, o);
    return {
      day: this.day,
      ip,
      country: names.countries[rec[o + R.COUNTRY]!]!,
      asn,
      asOrg: asn === 0 ? '' : names.asOrg(asn),
      packets: rec[o + R.PACKETS]! >>> 0,
      bytes: R.bytesOf(rec, o),
      ports: topPorts(this.portKeys, this.portPackets, from, to),
      distinctPorts: to - from,
      distinctDsts: R.estimateDestinations(dstRegisters),
      dstRegisters,
      syn: rec[o + R.SYN]! >>> 0,
      synAck: rec[o + R.SYN_ACK]! >>> 0,
      rst: rec[o + R.RST]! >>> 0,
      ack: rec[o + R.ACK]! >>> 0,
      otherTcp: rec[o + R.OTHER_TCP]! >>> 0,
      udp: rec[o + R.UDP]! >>> 0,
      icmp: rec[o + R.ICMP]! >>> 0,
      window: rec[o + R.WIN_CAND]!,
      ttl: rec[o + R.TTL_CAND]!,
      seq: R.tcpPacketsOf(rec, o) === 0 ? -1 : rec[o + R.SEQ_CAND]! >>> 0,
      fingerprints: maskNames(rec[o + R.FINGERPRINTS]!, names.fingerprintNames),
      scanPackets: rec[o + R.SCAN]! >>> 0,
      backscatterPackets: rec[o + R.BACKSCATTER]! >>> 0,
      firstSeen: toDate(this.dayStart + rec[o + R.FIRST_SEC]!, rec[o + R.FIRST_NSEC]!),
      lastSeen: toDate(this.dayStart + rec[o + R.LAST_SEC]!, rec[o + R.LAST_NSEC]!),
    };
  }
}

/** The host rows of a file: its days' columnar parts, in day order. */
export class HostRows implements Iterable<DailyHostRow> {
  readonly length: number;

  constructor(private readonly parts: readonly DayHostRows[]) {
    this.length = parts.reduce((n, p) => n + p.length, 0);
  }

  at(i: number): DailyHostRow | undefined {
    if (i < 0) i += this.length;
    for (const p of this.parts) {
      if (i < p.length) return i >= 0 ? p.row(i) : undefined;
      i -= p.length;
    }
    return undefined;
  }

  days(): string[] {
    return [...new Set(this.parts.filter((p) => p.length > 0).map((p) => p.day))];
  }

  *[Symbol.iterator](): Iterator<DailyHostRow> {
    for (const p of this.parts) for (let h = 0; h < p.length; h++) yield p.row(h);
  }

  /** The rows by day, then address text (one day's addresses at a time in memory). */
  *inIpOrder(): Iterable<DailyHostRow> {
    const parts = [...this.parts].sort((a, b) => compareText(a.day, b.day));
    for (const p of parts) {
      const { order, ips } = p.ipOrder();
      for (const h of order) yield p.row(h, ips[h]);
    }
  }
}

const labels = new Map<number, string>();
function label(key: number): string {
  let l = labels.get(key);
  if (l === undefined) {
    l = portLabel(key);
    labels.set(key, l);
  }
  return l;
}

/** The HOST_PORTS_KEPT largest ports, largest first (ties: smaller key), so the JSON is canonical. */
function topPorts(
  keys: Int32Array,
  packets: Uint32Array,
  from: number,
  to: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  if (to - from === 1) {
    out[label(keys[from]!)] = packets[from]!;
    return out;
  }
  const idx: number[] = [];
  for (let i = from; i < to; i++) idx.push(i);
  idx.sort((a, b) => packets[b]! - packets[a]! || keys[a]! - keys[b]!);
  const kept = Math.min(HOST_PORTS_KEPT, idx.length);
  for (let i = 0; i < kept; i++) out[label(keys[idx[i]!]!)] = packets[idx[i]!]!;
  return out;
}

const maskCache = new Map<number, readonly string[]>();
function maskNames(mask: number, names: readonly string[]): string[] {
  let cached = maskCache.get(mask);
  if (cached === undefined) {
    const out: string[] = [];
    for (let bit = 0; bit < names.length; bit++) {
      if ((mask & (1 << bit)) !== 0) out.push(names[bit]!);
    }
    cached = out.sort();
    maskCache.set(mask, cached);
  }
  return [...cached];
}

function toDate(sec: number, nsec: number): Date {
  return new Date(sec * 1000 + Math.floor(nsec / 1e6));
}
