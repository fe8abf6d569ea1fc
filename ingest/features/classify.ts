/**
 * Per-packet traffic class, computed once per packet: what a darknet sees is either a
 * probe (scan), a victim's answer to packets spoofed with our addresses (backscatter),
 * or something else. Integer-only, no allocation. The rules are in docs/FINGERPRINTS.md.
 */
import type { PacketRecord } from '../decode/packet-record';

// Module-local copies of the decode constants: under a CommonJS transpile (tsx), every
// use of an imported binding is a getter call on the module object.
const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ICMPV6 = 58;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;

export type PacketClass = 'scan' | 'backscatter' | 'other';

export const CLASS_SCAN = 0;
export const CLASS_BACKSCATTER = 1;
export const CLASS_OTHER = 2;
/** Class names by class number. */
export const CLASS_NAMES: readonly PacketClass[] = Object.freeze([
  'scan',
  'backscatter',
  'other',
] as const);

type ClassNumber = 0 | 1 | 2;

function table(scan: number[], backscatter: number[]): Uint8Array {
  const t = new Uint8Array(256).fill(CLASS_OTHER);
  for (const type of scan) t[type] = CLASS_SCAN;
  for (const type of backscatter) t[type] = CLASS_BACKSCATTER;
  return t;
}

/**
 * ICMPv4 types. Requests are probes: echo (8), timestamp (13), information (15),
 * address mask (17). Replies and errors are backscatter: echo reply (0), destination
 * unreachable (3), source quench (4), redirect (5), time exceeded (11), parameter
 * problem (12), timestamp reply (14), information reply (16), address mask reply (18).
 */
export const ICMP4_CLASS: Readonly<Uint8Array> = table(
  [8, 13, 15, 17],
  [0, 3, 4, 5, 11, 12, 14, 16, 18],
);

/**
 * ICMPv6 types. Echo request (128) is a probe; errors (1 unreachable, 2 packet too big,
 * 3 time exceeded, 4 parameter problem) and echo reply (129) are backscatter; neighbour
 * discovery, MLD and the rest are other.
 */
export const ICMP6_CLASS: Readonly<Uint8Array> = table([128], [1, 2, 3, 4, 129]);

/** UDP from DNS servers (53, any destination port): answers to spoofed queries. */
export const UDP_DNS_PORT = 53;
/** UDP from NTP servers (123) to a port other than 123: answers to spoofed client requests. */
export const UDP_NTP_PORT = 123;

export function classify(rec: PacketRecord): ClassNumber {
  if (rec.ipVersion === 0 || rec.laterFragment) return CLASS_OTHER;
  const proto = rec.proto;
  if (proto === PROTO_TCP) {
    const f = rec.tcpFlags;
    if (f < 0) return CLASS_OTHER;
    if ((f & TCP_RST) !== 0) return CLASS_BACKSCATTER;
    if ((f & TCP_ACK) !== 0) return (f & TCP_SYN) !== 0 ? CLASS_BACKSCATTER : CLASS_OTHER;
    // No ACK and no RST: never part of an established connection. SYN (with or without
    // ECN bits or FIN), NULL, FIN, XMAS and other odd flag sets are all probes.
    return CLASS_SCAN;
  }
  if (proto === PROTO_UDP) {
    const sport = rec.srcPort;
    if (sport < 0) return CLASS_OTHER;
    if (sport === UDP_DNS_PORT) return CLASS_BACKSCATTER;
    if (sport === UDP_NTP_PORT && rec.dstPort !== UDP_NTP_PORT) return CLASS_BACKSCATTER;
    return CLASS_SCAN;
  }
  if (proto === PROTO_ICMP) {
    const t = rec.icmpType;
    return t < 0 || t > 255 ? CLASS_OTHER : (ICMP4_CLASS[t] as ClassNumber);
  }
  if (proto === PROTO_ICMPV6) {
    const t = rec.icmpType;
    return t < 0 || t > 255 ? CLASS_OTHER : (ICMP6_CLASS[t] as ClassNumber);
  }
  return CLASS_OTHER;
}
