/**
 * Deterministic byte mutations of a capture's packet data, for differential tests against
 * tshark. Only bytes inside packet records change (the first 64 of each, where the link,
 * IP and transport headers are), never a record or block header, so a mutated file is an
 * intact capture of malformed packets. Classic pcap and little-endian pcapng sections.
 */
import { rng } from '../support/aggregates';

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xa1b23c4d]);

function mutateData(b: Buffer, start: number, len: number, rnd: () => number): void {
  const flips = 1 + Math.floor(rnd() * 6);
  for (let k = 0; k < flips && len > 0; k++) {
    b[start + Math.floor(rnd() * Math.min(len, 64))] = Math.floor(rnd() * 256);
  }
}

/** A mutated copy, or null for a format this does not walk (big-endian files). */
export function mutateCapture(src: Buffer, seed: number): Buffer | null {
  const b = Buffer.from(src);
  const rnd = rng(seed);
  if (b.length >= 24 && PCAP_MAGICS.has(b.readUInt32LE(0))) {
    let o = 24;
    while (o + 16 <= b.length) {
      const cap = b.readUInt32LE(o + 8);
      if (o + 16 + cap > b.length) break;
      mutateData(b, o + 16, cap, rnd);
      o += 16 + cap;
    }
    return b;
  }
  if (b.length >= 12 && b.readUInt32LE(0) === 0x0a0d0d0a && b.readUInt32LE(8) === 0x1a2b3c4d) {
    let o = 0;
    while (o + 12 <= b.length) {
      const type = b.readUInt32LE(o);
      const len = b.readUInt32LE(o + 4);
      if (len < 12 || o + len > b.length) break;
      if (type === 0x0a0d0d0a && b.readUInt32LE(o + 8) !== 0x1a2b3c4d) break;
      if (type === 6 && len >= 32)
        mutateData(b, o + 28, Math.min(b.readUInt32LE(o + 20), len - 32), rnd);
      o += len;
    }
    return b;
  }
  return null;
}
