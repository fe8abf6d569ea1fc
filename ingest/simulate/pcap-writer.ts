/**
 * Streaming capture writers: classic pcap (microsecond or nanosecond magic) and pcapng
 * (one section, one Ethernet interface, Enhanced Packet Blocks). Little-endian, as
 * written by tcpdump/dumpcap on x86. Records go through a fixed write buffer that is
 * flushed with synchronous writes: a file is never held in memory whole.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export type TsResolution = 'us' | 'ns';

export const LINKTYPE_ETHERNET = 1;
const DEFAULT_BUFFER = 1 << 20;

export interface CaptureWriter {
  /** Appends one frame: capture time as whole UTC seconds plus nanoseconds. */
  write(tsSec: number, tsNsec: number, frame: Uint8Array, len: number): void;
  /** Flushes and closes the file. */
  close(): void;
  readonly packets: number;
  /** Bytes written to the file so far (headers included), counting the buffered tail. */
  readonly bytes: number;
}

/** A file descriptor behind a fixed-size buffer with a DataView for little-endian fields. */
class BufferedFile {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos = 0;
  flushed = 0;
  private fd: number;

  constructor(path: string, size: number, shared?: Uint8Array) {
    this.buf = shared ?? new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
    this.fd = openSync(path, 'w');
  }

  /** Makes room for `n` contiguous bytes (n must not exceed the buffer size). */
  reserve(n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
  }

  flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.flushed += this.pos;
    this.pos = 0;
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}

export interface PcapOptions {
  resolution?: TsResolution;
  snaplen?: number;
  linkType?: number;
  bufferSize?: number;
  /** A write buffer to use (e.g. shared by files written one after another). */
  buffer?: Uint8Array;
}

/** Classic libpcap format: 24-byte global header, 16-byte record headers. */
export class PcapWriter implements CaptureWriter {
  packets = 0;
  private readonly file: BufferedFile;
  private readonly ns: boolean;
  private readonly snaplen: number;

  constructor(path: string, opts: PcapOptions = {}) {
    this.ns = opts.resolution === 'ns';
    this.snaplen = opts.snaplen ?? 262144;
    this.file = new BufferedFile(
      path,
      Math.max(opts.bufferSize ?? DEFAULT_BUFFER, 1 << 16),
      opts.buffer,
    );
    const f = this.file;
    const v = f.view;
    v.setUint32(0, this.ns ? 0xa1b23c4d : 0xa1b2c3d4, true);
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setInt32(8, 0, true);
    v.setUint32(12, 0, true);
    v.setUint32(16, this.snaplen, true);
    v.setUint32(20, opts.linkType ?? LINKTYPE_ETHERNET, true);
    f.pos = 24;
  }

  get bytes(): number {
    return this.file.flushed + this.file.pos;
  }

  write(tsSec: number, tsNsec: number, frame: Uint8Array, len: number): void {
    const f = this.file;
    const cap = Math.min(len, this.snaplen);
    f.reserve(16 + cap);
    const o = f.pos;
    const v = f.view;
    v.setUint32(o, tsSec >>> 0, true);
    v.setUint32(o + 4, this.ns ? tsNsec : Math.floor(tsNsec / 1000), true);
    v.setUint32(o + 8, cap, true);
    v.setUint32(o + 12, len, true);
    f.buf.set(frame.subarray(0, cap), o + 16);
    f.pos = o + 16 + cap;
    this.packets++;
  }

  close(): void {
    this.file.close();
  }
}

export interface PcapngOptions {
  resolution?: TsResolution;
  snaplen?: number;
  linkType?: number;
  bufferSize?: number;
  /** A write buffer to use (e.g. shared by files written one after another). */
  buffer?: Uint8Array;
  /** if_name of the single interface (e.g. the sensor name). */
  interfaceName?: string;
  /** if_description (e.g. the monitored prefix). */
  interfaceDescription?: string;
  /** shb_userappl. */
  application?: string;
}

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;

/** pcapng: one Section Header Block, one Interface Description Block, then EPBs. */
export class PcapngWriter implements CaptureWriter {
  packets = 0;
  private readonly file: BufferedFile;
  private readonly ns: boolean;
  private readonly snaplen: number;

