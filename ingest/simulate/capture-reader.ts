/**
 * A minimal reader for the simulator's own output (a dev tool for the scenario checker,
 * not the ingest's reader): classic pcap in either byte order and resolution, and
 * pcapng Enhanced Packet Blocks (if_tsresol 6 or 9, little-endian sections). Decodes
 * Ethernet + IPv4 + TCP/UDP/ICMP into a reused record.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface SimplePacket {
  tsSec: number;
  tsNsec: number;
  src: number;
  dst: number;
  ttl: number;
  ipId: number;
  /** 6, 17, 1, or -1 for non-IPv4. */
  proto: number;
  srcPort: number;
  dstPort: number;
  flags: number;
  window: number;
  seq: number;
  icmpType: number;
  icmpCode: number;
  frameLen: number;
}

function newPacket(): SimplePacket {
  return {
    tsSec: 0,
    tsNsec: 0,
    src: 0,
    dst: 0,
    ttl: 0,
    ipId: 0,
    proto: -1,
    srcPort: -1,
    dstPort: -1,
    flags: -1,
    window: -1,
    seq: -1,
    icmpType: -1,
    icmpCode: -1,
    frameLen: 0,
  };
}

function decodeFrame(b: Uint8Array, off: number, len: number, p: SimplePacket): void {
  p.proto = -1;
  p.srcPort = p.dstPort = p.flags = p.window = p.seq = p.icmpType = p.icmpCode = -1;
  p.frameLen = len;
  if (len < 34 || b[off + 12] !== 0x08 || b[off + 13] !== 0x00) return;
  const ip = off + 14;
  if (b[ip]! >> 4 !== 4) return;
  const ihl = (b[ip]! & 15) * 4;
  p.ipId = (b[ip + 4]! << 8) | b[ip + 5]!;
  p.ttl = b[ip + 8]!;
  p.proto = b[ip + 9]!;
  p.src = ((b[ip + 12]! << 24) | (b[ip + 13]! << 16) | (b[ip + 14]! << 8) | b[ip + 15]!) >>> 0;
  p.dst = ((b[ip + 16]! << 24) | (b[ip + 17]! << 16) | (b[ip + 18]! << 8) | b[ip + 19]!) >>> 0;
  const t = ip + ihl;
  if (p.proto === 6 && t + 20 <= off + len) {
    p.srcPort = (b[t]! << 8) | b[t + 1]!;
    p.dstPort = (b[t + 2]! << 8) | b[t + 3]!;
    p.seq = ((b[t + 4]! << 24) | (b[t + 5]! << 16) | (b[t + 6]! << 8) | b[t + 7]!) >>> 0;
    p.flags = b[t + 13]!;
    p.window = (b[t + 14]! << 8) | b[t + 15]!;
  } else if (p.proto === 17 && t + 8 <= off + len) {
    p.srcPort = (b[t]! << 8) | b[t + 1]!;
    p.dstPort = (b[t + 2]! << 8) | b[t + 3]!;
  } else if (p.proto === 1 && t + 4 <= off + len) {
    p.icmpType = b[t]!;
    p.icmpCode = b[t + 1]!;
  }
}

/** Calls `fn` for every packet of a pcap or pcapng file (the record is reused). */
export function readCaptureFile(file: string, fn: (p: SimplePacket) => void): number {
  const buf = readFileSync(file);
  const b = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const p = newPacket();
  let count = 0;
  const magicLe = v.getUint32(0, true);
  if (magicLe === 0x0a0d0d0a) {
    let o = 0;
    let le = true;
    let nsRes = false;
    while (o + 12 <= b.length) {
      const type = v.getUint32(o, le);
      if (type === 0x0a0d0d0a) le = v.getUint32(o + 8, true) === 0x1a2b3c4d;
      const total = v.getUint32(o + 4, le);
      if (total < 12 || o + total > b.length) throw new Error(`${file}: bad pcapng block at ${o}`);
      if (type === 1) {
        // IDB options: look for if_tsresol (9).
        let q = o + 16;
        while (q + 4 <= o + total - 4) {
          const code = v.getUint16(q, le);
          const olen = v.getUint16(q + 2, le);
          if (code === 0) break;
          if (code === 9) nsRes = b[q + 4] === 9;
          q += 4 + ((olen + 3) & ~3);
        }
      } else if (type === 6) {
        const hi = v.getUint32(o + 12, le);
        const lo = v.getUint32(o + 16, le);
        const cap = v.getUint32(o + 20, le);
        const ticks = BigInt(hi) * 4294967296n + BigInt(lo);
        const per = nsRes ? 1_000_000_000n : 1_000_000n;
        p.tsSec = Number(ticks / per);
        p.tsNsec = Number(ticks % per) * (nsRes ? 1 : 1000);
        decodeFrame(b, o + 28, cap, p);
        fn(p);
        count++;
      }
      o += total;
    }
    return count;
  }
  let le: boolean;
  let ns: boolean;
  if (magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d) {
    le = true;
    ns = magicLe === 0xa1b23c4d;
  } else {
    const be = v.getUint32(0, false);
    if (be !== 0xa1b2c3d4 && be !== 0xa1b23c4d) throw new Error(`${file}: not a pcap file`);
    le = false;
    ns = be === 0xa1b23c4d;
  }
  let o = 24;
  while (o + 16 <= b.length) {
    const cap = v.getUint32(o + 8, le);
    if (o + 16 + cap > b.length) throw new Error(`${file}: truncated record at ${o}`);
    p.tsSec = v.getUint32(o, le);
    const frac = v.getUint32(o + 4, le);
    p.tsNsec = ns ? frac : frac * 1000;
    decodeFrame(b, o + 16, cap, p);
    fn(p);
    count++;
    o += 16 + cap;
  }
  return count;
}

/** Capture files under a simulate output directory (one level of sensor folders), sorted. */
export function listCaptureFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const sub = path.join(dir, e);
    if (!statSync(sub).isDirectory()) continue;
    for (const f of readdirSync(sub).sort()) {
      if (/\.pcap(ng)?$/.test(f)) out.push(path.join(sub, f));
    }
  }
  return out;
}
