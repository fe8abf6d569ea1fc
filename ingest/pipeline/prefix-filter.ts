import { isIPv4 } from 'node:net';
import { canonicalIp, expandIPv6 } from '../../lib/api/ip';
import { formatIPv4, formatIPv6, parseIPv4 } from '../aggregate/ip-format';
import type { PacketRecord } from '../decode/packet-record';

/** One monitored block: IPv4 as masked integers, IPv6 as the network's bytes. */
export type Block =
  | { version: 4; base: number; mask: number; bits: number }
  | { version: 6; bytes: Uint8Array; bits: number };

/**
 * A CIDR block as a sensor's monitored prefix (`192.0.2.0/24`, `2001:db8:1::/48`), or
 * why it is not one, naming it (host bits set: the block it would be).
 */
export function parseBlock(text: string): Block | { error: string } {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  const bits = m ? Number(m[2]) : -1;
  const notBlock = {
    error: `'${text}' is not a CIDR block (a.b.c.d/n with n from 0 to 32, or an IPv6 block such as 2001:db8::/32)`,
  };
  if (!m) return notBlock;
  if (isIPv4(m[1]!)) {
    if (bits > 32) return notBlock;
    const address = parseIPv4(m[1]!)!;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const base = (address & mask) >>> 0;
    if (base !== address) {
      return { error: `'${text}' has host bits set (the block is ${formatIPv4(base)}/${bits})` };
    }
    return { version: 4, base, mask, bits };
  }
  const canonical = m[1]!.includes(':') ? canonicalIp(m[1]!) : null;
  if (canonical === null || bits > 128) return notBlock;
  const address = ipv6Bytes(canonical);
  const bytes = address.slice();
  for (let i = 0; i < 16; i++) bytes[i]! &= byteMask(bits, i);
  if (bytes.some((b, i) => b !== address[i])) {
    return { error: `'${text}' has host bits set (the block is ${formatIPv6(bytes)}/${bits})` };
  }
  return { version: 6, bytes, bits };
}

/** The block's text as stored: IPv6 in its RFC 5952 form. */
export function blockText(b: Block): string {
  return b.version === 4 ? `${formatIPv4(b.base)}/${b.bits}` : `${formatIPv6(b.bytes)}/${b.bits}`;
}

/**
 * A sensor's monitored prefixes (comma-separated, as stored) as a test of a packet's
 * destination: a darknet sensor's capture also holds what is not the telescope's (its
 * own management traffic, neighbours' broadcasts), and only packets to the monitored
 * blocks count. Null when the sensor has none: every packet counts. The stored text
 * was checked when it was set; a block that does not parse throws.
 */
export function prefixFilter(prefixes: string): ((rec: PacketRecord) => boolean) | null {
  const blocks = prefixes
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const b = parseBlock(p);
      if ('error' in b) throw new Error(`sensor prefixes: ${b.error}`);
      return b;
    });
  if (blocks.length === 0) return null;
  const v4 = blocks.filter((b) => b.version === 4);
  const bases = Uint32Array.from(v4, (b) => b.base);
  const masks = Uint32Array.from(v4, (b) => b.mask);
  const v6 = blocks.filter((b) => b.version === 6);
  return (rec) => {
    if (rec.ipVersion === 4) {
      const dst = rec.dst4;
      for (let i = 0; i < bases.length; i++) {
        if ((dst & masks[i]!) >>> 0 === bases[i]) return true;
      }
      return false;
    }
    return v6.some((b) => inBlock6(rec.dst6, b.bytes, b.bits));
  };
}

function inBlock6(address: Uint8Array, network: Uint8Array, bits: number): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    if ((address[i]! & byteMask(bits, i)) !== network[i]) return false;
  }
  return true;
}

/** The mask of byte `i` of a `bits`-long prefix. */
function byteMask(bits: number, i: number): number {
  const left = bits - i * 8;
  return left >= 8 ? 0xff : left <= 0 ? 0 : (0xff << (8 - left)) & 0xff;
}

/** The 16 bytes of a canonical IPv6 text (lib/api/ip.ts canonicalIp: hex groups only). */
function ipv6Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(16);
  expandIPv6(text).forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    bytes[2 * i] = n >> 8;
    bytes[2 * i + 1] = n & 0xff;
  });
  return bytes;
}