  constructor(path: string, opts: PcapngOptions = {}) {
    this.ns = opts.resolution === 'ns';
    this.snaplen = opts.snaplen ?? 262144;
    this.file = new BufferedFile(
      path,
      Math.max(opts.bufferSize ?? DEFAULT_BUFFER, 1 << 16),
      opts.buffer,
    );
    const shbOpts: Array<[number, Uint8Array]> = [];
    if (opts.application) shbOpts.push([4, utf8(opts.application)]);
    this.block(SHB, 16, shbOpts, (v, o) => {
      v.setUint32(o, 0x1a2b3c4d, true);
      v.setUint16(o + 4, 1, true);
      v.setUint16(o + 6, 0, true);
      // Section length unknown (-1), as a streaming writer must say.
      v.setInt32(o + 8, -1, true);
      v.setInt32(o + 12, -1, true);
    });
    const idbOpts: Array<[number, Uint8Array]> = [];
    if (opts.interfaceName) idbOpts.push([2, utf8(opts.interfaceName)]);
    if (opts.interfaceDescription) idbOpts.push([3, utf8(opts.interfaceDescription)]);
    // if_tsresol: 6 (microseconds, the default) or 9 (nanoseconds).
    idbOpts.push([9, Uint8Array.of(this.ns ? 9 : 6)]);
    this.block(IDB, 8, idbOpts, (v, o) => {
      v.setUint16(o, opts.linkType ?? LINKTYPE_ETHERNET, true);
      v.setUint16(o + 2, 0, true);
      v.setUint32(o + 4, this.snaplen, true);
    });
  }

  get bytes(): number {
    return this.file.flushed + this.file.pos;
  }

  private block(
    type: number,
    bodyLen: number,
    options: Array<[number, Uint8Array]>,
    body: (v: DataView, o: number) => void,
  ): void {
    let optLen = 0;
    for (const [, val] of options) optLen += 4 + pad4(val.length);
    if (optLen > 0) optLen += 4; // opt_endofopt
    const total = 12 + bodyLen + optLen;
    const f = this.file;
    f.reserve(total);
    const v = f.view;
    let o = f.pos;
    v.setUint32(o, type, true);
    v.setUint32(o + 4, total, true);
    body(v, o + 8);
    o += 8 + bodyLen;
    for (const [code, val] of options) {
      v.setUint16(o, code, true);
      v.setUint16(o + 2, val.length, true);
      f.buf.fill(0, o + 4, o + 4 + pad4(val.length));
      f.buf.set(val, o + 4);
      o += 4 + pad4(val.length);
    }
    if (optLen > 0) {
      v.setUint32(o, 0, true);
      o += 4;
    }
    v.setUint32(o, total, true);
    f.pos = o + 4;
  }

  write(tsSec: number, tsNsec: number, frame: Uint8Array, len: number): void {
    const f = this.file;
    const cap = Math.min(len, this.snaplen);
    const padded = pad4(cap);
    const total = 32 + padded;
    f.reserve(total);
    const v = f.view;
    const o = f.pos;
    // Timestamp in interface units (us or ns) as a 64-bit integer split high/low.
    let hi: number;
    let lo: number;
    if (this.ns) {
      [hi, lo] = splitTicks(tsSec, 1e9, tsNsec);
    } else {
      [hi, lo] = splitTicks(tsSec, 1e6, Math.floor(tsNsec / 1000));
    }
    v.setUint32(o, EPB, true);
    v.setUint32(o + 4, total, true);
    v.setUint32(o + 8, 0, true);
    v.setUint32(o + 12, hi, true);
    v.setUint32(o + 16, lo, true);
    v.setUint32(o + 20, cap, true);
    v.setUint32(o + 24, len, true);
    f.buf.set(frame.subarray(0, cap), o + 28);
    if (padded > cap) f.buf.fill(0, o + 28 + cap, o + 28 + padded);
    v.setUint32(o + 28 + padded, total, true);
    f.pos = o + total;
    this.packets++;
  }

  close(): void {
    this.file.close();
  }
}

const TWO32 = 4294967296;

/**
 * sec * perSec + frac as a 64-bit integer split into high and low 32-bit words, exactly
 * (sec * 1e9 exceeds 2^53, so the product is built from 16-bit halves).
 */
export function splitTicks(sec: number, perSec: number, frac: number): [number, number] {
  const a = Math.floor(sec / 65536) * perSec; // < 2^16 * 1e9 < 2^46
  const l = (sec % 65536) * perSec + frac; // < 2^47
  const aHi = Math.floor(a / 65536);
  const aLo = (a % 65536) * 65536;
  let lo = aLo + (l % TWO32);
  let hi = aHi + Math.floor(l / TWO32);
  if (lo >= TWO32) {
    lo -= TWO32;
    hi += 1;
  }
  return [hi, lo];
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
