import {
  type PacketRecord,
  PROTO_ICMP,
  PROTO_ICMPV6,
  PROTO_TCP,
  PROTO_UDP,
  TCP_ACK,
  TCP_RST,
  TCP_SYN,
} from '../decode/packet-record';
import {
  CLASS_BACKSCATTER,
  CLASS_SCAN,
  classify,
  FINGERPRINT_RULES,
  fingerprintMask,
} from '../features';
import * as R from './host-record';
import { nextPow2, PairTable, pairHash } from './pair-table';
import { portKeyOf } from './port-key';

/** Lanes of a port pair: (host, port key) -> counters, plus the pair's first TCP window. */
export const PP_HOST = 0; // host id + 1 (0: empty slot)
export const PP_KEY = 1;
export const PP_PACKETS = 2;
export const PP_SCAN = 3;
export const PP_BACKSCATTER = 4;
export const PP_WINDOW = 5; // first TCP window seen + 1 (0: none)
export const PP_WINDOW_PACKETS = 6;
export const PP_STRIDE = 8;

/** Counter lane of the overflow window pairs and the fingerprint pairs (PairTable). */
export const PAIR_PACKETS = 3;

/** Where a host's country, AS and IPv6 address come from (shared by a file's days). */
export interface HostOrigin {
  country4(src: number): number;
  asn4(src: number): number;
  /** Index of the address in the file's IPv6 list (added when new). */
  v6Index(addr: Uint8Array): number;
  country6(v6: number): number;
  asn6(v6: number): number;
}

/**
 * Everything one UTC day of one file adds up to, before rows are built: a host record
 * per source, and pair tables keyed by the host's dense id from which every per-port,
 * per-country, per-window and per-fingerprint row (and its distinct sources) is derived.
 * Hot path: one host lookup and one port-pair lookup per packet; a second window or a
 * fingerprint match costs one more. Country and AS are looked up once per host.
 */
export class DayTables {
  count = 0;
  records: Int32Array;
  /** Host index: open addressing over IPv4 sources, [address, host id + 1] per slot. */
  private index4: Int32Array;
  private mask4: number;
  private size4 = 0;
  private readonly index6 = new Map<number, number>();
  /** (host id + 1, port key) pairs, PP_STRIDE words each. */
  portPairs: Int32Array;
  portPairCount = 0;
  private portMask: number;
  /** (host id, window << 16 | TCP port) for windows other than a port pair's first. */
  readonly windowPairs = new PairTable(1, 1 << 10);
  /** (host id, rule bit << 24 | port key) -> packets. */
  readonly fingerprintPairs = new PairTable(1, 1 << 10);
  ipPackets = 0;
  private touched = 0;

  constructor(
    readonly day: number,
    private readonly origin: HostOrigin,
    expectedHosts = 1 << 12,
    expectedPortPairs = 0,
  ) {
    const hosts = Math.max(1 << 10, expectedHosts);
    this.records = new Int32Array(hosts * R.STRIDE);
    const slots = nextPow2(hosts * 2);
    this.index4 = new Int32Array(slots * 2);
    this.mask4 = slots - 1;
    // Under the 70% load at which the table grows: a day like the previous one never
    // rehashes its millions of pairs.
    const pairs = nextPow2(Math.max(hosts * 2, Math.ceil((expectedPortPairs * 10) / 7) + 1));
    this.portPairs = new Int32Array(pairs * PP_STRIDE);
    this.portMask = pairs - 1;
  }

  get dayStart(): number {
    return this.day * 86400;
  }

  /** Bytes of the tables (typed arrays, and ~64 per IPv6 host index entry). */
  heldBytes(): number {
    return (
      this.records.byteLength +
      this.index4.byteLength +
      this.portPairs.byteLength +
      this.windowPairs.data.byteLength +
      this.fingerprintPairs.data.byteLength +
      this.index6.size * 64
    );
  }

  /** Adds one IP packet (r.ipVersion 4 or 6) whose timestamp lies in this day. */
  add(r: PacketRecord): void {
    this.addFor(r.ipVersion === 4 ? this.host4(r.src4, r) : this.host6(r), r);
  }

  /**
   * Adds IPv4 packets of this day in three passes, so that the cache misses of one
   * packet overlap those of the others: the index slots, then the hosts (found or added,
   * in packet order) with a load of their record and port-pair slot, then the counting.
   */
  addBatch4(rs: readonly PacketRecord[], n: number, hosts: Int32Array): void {
    const idx = this.index4;
    const mask = this.mask4;
    let sink = 0;
    for (let i = 0; i < n; i++) sink ^= idx[2 * (mix32(rs[i]!.src4 | 0) & mask) + 1]!;
    for (let i = 0; i < n; i++) {
      const r = rs[i]!;
      const h = this.host4(r.src4, r);
      hosts[i] = h;
      sink ^= this.records[h * R.STRIDE]!;
      const key = portKeyOf(r);
      if (key >= 0) sink ^= this.portPairs[(pairHash(h + 1, key) & this.portMask) * PP_STRIDE]!;
    }
    // Kept, so that the loads are not dropped as unused.
    this.touched ^= sink;
    for (let i = 0; i < n; i++) this.addFor(hosts[i]!, rs[i]!);
  }

