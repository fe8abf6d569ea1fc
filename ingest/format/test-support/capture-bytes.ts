/**
 * Byte-level builders for capture files no tool writes on demand: big-endian pcap and pcapng,
 * odd magics and versions, if_tsoffset, power-of-2 if_tsresol, several sections, truncations,
 * bad lengths. Test support only (BigInt is fine here).
 */

export class Bytes {
  private parts: number[] = [];
  constructor(readonly bigEndian = false) {}
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    const a = [(v >>> 8) & 0xff, v & 0xff];
    this.parts.push(...(this.bigEndian ? a : a.reverse()));
    return this;
  }
  u32(v: number): this {
    const a = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    this.parts.push(...(this.bigEndian ? a : a.reverse()));
    return this;
  }
  u64(v: bigint): this {
    const x = BigInt.asUintN(64, v);
    const hi = Number(x >> 32n);
    const lo = Number(x & 0xffffffffn);
    return this.bigEndian ? this.u32(hi).u32(lo) : this.u32(lo).u32(hi);
  }
  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]! & 0xff);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4 !== 0) this.parts.push(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return concatList(parts);
}

export function concatList(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// ------------------------------------------------------------------ classic pcap

export interface PcapFileOptions {
  magic?: number;
  bigEndian?: boolean;
  versionMajor?: number;
  versionMinor?: number;
  snaplen?: number;
  /** The full 32-bit "network" field (link type + FCS / reserved bits). */
  linkType?: number;
  /** Extra bytes after the 24-byte header (Ixia magics carry 4). */
  extraHeader?: Uint8Array;
}

export interface PcapRecordSpec {
  sec: number;
  /** Microseconds or nanoseconds, as the magic says. */
  frac: number;
  data: Uint8Array;
  /** Defaults to data.length. */
  origLen?: number;
  /** Overrides the captured length field (to make bad files). */
  capLenField?: number;
  /** Modified-pcap extra record header bytes (8). */
  extra?: Uint8Array;
}

export function pcapHeader(o: PcapFileOptions = {}): Uint8Array {
  const b = new Bytes(o.bigEndian ?? false);
  b.u32(o.magic ?? 0xa1b2c3d4)
    .u16(o.versionMajor ?? 2)
    .u16(o.versionMinor ?? 4)
    .u32(0)
    .u32(0)
    .u32(o.snaplen ?? 262144)
    .u32(o.linkType ?? 1);
  if (o.extraHeader) b.raw(o.extraHeader);
  return b.bytes();
}

export function pcapRecord(r: PcapRecordSpec, bigEndian = false): Uint8Array {
  const b = new Bytes(bigEndian);
  b.u32(r.sec)
    .u32(r.frac)
    .u32(r.capLenField ?? r.data.length)
    .u32(r.origLen ?? r.data.length);
  if (r.extra) b.raw(r.extra);
  b.raw(r.data);
  return b.bytes();
}

export function pcapFile(records: PcapRecordSpec[], o: PcapFileOptions = {}): Uint8Array {
  return concatList([pcapHeader(o), ...records.map((r) => pcapRecord(r, o.bigEndian ?? false))]);
}

// ------------------------------------------------------------------ pcapng

export interface PcapngOption {
  code: number;
  value: Uint8Array;
}

export class PcapngWriter {
  private blocks: Uint8Array[] = [];
  constructor(public bigEndian = false) {}

  private opts(b: Bytes, options: PcapngOption[] | undefined, end = true): void {
    if (!options || options.length === 0) return;
    for (const o of options) {
      b.u16(o.code).u16(o.value.length).raw(o.value).pad4();
    }
    if (end) b.u16(0).u16(0);
  }

  /** A raw block: type, body (padded), lengths. `lengthField` / `trailerField` override. */
  block(
    type: number,
    body: Uint8Array,
    o: { lengthField?: number; trailerField?: number } = {},
  ): this {
    const padded = Math.ceil(body.length / 4) * 4;
    const len = 12 + padded;
    const b = new Bytes(this.bigEndian);
    b.u32(type)
      .u32(o.lengthField ?? len)
      .raw(body)
      .pad4()
      .u32(o.trailerField ?? o.lengthField ?? len);
    this.blocks.push(b.bytes());
    return this;
  }

  /** Section header; switches this writer's byte order to `bigEndian` for what follows. */
  shb(
    o: { bigEndian?: boolean; major?: number; minor?: number; options?: PcapngOption[] } = {},
  ): this {
    if (o.bigEndian !== undefined) this.bigEndian = o.bigEndian;
    const b = new Bytes(this.bigEndian);
    b.u32(0x1a2b3c4d)
      .u16(o.major ?? 1)
      .u16(o.minor ?? 0)
      .u64(-1n);
    this.opts(b, o.options);
    return this.block(0x0a0d0d0a, b.bytes());
  }

  idb(
    linkType: number,
    o: { snaplen?: number; tsresol?: number; tsoffset?: bigint; options?: PcapngOption[] } = {},
  ): this {
    const b = new Bytes(this.bigEndian);
    b.u16(linkType)
      .u16(0)
      .u32(o.snaplen ?? 0);
    const options: PcapngOption[] = [...(o.options ?? [])];
    if (o.tsresol !== undefined) options.push({ code: 9, value: Uint8Array.of(o.tsresol) });
    if (o.tsoffset !== undefined)
      options.push({ code: 14, value: new Bytes(this.bigEndian).u64(o.tsoffset).bytes() });
    this.opts(b, options);
    return this.block(1, b.bytes());
  }

  epb(
    ifid: number,
    ticks: bigint,
    data: Uint8Array,
    o: { origLen?: number; capLenField?: number; options?: PcapngOption[] } = {},
  ): this {
    const t = BigInt.asUintN(64, ticks);
    const b = new Bytes(this.bigEndian);
    b.u32(ifid)
      .u32(Number(t >> 32n))
      .u32(Number(t & 0xffffffffn))
      .u32(o.capLenField ?? data.length)
      .u32(o.origLen ?? data.length)
      .raw(data)
      .pad4();
    this.opts(b, o.options);
    return this.block(6, b.bytes());
  }

  /** Obsolete Packet Block (type 2). */
  pb(ifid: number, ticks: bigint, data: Uint8Array, o: { origLen?: number } = {}): this {
    const t = BigInt.asUintN(64, ticks);
    const b = new Bytes(this.bigEndian);
    b.u16(ifid)
      .u16(0)
      .u32(Number(t >> 32n))
      .u32(Number(t & 0xffffffffn))
      .u32(data.length)
      .u32(o.origLen ?? data.length)
      .raw(data);
    return this.block(2, b.bytes());
  }

  spb(data: Uint8Array, origLen = data.length): this {
    const b = new Bytes(this.bigEndian);
    b.u32(origLen).raw(data);
    return this.block(3, b.bytes());
  }

  isb(ifid: number): this {
    const b = new Bytes(this.bigEndian);
    b.u32(ifid).u32(0).u32(0);
    this.opts(b, [{ code: 4, value: new Bytes(this.bigEndian).u64(5n).bytes() }]);
    return this.block(5, b.bytes());
  }

  nrb(): this {
    const b = new Bytes(this.bigEndian);
    const name = new TextEncoder().encode('host.example\0');
    b.u16(1)
      .u16(4 + name.length)
      .raw([10, 0, 0, 1])
      .raw(name)
      .pad4()
      .u16(0)
      .u16(0);
    return this.block(4, b.bytes());
  }

  custom(copy = true): this {
    const b = new Bytes(this.bigEndian);
    b.u32(32473).raw([1, 2, 3, 4, 5]);
    return this.block(copy ? 0x00000bad : 0x40000bad, b.bytes());
  }

  raw(bytes: Uint8Array): this {
    this.blocks.push(bytes);
    return this;
  }

  bytes(): Uint8Array {
    return concatBytes(...this.blocks);
  }
}

/** Ticks for an interface resolution: seconds + nanoseconds -> ticks (exact, BigInt). */
export function ticksFor(sec: bigint, nsec: bigint, tsresol = 6): bigint {
  const exp = BigInt(tsresol & 0x7f);
  const perSec = tsresol & 0x80 ? 1n << exp : 10n ** exp;
  return sec * perSec + (nsec * perSec) / 1_000_000_000n;
}
