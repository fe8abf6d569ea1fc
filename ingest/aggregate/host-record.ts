/**
 * One source host on one UTC day, as a fixed 128-byte record (32 Int32 words) in one
 * typed array: a packet touches two adjacent cache lines of its host, never a field
 * scattered in another array.
 */

export const PACKETS = 0;
export const BYTES_LO = 1; // bytes = BYTES_HI * 2^30 + BYTES_LO
export const BYTES_HI = 2;
export const FIRST_SEC = 3; // seconds since the start of the record's day
export const FIRST_NSEC = 4;
export const LAST_SEC = 5;
export const LAST_NSEC = 6;
export const TTL_CAND = 7; // Boyer-Moore majority votes: candidate, then balance
export const TTL_VOTES = 8;
export const WIN_CAND = 9;
export const WIN_VOTES = 10;
export const SEQ_CAND = 11; // TCP sequence number as int32 bits
export const SEQ_VOTES = 12;
export const SCAN = 13;
export const BACKSCATTER = 14;
export const SYN = 15;
export const SYN_ACK = 16;
export const RST = 17;
export const ACK = 18;
export const OTHER_TCP = 19;
export const UDP = 20;
export const ICMP = 21;
export const FINGERPRINTS = 22;
export const COUNTRY = 23; // index into the file's country list
export const ASN = 24; // uint32 bits
export const SRC = 25; // IPv4 address bits, or index into the file's IPv6 address list
export const IS_V6 = 26;
/** 32 four-bit HyperLogLog registers of distinct destinations, in 4 words. */
export const DST_REGS = 27;
export const STRIDE = 32;

export const BYTES_UNIT = 2 ** 30;
const DST_REGISTERS = 32;

/** Boyer-Moore majority vote: a[at] is the candidate, a[at + 1] its balance. */
export function vote(a: Int32Array, at: number, value: number): void {
  if (a[at] === value) a[at + 1]! += 1;
  else if (a[at + 1] === 0) {
    a[at] = value;
    a[at + 1] = 1;
  } else a[at + 1]! -= 1;
}

/** Adds a destination (a 32-bit value: the IPv4 address or a hash of the IPv6 one). */
export function addDestination(rec: Int32Array, o: number, dst: number): void {
  let x = Math.imul(dst ^ (dst >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  x ^= x >>> 16;
  const idx = x & (DST_REGISTERS - 1);
  const rank = Math.min(15, Math.clz32(x >>> 5) - 4);
  const at = o + DST_REGS + (idx >>> 3);
  const shift = (idx & 7) << 2;
  const word = rec[at]!;
  if (rank > ((word >>> shift) & 15)) rec[at] = (word & ~(15 << shift)) | (rank << shift);
}

/** Estimate of a record's distinct destinations (HyperLogLog with linear counting). */
export function distinctDestinations(rec: Int32Array, o: number): number {
  return estimateDestinations(destinationRegisters(rec, o));
}

/**
 * A record's destination registers as stored (daily_host.dst_registers): 16 bytes,
 * register i in byte i >> 1, low nibble first. Stored so that rows of one host from
 * several files (or parts of a file) merge to the estimate of one pass.
 */
export function destinationRegisters(rec: Int32Array, o: number): Uint8Array {
  const out = new Uint8Array(DST_REGISTERS / 2);
  for (let w = 0; w < DST_REGISTERS / 8; w++) {
    const word = rec[o + DST_REGS + w]!;
    for (let b = 0; b < 4; b++) out[w * 4 + b] = (word >>> (b * 8)) & 0xff;
  }
  return out;
}

/** Register-wise maximum of two register sets (the union of their destinations). */
export function mergeDestinationRegisters(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(DST_REGISTERS / 2);
  for (let i = 0; i < out.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    out[i] = Math.max(x & 15, y & 15) | (Math.max(x >>> 4, y >>> 4) << 4);
  }
  return out;
}

/** Distinct destinations estimated from stored registers (see destinationRegisters). */
export function estimateDestinations(regs: Uint8Array): number {
  const m = DST_REGISTERS;
  let zeros = 0;
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const r = ((regs[i >>> 1] ?? 0) >>> ((i & 1) << 2)) & 15;
    if (r === 0) zeros++;
    sum += 2 ** -r;
  }
  const raw = (0.697 * m * m) / sum;
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  return Math.round(raw);
}

export function bytesOf(rec: Int32Array, o: number): number {
  return rec[o + BYTES_HI]! * BYTES_UNIT + rec[o + BYTES_LO]!;
}

/** TCP packets of a record (every TCP packet is counted in exactly one flag lane). */
export function tcpPacketsOf(rec: Int32Array, o: number): number {
  return (
    (rec[o + SYN]! >>> 0) +
    (rec[o + SYN_ACK]! >>> 0) +
    (rec[o + RST]! >>> 0) +
    (rec[o + ACK]! >>> 0) +
    (rec[o + OTHER_TCP]! >>> 0)
  );
}
