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
import type { GeoDb } from '../enrich/geo-db';
import {
  CLASS_BACKSCATTER,
  CLASS_SCAN,
  classify,
  FINGERPRINT_RULES,
  fingerprintMask,
} from '../features';
import { buildFileAggregates } from './build-rows';
import * as F from './host-columns';
import { PairTable } from './pair-table';
import { portKeyOf } from './port-key';
import type { FileAggregates } from './rows';
import { dayNumber, SECONDS_PER_DAY } from './utc-day';

/** Largest number of distinct UTC days one file may span (days index a 16-bit field). */
const MAX_DAYS = 0xffff;
const V6_FLAG = 0x10000;

/** Counter lanes of the port pair table. */
export const PORT_PACKETS = 3;
export const PORT_SCAN = 4;
export const PORT_BACKSCATTER = 5;
/** Counter lane of the window and fingerprint pair tables. */
export const PAIR_PACKETS = 3;

/**
 * Aggregates the packets of one input file, per UTC day. The hot path is integer
 * work on typed arrays: one host lookup per packet (source x day), then pair tables
 * keyed by the host's dense id, from which every per-port, per-country, per-window
 * and per-fingerprint row (with its distinct sources) is derived when the file ends.
 * The country and AS of a source are looked up once per source-day, never per packet.
 */
export class FileAggregator {
  readonly hosts = new F.HostColumns();
  /** (host id, port key) -> packets, scan packets, backscatter packets. */
  readonly portPairs = new PairTable(3, 1 << 16);
  /** (host id, window << 16 | TCP destination port) -> packets. */
  readonly windowPairs = new PairTable(1, 1 << 16);
  /** (host id, rule index << 24 | port key) -> packets. */
  readonly fingerprintPairs = new PairTable(1, 1 << 10);
  readonly days: number[] = [];
  readonly countries: string[] = [];
  readonly v6Addresses: Uint8Array[] = [];
  ipPackets = 0;
  nonIpPackets = 0;

  private readonly hostIndex = new PairTable(1, 1 << 16);
  private readonly countryIndex = new Map<string, number>();
  private readonly v6Index = new Map<string, number>();
  private readonly dayIndex = new Map<number, number>();
  private dayStart = 1;
  private dayEnd = 0;
  private currentDay = 0;

  constructor(private readonly geo: GeoDb) {}

  add(r: PacketRecord): void {
    if (r.ipVersion === 0) {
      this.nonIpPackets++;
      return;
    }
    this.ipPackets++;
    const sec = r.tsSec;
    const d = sec >= this.dayStart && sec < this.dayEnd ? this.currentDay : this.switchDay(sec);
    const h = r.ipVersion === 4 ? this.host4(r.src4, d, r) : this.host6(r.src6, d, r);
    const hosts = this.hosts;
    const hot = hosts.hot;
    const o = h * F.HOT_STRIDE;

    hot[o + F.PACKETS]! += 1;
    let lo = hot[o + F.BYTES_LO]! + r.origLen;
    if (lo >= F.BYTES_UNIT) {
      lo -= F.BYTES_UNIT;
      hot[o + F.BYTES_HI]! += 1;
    }
    hot[o + F.BYTES_LO] = lo;
    const rel = sec - hosts.baseSec;
    const ns = r.tsNsec;
    if (rel > hot[o + F.LAST_SEC]! || (rel === hot[o + F.LAST_SEC] && ns > hot[o + F.LAST_NSEC]!)) {
      hot[o + F.LAST_SEC] = rel;
      hot[o + F.LAST_NSEC] = ns;
    } else if (
      rel < hot[o + F.FIRST_SEC]! ||
      (rel === hot[o + F.FIRST_SEC] && ns < hot[o + F.FIRST_NSEC]!)
    ) {
      hot[o + F.FIRST_SEC] = rel;
      hot[o + F.FIRST_NSEC] = ns;
    }
    if (r.ttl >= 0) vote(hot, o + F.TTL_CAND, r.ttl);
    addDestination(hosts.dstRegs, h, r.ipVersion === 4 ? r.dst4 : hash16(r.dst6));

    const proto = r.proto;
    const cold = hosts.cold;
    const c = h * F.COLD_STRIDE;
    if (proto === PROTO_TCP && r.tcpFlags >= 0) {
      const f = r.tcpFlags;
      if ((f & TCP_RST) !== 0) hot[o + F.RST]! += 1;
      else if ((f & (TCP_SYN | TCP_ACK)) === TCP_SYN) hot[o + F.SYN]! += 1;
      else if ((f & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK)) hot[o + F.SYN_ACK]! += 1;
      else if (f === TCP_ACK) cold[c + F.ACK]! += 1;
      else cold[c + F.OTHER_TCP]! += 1;
      if (r.tcpWindow >= 0) vote(hot, o + F.WIN_CAND, r.tcpWindow);
    } else if (proto === PROTO_UDP) {
      cold[c + F.UDP]! += 1;
    } else if (proto === PROTO_ICMP || proto === PROTO_ICMPV6) {
      cold[c + F.ICMP]! += 1;
    }

    const cls = classify(r);
    if (cls === CLASS_SCAN) hot[o + F.SCAN]! += 1;
    else if (cls === CLASS_BACKSCATTER) hot[o + F.BACKSCATTER]! += 1;

    const portKey = portKeyOf(r);
    if (portKey < 0) return;
    const pp = this.portPairs;
    const ps = pp.slot(h, portKey);
    const pdata = pp.data;
    pdata[ps + PORT_PACKETS]! += 1;
    if (cls === CLASS_SCAN) pdata[ps + PORT_SCAN]! += 1;
    else if (cls === CLASS_BACKSCATTER) pdata[ps + PORT_BACKSCATTER]! += 1;

    if (proto === PROTO_TCP && r.tcpWindow >= 0) {
      const wp = this.windowPairs;
      const ws = wp.slot(h, (r.tcpWindow << 16) | r.dstPort);
      wp.data[ws + PAIR_PACKETS]! += 1;
    }
    const mask = fingerprintMask(r);
    if (mask !== 0) {
      cold[c + F.FINGERPRINTS]! |= mask;
      const fp = this.fingerprintPairs;
      for (let bit = 0; bit < FINGERPRINT_RULES.length; bit++) {
        if ((mask & (1 << bit)) !== 0) {
          const fs = fp.slot(h, (bit << 24) | portKey);
          fp.data[fs + PAIR_PACKETS]! += 1;
        }
      }
    }
  }

