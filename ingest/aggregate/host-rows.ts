import { compareText } from '../../lib/compare-text';
import * as R from './host-record';
import { formatIPv4, formatIPv6 } from './ip-format';
import { mergeHostRows } from './merge-rows';
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

  /**
   * Host indices sorted by address text (daily_host's key order within a day); the
   * texts too when they had to be made for the sort.
   */
  ipOrder(): { order: Int32Array; ips: string[] | null } {
    const n = this.length;
    const rec = this.records;
    const order = new Int32Array(n);
    let v4 = n <= ORDER_INDEX_LIMIT;
    for (let h = 0; v4 && h < n; h++) v4 = rec[h * R.STRIDE + R.IS_V6] === 0;
    if (v4) {
      // A number per address in text order, the host index in its low bits: one native
      // numeric sort, no strings (a comparator over 600k texts was most of this phase).
      const keys = new Float64Array(n);
      const rank = OCTET_TEXT_RANK;
      for (let h = 0; h < n; h++) {
        const ip = rec[h * R.STRIDE + R.SRC]! >>> 0;
        const text =
          rank[ip >>> 24]! * 2 ** 24 +
          rank[(ip >>> 16) & 0xff]! * 2 ** 16 +
          rank[(ip >>> 8) & 0xff]! * 2 ** 8 +
          rank[ip & 0xff]!;
        keys[h] = text * ORDER_INDEX_LIMIT + h;
      }
      keys.sort();
      for (let i = 0; i < n; i++) order[i] = keys[i]! % ORDER_INDEX_LIMIT;
      return { order, ips: null };
    }
    const ips: string[] = new Array(n);
    for (let h = 0; h < n; h++) ips[h] = this.ip(h);
    for (let h = 0; h < n; h++) order[h] = h;
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
    const packets = rec[o + R.PACKETS]! >>> 0;
    const tcp = R.tcpPacketsOf(rec, o);
    return {
      day: this.day,
      ip,
      country: names.countries[rec[o + R.COUNTRY]!]!,
      asn,
      asOrg: asn === 0 ? '' : names.asOrg(asn),
      packets,
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
      seq: tcp === 0 ? -1 : rec[o + R.SEQ_CAND]! >>> 0,
      tcpVoteWeight: tcp,
      ttlVoteWeight: packets,
      fingerprints: maskNames(rec[o + R.FINGERPRINTS]!, names.fingerprintNames),
      scanPackets: rec[o + R.SCAN]! >>> 0,
      backscatterPackets: rec[o + R.BACKSCATTER]! >>> 0,
      firstSeen: toDate(this.dayStart + rec[o + R.FIRST_SEC]!, rec[o + R.FIRST_NSEC]!),
      lastSeen: toDate(this.dayStart + rec[o + R.LAST_SEC]!, rec[o + R.LAST_NSEC]!),
    };
  }
}

/**
 * The host rows of a file (or of a group of files, file by file): its days' parts, in
 * day order. A day can have several parts (files of a group, or a day the aggregator
 * turned into rows twice); their rows of one address are merged here as the store would
 * merge them one part after another (mergeHostRows, the earlier part first), so readers
 * see each (day, address) once.
 */
export class HostRows implements Iterable<DailyHostRow> {
  /** Rows before the parts of a day are merged: an upper bound of what iteration yields. */
  readonly length: number;

  constructor(private readonly parts: readonly DayHostRows[]) {
    this.length = parts.reduce((n, p) => n + p.length, 0);
  }

  /** The i-th row of the parts as they are (before merging), like Array.at. */
  at(i: number): DailyHostRow | undefined {
    if (i < 0) i += this.length;
    for (const p of this.parts) {
      if (i < p.length) return i >= 0 ? p.row(i) : undefined;
      i -= p.length;
    }
    return undefined;
  }

  /** The parts, one or more per day. */
  dayParts(): readonly DayHostRows[] {
    return this.parts;
  }

  days(): string[] {
    return [...new Set(this.parts.filter((p) => p.length > 0).map((p) => p.day))];
  }

  *[Symbol.iterator](): Iterator<DailyHostRow> {
    for (const parts of this.byDay()) {
      if (parts.length === 1) {
        const p = parts[0]!;
        for (let h = 0; h < p.length; h++) yield p.row(h);
      } else yield* mergedInIpOrder(parts);
    }
  }

