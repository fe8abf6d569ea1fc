/**
 * `inspect`: the public check of the decoder. Reads one capture and counts, per UTC day, what
 * tshark would count: IP packets, exact distinct sources, destination ports of TCP/UDP packets
 * that carry one (outer header, first fragments), TCP flag classes and TCP windows.
 *
 * Counting rules:
 *  - packets: every packet record; ipPackets: records whose outermost network layer is IPv4 or
 *    IPv6 as tshark dissects it (PacketRecord.ipLayer), even if that header is malformed; the
 *    rest are nonIpPackets and count nowhere else.
 *  - days: UTC calendar day of the record's time stamp (whole seconds, floor division).
 *  - sources: exact distinct source addresses (IPv4 and IPv6) among packets whose source
 *    address was decodable.
 *  - ports "tcp/N" / "udp/N": destination port; sources per port are exact too.
 *  - tcpFlags: syn = SYN without ACK, synAck = SYN with ACK, rst = any RST; tcpWindows: TCP
 *    packets per window value (only when the TCP header was complete enough to carry them).
 */
import { compareText } from '../../lib/compare-text';
import type { PacketRecord } from '../decode/packet-record';
import { CaptureIoError, readCapture } from '../format/read-capture';
import type { CaptureError, CaptureResult } from '../format/types';
import { dayKey, isoNanos } from './utc-time';
import { IntCounter, PairSet, U32Set, WordSet } from './word-set';

export interface PortStats {
  packets: number;
  sources: number;
}

export interface DayStats {
  packets: number;
  sources: number;
  /** "tcp/445" -> counts, ordered by descending packets then key. */
  ports: Record<string, PortStats>;
  tcpFlags: { syn: number; synAck: number; rst: number };
  /** Window value (as a string key) -> TCP packets. */
  tcpWindows: Record<string, number>;
}

export interface InspectResult {
  /** The path as given. */
  file: string;
  ok: boolean;
  error: CaptureError | null;
  format: 'pcap' | 'pcapng' | null;
  compression: 'gzip' | null;
  linkTypes: number[];
  packets: number;
  ipPackets: number;
  nonIpPackets: number;
  /** Earliest / latest packet time, ISO-8601 UTC with 9 fractional digits; null without packets. */
  first: string | null;
  last: string | null;
  /** "YYYY-MM-DD" (ascending) -> counts. */
  days: Record<string, DayStats>;
}

class DayAcc {
  packets = 0;
  readonly src4 = new U32Set(8);
  /** IPv6 address words + a 1 (the set's non-zero last word). */
  readonly src6 = new WordSet(5, 8);
  /** (src4, port key + 1) and (src6 words, port key + 1). */
  readonly portSrc4 = new PairSet(8);
  readonly portSrc6 = new WordSet(5, 8);
  /** Port key: (0 tcp | 1 udp) << 16 | port -> packets, and new (source, port) pairs as extra. */
  readonly ports = new IntCounter(8);
  syn = 0;
  synAck = 0;
  rst = 0;
  readonly windows = new IntCounter(8);
}

/** Accumulates inspect's counts from decoded records (no allocation per packet but new keys). */
export class InspectCollector {
  packets = 0;
  ipPackets = 0;
  private readonly days = new Map<number, DayAcc>();
  private lastDay = Number.NaN;
  private lastAcc: DayAcc | null = null;
  private readonly key = new Int32Array(5);

