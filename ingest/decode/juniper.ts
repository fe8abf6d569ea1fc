/**
 * Juniper encapsulations, as tshark 4.0 reads them: a common header ("MGC", a flags byte
 * and, with the extension flag, a 2-byte length of extension TLVs), then what the link type
 * carries. Without the magic (older JUNOS, tcprewrite --dlt=jnpr_eth) there is no header,
 * but the flags byte is still read. With the no-L2 flag a little-endian protocol word and the
 * packet replace the link header. tshark reads the extension TLVs, so a cut one is malformed
 * (not IP). Multilink and virtual-network captures are not decoded (non-IP).
 */
import { le16, u16 } from './bytes';
import { decodeFrameRelay } from './frame-relay';
import { decodeIPv6, decodeIp } from './ip';
import {
  decodeChdlc,
  decodeEthernet,
  decodeLlc,
  decodeMpls,
  decodeOsi,
  decodePppFromProtocol,
} from './link-layers';
import type { PacketRecord } from './packet-record';

const FLAG_PKT_IN = 0x01;
const FLAG_NO_L2 = 0x02;
const FLAG_EXT = 0x80;

/** tshark's JUNIPER_PROTO_* payload values that lead to IP. */
const PROTO_ETHER = 204;
const PROTO_IP = 2;

/**
 * The common header from p: the offset of what follows it, or -1 when the packet is done
 * (cut, or dispatched by its no-L2 protocol word). The flags byte (p + 3) is read with or
 * without the magic.
 */
function juniperHeader(rec: PacketRecord, d: Uint8Array, p: number, end: number): number {
  if (end - p < 4) return -1;
  const flags = d[p + 3]!;
  if (d[p] !== 0x4d || d[p + 1] !== 0x47 || d[p + 2] !== 0x43) return p;
  let q = p + 4;
  if (flags & FLAG_EXT) {
    if (end - p < 6) return -1;
    let left = u16(d, p + 4);
    q = p + 6 + left;
    let t = p + 6;
    while (left > 2) {
      if (end - t < 2) return -1;
      const len = d[t + 1]!;
      if (len === 0 || len > left - 2) break;
      if (len <= 4 && end - (t + 2) < len) return -1;
      t += 2 + len;
      left -= 2 + len;
    }
  }
  if ((flags & FLAG_NO_L2) === 0) return q;
  if (end - q < 4) return -1;
  // A 4-byte word, but tshark 4.0 keeps it in a byte: only the low (first) byte counts.
  const proto = d[q]!;
  juniperPayload(rec, d, proto, q + 4, end);
  return -1;
}

function juniperPayload(rec: PacketRecord, d: Uint8Array, proto: number, q: number, end: number) {
  // A payload offset past the captured bytes is an exception in tshark: no dissector runs.
  if (q > end) return;
  switch (proto) {
    case PROTO_IP:
    case 3: // MPLS_IP
      decodeIp(rec, d, q, end);
      break;
    case 6: // IP6
    case 7: // MPLS_IP6
      decodeIPv6(rec, d, q, end);
      break;
    case 4: // IP_MPLS
    case 5: // MPLS
    case 8: // IP6_MPLS
    case 32: // CLNP_MPLS
      decodeMpls(rec, d, q, end);
      break;
    case 10: // CLNP
    case 33: // MPLS_CLNP
    case 201: // ISO
      decodeOsi(rec, d, q, end);
      break;
    case 200: // PPP
      decodePppFromProtocol(rec, d, q, end);
      break;
    case 202: // LLC
    case 203: // LLC_SNAP
      decodeLlc(rec, d, q, end);
      break;
    case PROTO_ETHER:
      decodeEthernet(rec, d, q, end);
      break;
    case 208: // CHDLC
      decodeChdlc(rec, d, q, end);
      break;
    case 207: // FRELAY
      decodeFrameRelay(rec, d, q, end);
      break;
    default:
      break;
  }
}

