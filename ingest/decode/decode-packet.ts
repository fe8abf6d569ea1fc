/**
 * Link layer -> IP -> transport decoding of one captured frame into the reused PacketRecord.
 * The format layer fills the frame fields (frame, frameStart, capLen, linkType, time...); this
 * resets and fills the rest. No allocation, no closures: integer reads from the Uint8Array.
 *
 * Link layers follow what tshark 4.0 decodes as IP (checked against tshark; ingest/decode/README.md
 * lists them): the common ones are in link-layers.ts, 802.11 and its radio headers in wlan.ts,
 * Juniper's in juniper.ts, Wireshark's exported PDUs in exported-pdu.ts. Anything else is a non-IP record (ipVersion 0).
 */
import { le16, le32, u16, u32 } from './bytes';
import { decodeErf } from './erf';
import { decodeExportedPdu } from './exported-pdu';
import { decodeFrameRelay } from './frame-relay';
import { decodeGfp } from './gfp';
import { decodeIPv6, decodeIp } from './ip';
import { decodeJuniper } from './juniper';
import {
  decodeChdlc,
  decodeEthernet,
  decodeEtherType,
  decodeFamily,
  decodeFddi,
  decodeNflog,
  decodeNull,
  decodePflog,
  decodePpp,
  decodePppoe,
  decodeRaw,
  decodeTokenRing,
} from './link-layers';
import { decodeLinuxCookedPayload } from './linux-cooked';
import { decodeMpacket } from './mpackets';
import type { PacketRecord } from './packet-record';
import { decodeRedback } from './redback';
import { decodeSunAtm } from './sunatm';
import { decodeAvs, decodePrism, decodeRadiotap, decodeWlan } from './wlan';

/** Decode rec.frame[rec.frameStart .. + rec.capLen) according to rec.linkType. */
export function decodePacket(rec: PacketRecord): void {
  const d = rec.frame;
  const p = rec.frameStart;
  const end = p + rec.capLen;
  // Fast path: Ethernet II, IPv4 without options (total length set), not a later fragment, whole TCP (or UDP)
  // fixed header. Sets every per-packet field exactly once (no reset); anything else takes the
  // general path, and a test checks both paths agree.
  if (rec.linkType === 1 && end - p >= 42) {
    let v = rec.frameView;
    if (rec.frameViewOf !== d) {
      // The caller filled `frame` only: make the view once.
      v = new DataView(d.buffer, d.byteOffset, d.byteLength);
      rec.frameView = v;
      rec.frameViewOf = d;
    }
    const ip = p + 14;
    const w = v.getUint32(ip - 2); // ethertype, version/IHL, TOS
    const ihl = (w >> 6) & 0x3c;
    const ipLen = v.getUint16(ip + 2);
    if (
      w >>> 12 === 0x08004 &&
      ihl === 20 &&
      ipLen >= ihl &&
      (v.getUint16(ip + 6) & 0x1fff) === 0
    ) {
      const proto = d[ip + 9]!;
      let l4end = ip + ipLen;
      if (l4end > end) l4end = end;
      const q = ip + ihl;
      const n = l4end - q;
      if ((proto === 6 && n >= 16 && d[q + 12]! >= 0x50) || (proto === 17 && n >= 4)) {
        rec.ipVersion = 4;
        rec.ipLayer = 4;
        rec.src4 = v.getUint32(ip + 12);
        rec.dst4 = v.getUint32(ip + 16);
        rec.ipLen = ipLen;
        rec.ttl = d[ip + 8]!;
        rec.ipId = v.getUint16(ip + 4);
        rec.laterFragment = false;
        rec.proto = proto;
        rec.l4Start = q;
        rec.l4Len = n;
        rec.srcPort = v.getUint16(q);
        rec.dstPort = v.getUint16(q + 2);
        rec.icmpType = -1;
        rec.icmpCode = -1;
        if (proto === 6) {
          rec.tcpSeq = v.getUint32(q + 4);
          rec.tcpAck = v.getUint32(q + 8);
          rec.tcpOptionsLen = ((d[q + 12]! >> 4) - 5) << 2;
          rec.tcpFlags = d[q + 13]!;
          rec.tcpWindow = v.getUint16(q + 14);
        } else {
          rec.tcpSeq = -1;
          rec.tcpAck = -1;
          rec.tcpOptionsLen = -1;
          rec.tcpFlags = -1;
          rec.tcpWindow = -1;
        }
        return;
      }
    }
  }
  decodePacketGeneral(rec);
}

/** The general decoder (every link type and corner case); decodePacket's fast path agrees with it. */
export function decodePacketGeneral(rec: PacketRecord): void {
  rec.reset();
  decodeLinkLayer(rec, rec.frame, rec.frameStart, rec.frameStart + rec.capLen);
}