  private addFor(h: number, r: PacketRecord): void {
    this.ipPackets++;
    const rec = this.records;
    const o = h * R.STRIDE;
    rec[o + R.PACKETS]! += 1;
    let lo = rec[o + R.BYTES_LO]! + r.origLen;
    if (lo >= R.BYTES_UNIT) {
      lo -= R.BYTES_UNIT;
      rec[o + R.BYTES_HI]! += 1;
    }
    rec[o + R.BYTES_LO] = lo;
    const rel = r.tsSec - this.day * 86400;
    const ns = r.tsNsec;
    if (rel > rec[o + R.LAST_SEC]! || (rel === rec[o + R.LAST_SEC] && ns > rec[o + R.LAST_NSEC]!)) {
      rec[o + R.LAST_SEC] = rel;
      rec[o + R.LAST_NSEC] = ns;
    } else if (
      rel < rec[o + R.FIRST_SEC]! ||
      (rel === rec[o + R.FIRST_SEC] && ns < rec[o + R.FIRST_NSEC]!)
    ) {
      rec[o + R.FIRST_SEC] = rel;
      rec[o + R.FIRST_NSEC] = ns;
    }
    if (r.ttl >= 0) R.vote(rec, o + R.TTL_CAND, r.ttl);
    R.addDestination(rec, o, r.ipVersion === 4 ? r.dst4 : hash16(r.dst6));

    const proto = r.proto;
    let window = -1;
    if (proto === PROTO_TCP && r.tcpFlags >= 0) {
      const f = r.tcpFlags;
      if ((f & TCP_RST) !== 0) rec[o + R.RST]! += 1;
      else if ((f & (TCP_SYN | TCP_ACK)) === TCP_SYN) rec[o + R.SYN]! += 1;
      else if ((f & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK)) rec[o + R.SYN_ACK]! += 1;
      else if (f === TCP_ACK) rec[o + R.ACK]! += 1;
      else rec[o + R.OTHER_TCP]! += 1;
      window = r.tcpWindow;
      if (window >= 0) R.vote(rec, o + R.WIN_CAND, window);
      if (r.tcpSeq >= 0) R.vote(rec, o + R.SEQ_CAND, r.tcpSeq | 0);
    } else if (proto === PROTO_UDP) {
      rec[o + R.UDP]! += 1;
    } else if (proto === PROTO_ICMP || proto === PROTO_ICMPV6) {
      rec[o + R.ICMP]! += 1;
    }

    const cls = classify(r);
    if (cls === CLASS_SCAN) rec[o + R.SCAN]! += 1;
    else if (cls === CLASS_BACKSCATTER) rec[o + R.BACKSCATTER]! += 1;

    const portKey = portKeyOf(r);
    if (portKey < 0) return;
    const pp = this.portPairs;
    const ps = this.portPair(h, portKey);
    pp[ps + PP_PACKETS]! += 1;
    if (cls === CLASS_SCAN) pp[ps + PP_SCAN]! += 1;
    else if (cls === CLASS_BACKSCATTER) pp[ps + PP_BACKSCATTER]! += 1;
    if (window >= 0 && proto === PROTO_TCP) {
      const first = pp[ps + PP_WINDOW]!;
      if (first === window + 1) pp[ps + PP_WINDOW_PACKETS]! += 1;
      else if (first === 0) {
        pp[ps + PP_WINDOW] = window + 1;
        pp[ps + PP_WINDOW_PACKETS] = 1;
      } else {
        const wp = this.windowPairs;
        const ws = wp.slot(h, (window << 16) | r.dstPort);
        wp.data[ws + PAIR_PACKETS]! += 1;
      }
    }
    const mask = fingerprintMask(r);
    if (mask !== 0) {
      rec[o + R.FINGERPRINTS]! |= mask;
      const fp = this.fingerprintPairs;
      for (let bit = 0; bit < FINGERPRINT_RULES.length; bit++) {
        if ((mask & (1 << bit)) !== 0) {
          const fs = fp.slot(h, (bit << 24) | portKey);
          fp.data[fs + PAIR_PACKETS]! += 1;
        }
      }
    }
  }

