/**
 * Per source-day state, indexed by a dense host id. The fields touched by every
 * packet sit together in one 64-byte record (`hot`), the rest in a second record
 * (`cold`), so a packet costs about two cache lines, not one per field.
 */

/** Offsets in `hot` (Int32, HOT_STRIDE per host). */
export const PACKETS = 0;
export const BYTES_LO = 1; // bytes = BYTES_HI * 2^30 + BYTES_LO
export const BYTES_HI = 2;
export const FIRST_SEC = 3; // seconds relative to HostColumns.baseSec
export const FIRST_NSEC = 4;
export const LAST_SEC = 5;
export const LAST_NSEC = 6;
export const TTL_CAND = 7; // Boyer-Moore majority vote: candidate and balance
export const TTL_VOTES = 8;
export const WIN_CAND = 9;
export const WIN_VOTES = 10;
export const SCAN = 11;
export const BACKSCATTER = 12;
export const SYN = 13;
export const SYN_ACK = 14;
export const RST = 15;
export const HOT_STRIDE = 16;

/** Offsets in `cold` (Int32, COLD_STRIDE per host). */
export const ACK = 0;
export const OTHER_TCP = 1;
export const UDP = 2;
export const ICMP = 3;
export const FINGERPRINTS = 4;
export const DAY = 5;
export const V6 = 6; // index into the file's IPv6 address list, -1 for IPv4
export const COUNTRY = 7;
export const COLD_STRIDE = 8;

/** A tiny HyperLogLog per host for distinct destinations (one byte per register). */
export const DST_REGISTERS = 32;

export const BYTES_UNIT = 2 ** 30;

export class HostColumns {
  capacity: number;
  count = 0;
  /** Whole seconds that FIRST_SEC/LAST_SEC are relative to (set by the first packet). */
  baseSec = Number.NaN;
  hot: Int32Array;
  cold: Int32Array;
  src4: Uint32Array;
  asn: Uint32Array;
  dstRegs: Uint8Array;

  constructor(initialCapacity = 1 << 12) {
    this.capacity = initialCapacity;
    this.hot = new Int32Array(initialCapacity * HOT_STRIDE);
    this.cold = new Int32Array(initialCapacity * COLD_STRIDE);
    this.src4 = new Uint32Array(initialCapacity);
    this.asn = new Uint32Array(initialCapacity);
    this.dstRegs = new Uint8Array(initialCapacity * DST_REGISTERS);
  }

  add(): number {
    if (this.count === this.capacity) this.grow();
    return this.count++;
  }

  packets(h: number): number {
    return this.hot[h * HOT_STRIDE + PACKETS]! >>> 0;
  }

  bytes(h: number): number {
    const o = h * HOT_STRIDE;
    return this.hot[o + BYTES_HI]! * BYTES_UNIT + this.hot[o + BYTES_LO]!;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const grow32 = (a: Int32Array, stride: number): Int32Array => {
      const b = new Int32Array(cap * stride);
      b.set(a);
      return b;
    };
    this.hot = grow32(this.hot, HOT_STRIDE);
    this.cold = grow32(this.cold, COLD_STRIDE);
    const src4 = new Uint32Array(cap);
    src4.set(this.src4);
    this.src4 = src4;
    const asn = new Uint32Array(cap);
    asn.set(this.asn);
    this.asn = asn;
    const regs = new Uint8Array(cap * DST_REGISTERS);
    regs.set(this.dstRegs);
    this.dstRegs = regs;
    this.capacity = cap;
  }
}

/** Estimate of a host's distinct destinations from its registers (HLL with linear counting). */
export function estimateDistinct(regs: Uint8Array, offset: number): number {
  const m = DST_REGISTERS;
  let zeros = 0;
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const r = regs[offset + i]!;
    if (r === 0) zeros++;
    sum += 2 ** -r;
  }
  const alpha = 0.697;
  const raw = (alpha * m * m) / sum;
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  return Math.round(raw);
}