function decodeLinkLayer(
  rec: PacketRecord,
  d: Uint8Array,
  p: number,
  end: number,
  linkType = rec.linkType,
): void {
  switch (linkType) {
    case 1: // Ethernet
      decodeEthernet(rec, d, p, end);
      break;
    case 113: // Linux SLL
      if (end - p >= 16) {
        decodeLinuxCookedPayload(rec, d, u16(d, p + 2), u16(d, p + 14), p + 16, end);
      }
      break;
    case 276: // Linux SLL2
      if (end - p >= 20) {
        decodeLinuxCookedPayload(rec, d, u16(d, p + 8), u16(d, p), p + 20, end);
      }
      break;
    case 101: // LINKTYPE_RAW
    case 12: // DLT_RAW (OpenBSD...)
    case 14: // DLT_RAW (BSD/OS)
      decodeRaw(rec, d, p, end);
      break;
    case 228: // raw IPv4 (tshark's IPv4 dissector hands version 6 on to IPv6)
      decodeIp(rec, d, p, end);
      break;
    case 229: // raw IPv6
      decodeIPv6(rec, d, p, end);
      break;
    case 0: // BSD null: 4-byte family in the capturing host's byte order
      decodeNull(rec, d, p, end);
      break;
    case 108: // OpenBSD loop: 4-byte family in network byte order (never an ethertype)
      if (end - p >= 4 && u32(d, p) <= 1500) decodeFamily(rec, d, u32(d, p), p + 4, end);
      break;
    case 9: // PPP
    case 50: // PPP in HDLC-like framing
      decodePpp(rec, d, p, end);
      break;
    case 51: // PPPoE (PPP over Ethernet, session stage, without the Ethernet header)
      decodePppoe(rec, d, p, end);
      break;
    case 104: // Cisco HDLC
      decodeChdlc(rec, d, p, end);
      break;
    case 117: // OpenBSD pflog
      decodePflog(rec, d, p, end);
      break;
    case 239: // Linux NFLOG
      decodeNflog(rec, d, p, end);
      break;
    case 6: // IEEE 802.5 Token Ring
      decodeTokenRing(rec, d, p, end);
      break;
    case 10: // FDDI: frame control, two addresses; asynchronous LLC frames (FC 0x50-0x5f) only
      decodeFddi(rec, d, p, end);
      break;
    case 106: // Linux ATM Classical IP: the IP packet itself
    case 16: // ... as wiretap also reads the DLT values Linux ATM CLIP once used
    case 18:
    case 19:
      decodeIp(rec, d, p, end);
      break;
    case 274: // IEEE 802.3br mPackets: preamble, SMD, Ethernet, CRC
      decodeMpacket(rec, d, p, end);
      break;
    case 204: // PPP after a direction byte (the format layer refuses an empty record)
      decodePpp(rec, d, p + 1, end);
      break;
    case 170: // GFP-T and GFP-F (Generic Framing Procedure)
    case 171:
      decodeGfp(rec, d, p, end);
      break;
    case 32: // Redback SmartEdge: a header that says where the payload starts
      decodeRedback(rec, d, p, end);
      break;
    case 138: // Apple IP over IEEE 1394: two 8-byte addresses, an ethertype
      if (end - p >= 18) decodeEtherType(rec, d, u16(d, p + 16), p + 18, end, true);
      break;
    case 123: // SunATM: pseudo-header, then an AAL5 PDU
      decodeSunAtm(rec, d, p, end);
      break;
    case 109: // OpenBSD enc (IPsec): address family, SPI, flags, then the packet
    case 13: // OpenBSD's DLT_ENC, which wiretap maps to the same
      decodeEnc(rec, d, p, end);
      break;
    case 135: // Juniper ATM2
    case 137: // Juniper ATM1
    case 133: // Juniper GGSN
    case 136: // Juniper services PIC
    case 167: // Juniper PPPoE PIC
    case 178: // Juniper Ethernet
    case 179: // Juniper PPP
    case 180: // Juniper frame relay
    case 181: // Juniper Cisco HDLC
    case 183: // Juniper voice PIC
      decodeJuniper(rec, d, p, end, linkType);
      break;
    case 107: // frame relay
      decodeFrameRelay(rec, d, p, end);
      break;
    case 105: // IEEE 802.11
      decodeWlan(rec, d, p, end);
      break;
    case 127: // radiotap + 802.11
      decodeRadiotap(rec, d, p, end);
      break;
    case 119: // Prism + 802.11
      decodePrism(rec, d, p, end);
      break;
    case 163: // AVS + 802.11
      decodeAvs(rec, d, p, end);
      break;
    case 192: // PPI: a header (at least 8 bytes as tshark reads it), then any link type
      if (end - p >= 8) {
        const len = Math.max(8, le16(d, p + 2));
        const dlt = le32(d, p + 4);
        if (end - p >= len) decodeLinkLayer(rec, d, p + len, end, dlt);
      }
      break;
    case 252: // Wireshark's exported PDUs (Export PDUs, text2pcap -P)
      decodeExportedPdu(rec, d, p, end);
      break;
    case 197: // Endace ERF (DAG cards)
      decodeErf(rec, d, p, end);
      break;
    default:
      break;
  }
}

/**
 * OpenBSD enc: a 12-byte header whose address family tshark takes in either byte order:
 * 2 is IPv4 (read by tshark's IPv4 dissector), 24 IPv6; anything else is not IP.
 */
function decodeEnc(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 12) return;
  const v = u32(d, p);
  const af = v > 0xffff ? le32(d, p) : v;
  if (af === 2) decodeIp(rec, d, p + 12, end);
  else if (af === 24) decodeIPv6(rec, d, p + 12, end);
}