  /** The rows by day, then address text (one day's addresses at a time in memory). */
  *inIpOrder(): Iterable<DailyHostRow> {
    for (const parts of this.byDay()) yield* mergedInIpOrder(parts);
  }

  /** The parts grouped by day, days ascending, parts in their order. */
  private byDay(): DayHostRows[][] {
    const days = new Map<string, DayHostRows[]>();
    for (const p of this.parts) {
      if (p.length === 0) continue;
      const list = days.get(p.day);
      if (list === undefined) days.set(p.day, [p]);
      else list.push(p);
    }
    return [...days.keys()].sort(compareText).map((day) => days.get(day)!);
  }
}

/** A part's rows in address order, read one at a time. */
interface Cursor {
  part: DayHostRows;
  /** Its position among the day's parts (earlier parts merge first). */
  rank: number;
  order: Int32Array;
  ips: string[] | null;
  i: number;
  ip: string;
}

/**
 * The rows of one day's parts in address order, rows of one address merged (a k-way
 * merge over each part's address order: a small heap of cursors).
 */
function* mergedInIpOrder(parts: readonly DayHostRows[]): Iterable<DailyHostRow> {
  if (parts.length === 1) {
    const p = parts[0]!;
    const { order, ips } = p.ipOrder();
    for (const h of order) yield p.row(h, ips?.[h]);
    return;
  }
  const before = (a: Cursor, b: Cursor) => {
    const c = compareText(a.ip, b.ip);
    return c < 0 || (c === 0 && a.rank < b.rank);
  };
  const heap: Cursor[] = [];
  const push = (c: Cursor) => {
    heap.push(c);
    for (let i = heap.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (!before(heap[i]!, heap[up]!)) break;
      [heap[i], heap[up]] = [heap[up]!, heap[i]!];
      i = up;
    }
  };
  const pop = (): Cursor => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  const rowAt = (c: Cursor): DailyHostRow => c.part.row(c.order[c.i]!, c.ip);
  const advance = (c: Cursor) => {
    if (++c.i < c.order.length) {
      const h = c.order[c.i]!;
      c.ip = c.ips?.[h] ?? c.part.ip(h);
      push(c);
    }
  };
  parts.forEach((part, rank) => {
    const { order, ips } = part.ipOrder();
    if (order.length === 0) return;
    const h = order[0]!;
    push({ part, rank, order, ips, i: 0, ip: ips?.[h] ?? part.ip(h) });
  });
  while (heap.length > 0) {
    const first = pop();
    let row = rowAt(first);
    const done = [first];
    // Equal addresses come off the heap in part order (rank breaks ties).
    while (heap.length > 0 && heap[0]!.ip === first.ip) {
      const next = pop();
      row = mergeHostRows(row, rowAt(next));
      done.push(next);
    }
    yield row;
    for (const c of done) advance(c);
  }
}

/** Host indices below this fit beside a 32-bit text rank in a double (2^32 * 2^21 = 2^53). */
const ORDER_INDEX_LIMIT = 2 ** 21;

/**
 * Each octet's rank among the 256 octet texts in text order ('0' < '1' < '10' < '100' <
 * ... < '99'). Dotted-quad texts compare as their four ranks do: where two octet texts
 * differ, either a digit decides or the shorter one's '.' (below every digit) does.
 */
const OCTET_TEXT_RANK = (() => {
  const texts = Array.from({ length: 256 }, (_, i) => String(i)).sort(compareText);
  const rank = new Uint8Array(256);
  texts.forEach((t, r) => {
    rank[Number(t)] = r;
  });
  return rank;
})();

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
  // Bounded insertion into the kept list: no array or comparator per host.
  const top = topScratch;
  let m = 0;
  for (let i = from; i < to; i++) {
    const p = packets[i]!;
    const k = keys[i]!;
    let j = m;
    while (j > 0) {
      const t = top[j - 1]!;
      if (p < packets[t]! || (p === packets[t] && k > keys[t]!)) break;
      j--;
    }
    if (j >= HOST_PORTS_KEPT) continue;
    for (let q = Math.min(m, HOST_PORTS_KEPT - 1); q > j; q--) top[q] = top[q - 1]!;
    top[j] = i;
    if (m < HOST_PORTS_KEPT) m++;
  }
  for (let i = 0; i < m; i++) out[label(keys[top[i]!]!)] = packets[top[i]!]!;
  return out;
}

const topScratch = new Int32Array(HOST_PORTS_KEPT);

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
