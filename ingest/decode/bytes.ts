/** Integer reads from a frame, in both byte orders, and where the frame ends on the wire. */
import type { PacketRecord } from './packet-record';

export function u16(d: Uint8Array, p: number): number {
  return (d[p]! << 8) | d[p + 1]!;
}

export function u32(d: Uint8Array, p: number): number {
  return ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
}

export function le16(d: Uint8Array, p: number): number {
  return d[p]! | (d[p + 1]! << 8);
}

export function le32(d: Uint8Array, p: number): number {
  return (d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) >>> 0;
}

/**
 * Where the record's frame ends on the wire (its original length; the captured length when a
 * writer recorded a larger one): what tshark's "reported length" bounds, such as where a frame
 * check sequence sits.
 */
export function reportedEnd(rec: PacketRecord): number {
  return rec.frameStart + Math.max(rec.origLen, rec.capLen);
}