  finish(): FileAggregates {
    return buildFileAggregates(this);
  }

  asOrg(asn: number): string {
    return this.geo.asOrg(asn);
  }

  private switchDay(sec: number): number {
    const day = dayNumber(sec);
    let idx = this.dayIndex.get(day);
    if (idx === undefined) {
      if (this.days.length >= MAX_DAYS) throw new Error(`a file spans more than ${MAX_DAYS} days`);
      idx = this.days.length;
      this.days.push(day);
      this.dayIndex.set(day, idx);
    }
    if (Number.isNaN(this.hosts.baseSec)) this.hosts.baseSec = day * SECONDS_PER_DAY;
    this.dayStart = day * SECONDS_PER_DAY;
    this.dayEnd = this.dayStart + SECONDS_PER_DAY;
    this.currentDay = idx;
    return idx;
  }

  private host4(src: number, d: number, r: PacketRecord): number {
    const t = this.hostIndex;
    const s = t.slot(src, d);
    const id1 = t.data[s + 3]!;
    if (id1 !== 0) return id1 - 1;
    const h = this.newHost(d, r);
    t.data[s + 3] = h + 1;
    this.hosts.src4[h] = src;
    this.hosts.cold[h * F.COLD_STRIDE + F.V6] = -1;
    this.hosts.cold[h * F.COLD_STRIDE + F.COUNTRY] = this.countryId(this.geo.country4(src));
    this.hosts.asn[h] = this.geo.asn4(src);
    return h;
  }

  private host6(addr: Uint8Array, d: number, r: PacketRecord): number {
    const key = Buffer.from(addr.buffer, addr.byteOffset, 16).toString('hex');
    let v6 = this.v6Index.get(key);
    if (v6 === undefined) {
      v6 = this.v6Addresses.length;
      this.v6Addresses.push(Uint8Array.from(addr));
      this.v6Index.set(key, v6);
    }
    const t = this.hostIndex;
    const s = t.slot(v6, d | V6_FLAG);
    const id1 = t.data[s + 3]!;
    if (id1 !== 0) return id1 - 1;
    const h = this.newHost(d, r);
    t.data[s + 3] = h + 1;
    this.hosts.cold[h * F.COLD_STRIDE + F.V6] = v6;
    this.hosts.cold[h * F.COLD_STRIDE + F.COUNTRY] = this.countryId(this.geo.country6(addr));
    this.hosts.asn[h] = this.geo.asn6(addr);
    return h;
  }

  private newHost(d: number, r: PacketRecord): number {
    const hosts = this.hosts;
    const h = hosts.add();
    const o = h * F.HOT_STRIDE;
    const rel = r.tsSec - hosts.baseSec;
    hosts.hot[o + F.FIRST_SEC] = rel;
    hosts.hot[o + F.FIRST_NSEC] = r.tsNsec;
    hosts.hot[o + F.LAST_SEC] = rel;
    hosts.hot[o + F.LAST_NSEC] = r.tsNsec;
    hosts.hot[o + F.WIN_CAND] = -1;
    hosts.hot[o + F.TTL_CAND] = -1;
    hosts.cold[h * F.COLD_STRIDE + F.DAY] = d;
    return h;
  }

  private countryId(cc: string): number {
    let id = this.countryIndex.get(cc);
    if (id === undefined) {
      id = this.countries.length;
      this.countries.push(cc);
      this.countryIndex.set(cc, id);
    }
    return id;
  }
}

/** Boyer-Moore majority vote: at[0] is the candidate, at[1] its balance. */
function vote(a: Int32Array, at: number, value: number): void {
  if (a[at] === value) a[at + 1]! += 1;
  else if (a[at + 1] === 0) {
    a[at] = value;
    a[at + 1] = 1;
  } else a[at + 1]! -= 1;
}

function addDestination(regs: Uint8Array, h: number, dst: number): void {
  let x = Math.imul(dst ^ (dst >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  x ^= x >>> 16;
  const idx = x & (F.DST_REGISTERS - 1);
  const rank = Math.clz32(x >>> 5) - 4;
  const at = h * F.DST_REGISTERS + idx;
  if (rank > regs[at]!) regs[at] = rank;
}

function hash16(a: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 16; i++) h = Math.imul(h ^ a[i]!, 0x01000193);
  return h >>> 0;
}