/**
 * Link types 178 (Ethernet), 167 (PPPoE PIC: Ethernet), 179 (PPP: 2 bytes, then the PPP
 * protocol), 180 (frame relay), 181 (Cisco HDLC), 183 (voice PIC: IPv4 after 18 bytes), 136 (services PIC:
 * IPv4 after 16 bytes inbound, 12 outbound), 133 (GGSN: a little-endian protocol word, a
 * VLAN word, then the payload), 135 / 137 (ATM2 / ATM1: decodeJuniperAtm).
 */
export function decodeJuniper(
  rec: PacketRecord,
  d: Uint8Array,
  p: number,
  end: number,
  linkType: number,
): void {
  const q = juniperHeader(rec, d, p, end);
  if (q < 0) return;
  switch (linkType) {
    case 178:
    case 167:
      juniperPayload(rec, d, PROTO_ETHER, q, end);
      break;
    case 179:
      decodePppFromProtocol(rec, d, q + 2, end);
      break;
    case 181:
      decodeChdlc(rec, d, q, end);
      break;
    case 180:
      decodeFrameRelay(rec, d, q, end);
      break;
    case 183:
      juniperPayload(rec, d, PROTO_IP, q + 18, end);
      break;
    case 136:
      // The header read at least 4 bytes, so the flags byte is there.
      juniperPayload(rec, d, PROTO_IP, q + (d[p + 3]! & FLAG_PKT_IN ? 16 : 12), end);
      break;
    case 133:
      if (end - q >= 4) juniperPayload(rec, d, le16(d, q), q + 4, end);
      break;
    case 137: // ATM1
    case 135: // ATM2
      decodeJuniperAtm(rec, d, q, end, linkType === 135, d[p + 3]!);
      break;
    default:
      break;
  }
}

/** PPP protocols tshark's Juniper ATM dissector takes as a PPP header (ppp_heuristic_guess). */
const ATM_PPP_PROTOCOLS = new Set([
  0x0021, 0x0023, 0x003d, 0x0057, 0x0281, 0x0283, 0x8021, 0x8023, 0x8057, 0x8281, 0xc021, 0xc023,
  0xc223,
]);

/**
 * Juniper ATM1 / ATM2 PICs: a 4- or 8-byte cookie (tshark reads 8 bytes either way), no
 * payload for an OAM cell, then a guess from the first bytes: LLC (AA AA 03, FE FE 03);
 * on ATM2, Ethernet for an outbound cell with a gap count (the cookie's 4th byte & 0x3f),
 * then a PPP protocol; an OSI
 * NLPID after 03; IPv4 or IPv6 by the first byte (0x45-0x4f, 0x60-0x6f).
 */
function decodeJuniperAtm(
  rec: PacketRecord,
  d: Uint8Array,
  q: number,
  end: number,
  atm2: boolean,
  flags: number,
): void {
  if (end - q < 8) return;
  if (atm2 ? (d[q + 7]! & 0x70) !== 0 : d[q] === 0x80) return; // OAM cell
  const o = q + (atm2 ? 8 : 4);
  if (end - o < 3) return;
  const b0 = d[o]!;
  if ((b0 === 0xaa || b0 === 0xfe) && d[o + 1] === b0 && d[o + 2] === 0x03) {
    decodeLlc(rec, d, o, end);
  } else if (atm2 && (flags & FLAG_PKT_IN) === 0 && (d[q + 3]! & 0x3f) !== 0) {
    decodeEthernet(rec, d, o, end); // Ethernet over RFC 1483
  } else if (atm2 && ATM_PPP_PROTOCOLS.has(u16(d, o))) {
    decodePppFromProtocol(rec, d, o, end);
  } else if (b0 === 0x03) {
    decodeOsi(rec, d, o + 1, end);
  } else if (b0 >= 0x45 && b0 <= 0x4f) {
    decodeIp(rec, d, o, end);
  } else if (b0 >> 4 === 6) {
    decodeIPv6(rec, d, o, end);
  }
}