  /** Calls fn(host, portKey, offset in portPairs) for every port pair. */
  forEachPortPair(fn: (h: number, portKey: number, o: number) => void): void {
    const pp = this.portPairs;
    for (let o = 0; o < pp.length; o += PP_STRIDE) {
      const h1 = pp[o + PP_HOST]!;
      if (h1 !== 0) fn(h1 - 1, pp[o + PP_KEY]!, o);
    }
  }

  private host4(address: number, r: PacketRecord): number {
    const src = address | 0;
    const idx = this.index4;
    const mask = this.mask4;
    let i = mix32(src) & mask;
    for (;;) {
      const id1 = idx[2 * i + 1]!;
      if (id1 === 0) break;
      if (idx[2 * i] === src) return id1 - 1;
      i = (i + 1) & mask;
    }
    const h = this.newHost(r);
    idx[2 * i] = src;
    idx[2 * i + 1] = h + 1;
    const o = h * R.STRIDE;
    const rec = this.records;
    rec[o + R.SRC] = src;
    rec[o + R.COUNTRY] = this.origin.country4(src);
    rec[o + R.ASN] = this.origin.asn4(src);
    if (++this.size4 * 2 > mask + 1) this.growIndex4();
    return h;
  }

  private host6(r: PacketRecord): number {
    const v6 = this.origin.v6Index(r.src6);
    const known = this.index6.get(v6);
    if (known !== undefined) return known;
    const h = this.newHost(r);
    this.index6.set(v6, h);
    const o = h * R.STRIDE;
    const rec = this.records;
    rec[o + R.SRC] = v6;
    rec[o + R.IS_V6] = 1;
    rec[o + R.COUNTRY] = this.origin.country6(v6);
    rec[o + R.ASN] = this.origin.asn6(v6);
    return h;
  }

  private newHost(r: PacketRecord): number {
    if ((this.count + 1) * R.STRIDE > this.records.length) {
      const bigger = new Int32Array(this.records.length * 2);
      bigger.set(this.records);
      this.records = bigger;
    }
    const h = this.count++;
    const o = h * R.STRIDE;
    const rec = this.records;
    const rel = r.tsSec - this.day * 86400;
    rec[o + R.FIRST_SEC] = rel;
    rec[o + R.FIRST_NSEC] = r.tsNsec;
    rec[o + R.LAST_SEC] = rel;
    rec[o + R.LAST_NSEC] = r.tsNsec;
    rec[o + R.WIN_CAND] = -1;
    rec[o + R.TTL_CAND] = -1;
    return h;
  }

  private portPair(h: number, key: number): number {
    const pp = this.portPairs;
    const mask = this.portMask;
    const h1 = h + 1;
    let i = pairHash(h1, key) & mask;
    for (;;) {
      const o = i * PP_STRIDE;
      const at = pp[o + PP_HOST]!;
      if (at === h1 && pp[o + PP_KEY] === key) return o;
      if (at === 0) {
        if ((this.portPairCount + 1) * 10 > (mask + 1) * 7) {
          this.growPortPairs();
          return this.portPair(h, key);
        }
        pp[o + PP_HOST] = h1;
        pp[o + PP_KEY] = key;
        this.portPairCount++;
        return o;
      }
      i = (i + 1) & mask;
    }
  }

  private growIndex4(): void {
    const old = this.index4;
    const slots = (this.mask4 + 1) * 2;
    const idx = new Int32Array(slots * 2);
    const mask = slots - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] === 0) continue;
      let i = mix32(old[j]!) & mask;
      while (idx[2 * i + 1] !== 0) i = (i + 1) & mask;
      idx[2 * i] = old[j]!;
      idx[2 * i + 1] = old[j + 1]!;
    }
    this.index4 = idx;
    this.mask4 = mask;
  }

  private growPortPairs(): void {
    const old = this.portPairs;
    const slots = (this.portMask + 1) * 2;
    const pp = new Int32Array(slots * PP_STRIDE);
    const mask = slots - 1;
    for (let s = 0; s < old.length; s += PP_STRIDE) {
      if (old[s + PP_HOST] === 0) continue;
      let i = pairHash(old[s + PP_HOST]!, old[s + PP_KEY]!) & mask;
      while (pp[i * PP_STRIDE + PP_HOST] !== 0) i = (i + 1) & mask;
      // Word by word: a subarray per pair was 7% of the aggregation (allocation and GC).
      const d = i * PP_STRIDE;
      for (let w = 0; w < PP_STRIDE; w++) pp[d + w] = old[s + w]!;
    }
    this.portPairs = pp;
    this.portMask = mask;
  }
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return x ^ (x >>> 16);
}

function hash16(a: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 16; i++) h = Math.imul(h ^ a[i]!, 0x01000193);
  return h >>> 0;
}