  add(rec: PacketRecord): void {
    this.packets++;
    if (rec.ipLayer === 0) return;
    this.ipPackets++;
    const day = Math.floor(rec.tsSec / 86400);
    let acc = this.lastAcc;
    if (day !== this.lastDay || acc === null) {
      acc = this.days.get(day) ?? null;
      if (acc === null) {
        acc = new DayAcc();
        this.days.set(day, acc);
      }
      this.lastDay = day;
      this.lastAcc = acc;
    }
    acc.packets++;
    const v = rec.ipVersion;
    if (v === 0) return; // IP layer without a decodable source address
    const k = this.key;
    if (v === 4) {
      acc.src4.add(rec.src4);
    } else {
      const s = rec.src6;
      for (let i = 0; i < 4; i++) {
        k[i] = (s[i * 4]! << 24) | (s[i * 4 + 1]! << 16) | (s[i * 4 + 2]! << 8) | s[i * 4 + 3]!;
      }
      k[4] = 1;
      acc.src6.add(k);
    }
    const proto = rec.proto;
    if ((proto === 6 || proto === 17) && rec.dstPort >= 0) {
      const pk = ((proto === 6 ? 0 : 1) << 16) | rec.dstPort;
      let isNew: boolean;
      if (v === 4) {
        isNew = acc.portSrc4.add(rec.src4, pk + 1);
      } else {
        k[4] = pk + 1;
        isNew = acc.portSrc6.add(k);
      }
      acc.ports.add(pk, isNew ? 1 : 0);
    }
    if (proto === 6) {
      const f = rec.tcpFlags;
      if (f >= 0) {
        if (f & 0x02) {
          if (f & 0x10) acc.synAck++;
          else acc.syn++;
        }
        if (f & 0x04) acc.rst++;
      }
      const w = rec.tcpWindow;
      if (w >= 0) acc.windows.add(w);
    }
  }

  /** The per-day counts in output order. */
  dayStats(): Record<string, DayStats> {
    const out: Record<string, DayStats> = {};
    for (const day of [...this.days.keys()].sort((a, b) => a - b)) {
      const acc = this.days.get(day)!;
      const ports = acc.ports.entries().map(([pk, packets, sources]) => ({
        key: `${pk >> 16 === 0 ? 'tcp' : 'udp'}/${pk & 0xffff}`,
        packets,
        sources,
      }));
      ports.sort((a, b) => b.packets - a.packets || compareText(a.key, b.key));
      const portsOut: Record<string, PortStats> = {};
      for (const p of ports) portsOut[p.key] = { packets: p.packets, sources: p.sources };
      const windows: Record<string, number> = {};
      for (const [w, n] of acc.windows.entries().sort((a, b) => a[0] - b[0]))
        windows[String(w)] = n;
      out[dayKey(day)] = {
        packets: acc.packets,
        sources: acc.src4.size + acc.src6.size,
        ports: portsOut,
        tcpFlags: { syn: acc.syn, synAck: acc.synAck, rst: acc.rst },
        tcpWindows: windows,
      };
    }
    return out;
  }
}

/** Builds the result of one read (also used for a file that could not be opened). */
export function inspectResult(
  file: string,
  read: CaptureResult | null,
  c: InspectCollector,
  ioError?: string,
): InspectResult {
  if (read === null) {
    return {
      file,
      ok: false,
      error: { message: ioError ?? 'cannot read file', record: 0, offset: 0 },
      format: null,
      compression: null,
      linkTypes: [],
      packets: 0,
      ipPackets: 0,
      nonIpPackets: 0,
      first: null,
      last: null,
      days: {},
    };
  }
  const has = read.packets > 0;
  return {
    file,
    ok: read.error === null,
    error: read.error,
    format: read.format,
    compression: read.compression,
    linkTypes: read.linkTypes,
    packets: c.packets,
    ipPackets: c.ipPackets,
    nonIpPackets: c.packets - c.ipPackets,
    first: has ? isoNanos(read.firstSec, read.firstNsec) : null,
    last: has ? isoNanos(read.lastSec, read.lastNsec) : null,
    days: c.dayStats(),
  };
}

/**
 * Inspects one capture file. Never throws for a bad or missing file: the problem is in
 * `error` (record 0, offset 0 for an I/O error such as a missing file). Other exceptions (e.g.
 * an abort) propagate.
 */
export async function inspectFile(path: string): Promise<InspectResult> {
  const c = new InspectCollector();
  let read: CaptureResult;
  try {
    read = await readCapture(path, (rec) => c.add(rec));
  } catch (e) {
    if (e instanceof CaptureIoError) return inspectResult(path, null, c, e.message);
    throw e;
  }
  return inspectResult(path, read, c);
}
