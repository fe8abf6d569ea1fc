/**
 * Link layer -> IP -> transport decoding of one captured frame into the reused PacketRecord.
 * The format layer fills the frame fields (frame, frameStart, capLen, linkType, time...); this
 * resets and fills the rest. No allocation, no closures: integer reads from the Uint8Array.
 *
 * Link layers follow what tshark 4.0 decodes as IP (checked against tshark; ingest/decode/README.md):
 * Ethernet (802.1Q / 802.1ad / 0x9100 tags, 802.3 + LLC (SNAP, DSAP 06), MPLS, PPPoE session), Linux SLL and
 * SLL2, raw IP (101, 12, 14 by version nibble; 228 IPv4 or IPv6; 229 IPv6 only), BSD null (family
 * in either byte order, or an ethertype), OpenBSD loop (network order), PPP / PPP-in-HDLC,
 * PPPoE (51), Cisco HDLC, pflog, NFLOG, Token Ring and FDDI (802.2 LLC). Anything else is a non-IP record (ipVersion 0).
 */
import { decodeIPv4, decodeIPv6, decodeIp } from './ip';
import type { PacketRecord } from './packet-record';

function u16(d: Uint8Array, p: number): number {
  return (d[p]! << 8) | d[p + 1]!;
}

function u32(d: Uint8Array, p: number): number {
  return ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
}

/** Decode rec.frame[rec.frameStart .. + rec.capLen) according to rec.linkType. */
export function decodePacket(rec: PacketRecord): void {
  const d = rec.frame;
  const p = rec.frameStart;
  const end = p + rec.capLen;
  // Fast path: Ethernet II, IPv4 (total length set), not a later fragment, whole TCP (or UDP)
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
    if (w >>> 12 === 0x08004 && ihl >= 20 && ipLen >= ihl && (v.getUint16(ip + 6) & 0x1fff) === 0) {
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

function decodeLinkLayer(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  switch (rec.linkType) {
    case 1: // Ethernet
      decodeEthernet(rec, d, p, end);
      break;
    case 113: // Linux SLL
      if (end - p >= 16) {
        const hatype = u16(d, p + 2);
        if (hatype !== 824) decodeSllProtocol(rec, d, u16(d, p + 14), p + 16, end);
      }
      break;
    case 276: // Linux SLL2
      if (end - p >= 20) {
        const hatype = u16(d, p + 8);
        if (hatype !== 824) decodeSllProtocol(rec, d, u16(d, p), p + 20, end);
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
      if (end - p >= 13 && (d[p]! & 0xf0) === 0x50) decodeLlc(rec, d, p + 13, end);
      break;
    case 178: // Juniper Ethernet
      decodeJuniperEther(rec, d, p, end);
      break;
    case 252: // Wireshark's exported PDUs (Export PDUs, text2pcap -P)
      decodeExportedPdu(rec, d, p, end);
      break;
    default:
      break;
  }
}

/**
 * Token Ring: access control, frame control, two addresses, then LLC for LLC frames (FC type
 * 01). A set top bit of the source address announces a routing information field, whose
 * length is the low 5 bits of its first byte. tshark's Linux 2.0 workaround
 * (tr.fix_linux_botches) is off by default and not followed.
 */
/** Cisco HDLC: address, control, ethertype (0xfefe: a padding byte, then OSI). */
function decodeChdlc(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 4) return;
  if (u16(d, p + 2) === 0xfefe) decodeOsi(rec, d, p + 5, end);
  else decodeEtherType(rec, d, u16(d, p + 2), p + 4, end);
}

function decodeTokenRing(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 15 || (d[p + 1]! & 0xc0) !== 0x40) return;
  const rif = (d[p + 8]! & 0x80) !== 0 ? d[p + 14]! & 31 : 0;
  decodeLlc(rec, d, p + 14 + rif, end);
}

/** ASCII codes of the dissector names that carry IP (exported PDUs), by what follows. */
const EXPORTED_IPV4 = [105, 112]; // "ip"
const EXPORTED_IPV6 = [105, 112, 118, 54]; // "ipv6"
const EXPORTED_RAW = [114, 97, 119, 95, 105, 112]; // "raw_ip"
const EXPORTED_ETH = [101, 116, 104, 95]; // "eth_" + withoutfcs / maybefcs / withfcs
const ETH_SUFFIXES = ['withoutfcs', 'maybefcs', 'withfcs'].map((s) =>
  [...s].map((c) => c.charCodeAt(0)),
);

function nameIs(d: Uint8Array, p: number, n: number, name: readonly number[], from = 0): boolean {
  if (n - from !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (d[p + from + i] !== name[i]) return false;
  return true;
}

/**
 * Exported PDUs (link type 252): big-endian (tag, length) TLVs up to the end tag 0 (whose
 * length is skipped too), then the PDU, handed to the dissector named by tag 12. Only the
 * names that lead to IP matter here; a table (tag 14) or heuristic (13) name, an unknown
 * name or TLVs past the captured bytes leave the packet non-IP, as in tshark.
 */
function decodeExportedPdu(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  let name = -1;
  let nameLen = 0;
  let tag: number;
  do {
    if (end - p < 4) return;
    tag = u16(d, p);
    const len = u16(d, p + 2);
    p += 4;
    if (end - p < len) return;
    if (tag === 12) {
      name = p;
      nameLen = d.subarray(p, p + len).indexOf(0);
      if (nameLen < 0) nameLen = len;
    } else if (tag === 13 || tag === 14) {
      name = -1;
    }
    p += len;
  } while (tag !== 0);
  if (name < 0) return;
  if (nameIs(d, name, nameLen, EXPORTED_IPV4)) decodeIp(rec, d, p, end);
  else if (nameIs(d, name, nameLen, EXPORTED_IPV6)) decodeIPv6(rec, d, p, end);
  else if (nameIs(d, name, nameLen, EXPORTED_RAW)) decodeRaw(rec, d, p, end);
  else if (nameLen > 4 && nameIs(d, name, 4, EXPORTED_ETH)) {
    const suffix = ETH_SUFFIXES.findIndex((s) => nameIs(d, name, nameLen, s, 4));
    // With a frame check sequence the frame's last 4 bytes (of its original length) are not payload.
    if (suffix === 2) {
      const frameEnd = rec.frameStart + Math.max(rec.origLen, rec.capLen);
      decodeEthernet(rec, d, p, Math.min(end, frameEnd - 4));
    } else if (suffix >= 0) decodeEthernet(rec, d, p, end);
  }
}

/**
 * Juniper Ethernet (link type 178): "MGC", a flags byte and, with the extension flag, a
 * 2-byte length of extension TLVs, then the Ethernet frame; without the magic (older JUNOS,
 * tcprewrite --dlt=jnpr_eth) the frame starts at once. With the no-L2 flag a little-endian
 * protocol word replaces the frame, dispatched as tshark 4.0 does (JUNIPER_PROTO_*): IPv4,
 * IPv6, MPLS, OSI (NLPID), PPP (from its protocol field), LLC, Ethernet, Cisco HDLC; frame
 * relay and the rest are not IP here. tshark reads the extension TLVs, so a cut one is
 * malformed (not IP).
 */
function decodeJuniperEther(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 4) return;
  if (d[p] !== 0x4d || d[p + 1] !== 0x47 || d[p + 2] !== 0x43) {
    decodeEthernet(rec, d, p, end);
    return;
  }
  const flags = d[p + 3]!;
  let q = p + 4;
  if (flags & 0x80) {
    if (end - p < 6) return;
    let left = u16(d, p + 4);
    q = p + 6 + left;
    let t = p + 6;
    while (left > 2) {
      if (end - t < 2) return;
      const len = d[t + 1]!;
      if (len === 0 || len > left - 2) break;
      if (len <= 4 && end - (t + 2) < len) return;
      t += 2 + len;
      left -= 2 + len;
    }
  }
  if ((flags & 0x02) === 0) {
    decodeEthernet(rec, d, q, end);
    return;
  }
  if (end - q < 4) return;
  const proto = d[q]! | (d[q + 1]! << 8) | (d[q + 2]! << 16) | (d[q + 3]! << 24);
  q += 4;
  switch (proto) {
    case 2: // IP
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
      decodeEtherType(rec, d, 0x8847, q, end);
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
    case 204: // ETHER
      decodeEthernet(rec, d, q, end);
      break;
    case 208: // CHDLC
      decodeChdlc(rec, d, q, end);
      break;
    default:
      break;
  }
}

function decodeEthernet(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 14) return;
  const type = u16(d, p + 12);
  if (type <= 1500) {
    decode8023(rec, d, type, p + 14, end);
    return;
  }
  decodeEtherType(rec, d, type, p + 14, end);
}

/** An 802.3 length field: the LLC payload ends there (the rest is padding or trailer). */
function decode8023(
  rec: PacketRecord,
  d: Uint8Array,
  length: number,
  q: number,
  end: number,
): void {
  decodeLlc(rec, d, q, Math.min(end, q + length));
}

/**
 * 802.2 LLC as tshark's dissector reads it. The control field is 1 byte for U frames and 2
 * for I and S frames; only information frames (I, or UI = 0x03 exactly) are handed on.
 * SNAP (DSAP and SSAP AA) with OUI 00-00-00 or 00-00-F8 carries an ethertype; DSAP 06
 * carries IP directly. Anything else (bridged frames, other SAPs) is not IP here.
 */
function decodeLlc(rec: PacketRecord, d: Uint8Array, q: number, end: number): void {
  if (end - q < 3) return;
  const control = d[q + 2]!;
  if ((control & 1) !== 0 && control !== 0x03) return;
  const h = q + 2 + ((control & 3) === 3 ? 1 : 2);
  if (d[q] === 0xaa && d[q + 1] === 0xaa) {
    if (end - h < 5 || d[h] !== 0 || d[h + 1] !== 0 || (d[h + 2] !== 0 && d[h + 2] !== 0xf8))
      return;
    decodeEtherType(rec, d, u16(d, h + 3), h + 5, end);
  } else if (d[q] === 0x06 && end > h) {
    decodeIp(rec, d, h, end);
  } else if (OSI_SAPS.has(d[q]!)) {
    decodeOsi(rec, d, h, end);
  }
}

/** LLC SAPs tshark hands to its OSI network-layer dissector (OSLAN 1-4, ISO network layer). */
const OSI_SAPS = new Set([0x14, 0x20, 0x34, 0x54, 0xfe]);

/**
 * tshark's OSI network layer: an NLPID byte, then IP (0xcc), IPv6 (0x8e) or PPP (0xcf) for
 * the non-OSI protocols it carries. Reached from LLC, PPP 0x0023, Cisco HDLC 0xfefe and
 * BSD AF_ISO (7).
 */
function decodeOsi(rec: PacketRecord, d: Uint8Array, q: number, end: number): void {
  if (end - q < 1) return;
  const nlpid = d[q]!;
  if (nlpid === 0xcc) decodeIp(rec, d, q + 1, end);
  else if (nlpid === 0x8e) decodeIPv6(rec, d, q + 1, end);
  else if (nlpid === 0xcf) decodePppFromProtocol(rec, d, q + 1, end);
}

function decodeEtherType(
  rec: PacketRecord,
  d: Uint8Array,
  type: number,
  q: number,
  end: number,
): void {
  // VLAN tags (802.1Q, 802.1ad, old QinQ), any depth.
  while (type === 0x8100 || type === 0x88a8 || type === 0x9100) {
    if (end - q < 4) return;
    type = u16(d, q + 2);
    q += 4;
  }
  if (type === 0x0800) {
    decodeIp(rec, d, q, end);
  } else if (type === 0x86dd) {
    decodeIPv6(rec, d, q, end);
  } else if (type === 0x8847 || type === 0x8848) {
    // MPLS: labels until bottom of stack, then IP by version nibble.
    for (;;) {
      if (end - q < 4) return;
      const bos = d[q + 2]! & 1;
      q += 4;
      if (bos) break;
    }
    if (end <= q) return;
    const v = d[q]! >> 4;
    if (v === 4) decodeIp(rec, d, q, end);
    else if (v === 6) decodeIPv6(rec, d, q, end);
  } else if (type === 0x8864) {
    // PPPoE session: ver/type, code, session id, length, then the PPP protocol.
    decodePppoe(rec, d, q, end);
  } else if (type <= 1500) {
    decode8023(rec, d, type, q, end);
  }
}

function decodeSllProtocol(
  rec: PacketRecord,
  d: Uint8Array,
  proto: number,
  q: number,
  end: number,
): void {
  if (proto === 0x0004) decodeLlc(rec, d, q, end);
  else if (proto > 1500) decodeEtherType(rec, d, proto, q, end);
}

/**
 * Raw IP as tshark's "raw" dissector reads it: PPP in HDLC framing (ff 03), an ISDN fake MAC
 * address before it, 10 zero bytes before IPv4, else IPv4 / IPv6 by the version nibble. Fewer
 * than 8 bytes are not decoded at all.
 */
function decodeRaw(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  const n = end - p;
  if (n < 2) return;
  if (d[p] === 0xff && d[p + 1] === 0x03) {
    decodePpp(rec, d, p, end);
    return;
  }
  if (n < 8) return;
  if (d[p + 6] === 0xff && d[p + 7] === 0x03) {
    decodePpp(rec, d, p + 6, end);
    return;
  }
  if (n >= 10) {
    let zero = true;
    for (let i = 0; i < 10; i++) {
      if (d[p + i] !== 0) {
        zero = false;
        break;
      }
    }
    if (zero) {
      decodeIp(rec, d, p + 10, end);
      return;
    }
  }
  const v = d[p]! >> 4;
  if (v === 4) decodeIPv4(rec, d, p, end);
  else if (v === 6) decodeIPv6(rec, d, p, end);
}

function decodeFamily(
  rec: PacketRecord,
  d: Uint8Array,
  family: number,
  q: number,
  end: number,
): void {
  if (family === 2) {
    decodeIp(rec, d, q, end);
  } else if (family === 24 || family === 28 || family === 30) {
    decodeIPv6(rec, d, q, end);
  } else if (family === 7) {
    decodeOsi(rec, d, q, end);
  } else if (family > 1500 && family <= 0xffff) {
    decodeEtherType(rec, d, family, q, end);
  }
}

function decodeNull(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 4) return;
  if (d[p] === 0xff && d[p + 1] === 0x03) {
    decodePpp(rec, d, p, end);
    return;
  }
  // Read as little-endian; a value with bits in the upper half was written big-endian.
  let family = (d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) >>> 0;
  if (family > 0xffff) family = u32(d, p);
  decodeFamily(rec, d, family, p + 4, end);
}

/**
 * PPPoE session header (6 bytes), then a PPP protocol field (compressed to 1 byte when odd).
 * The header's payload length bounds the PPP frame (tshark cuts it there); a Credits tag
 * (0x0106, RFC 5578) before the PPP protocol takes 8 bytes.
 */
function decodePppoe(rec: PacketRecord, d: Uint8Array, q: number, end: number): void {
  if (end - q < 7) return;
  const e = Math.min(end, q + 6 + u16(d, q + 4));
  let credits = 0;
  if (end - q >= 8 && u16(d, q + 6) === 0x0106) {
    // tshark reads the tag's value (FCN and BCN when 4 bytes long) and stops at a value
    // that runs past the frame.
    if (end - q < 10 || q + 10 + u16(d, q + 8) > end) return;
    credits = 8;
  }
  decodePppFromProtocol(rec, d, q + 6 + credits, e);
}

/** PPP (HDLC-like framing): an 0xff address byte means address + control (2 bytes) come first. */
function decodePpp(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  let q = p;
  if (end - q >= 1 && d[q] === 0xff) q += 2;
  decodePppFromProtocol(rec, d, q, end);
}

function decodePppFromProtocol(rec: PacketRecord, d: Uint8Array, q: number, end: number): void {
  if (end - q < 1) return;
  let proto = d[q]!;
  if (proto & 1) {
    q += 1; // protocol field compression: one byte
  } else {
    if (end - q < 2) return;
    proto = u16(d, q);
    q += 2;
  }
  decodePppProtocol(rec, d, proto, q, end);
}

function decodePppProtocol(
  rec: PacketRecord,
  d: Uint8Array,
  proto: number,
  q: number,
  end: number,
): void {
  if (proto === 0x0021) {
    decodeIp(rec, d, q, end);
  } else if (proto === 0x0057) {
    decodeIPv6(rec, d, q, end);
  } else if (proto === 0x0023) {
    decodeOsi(rec, d, q, end);
  }
}

/** OpenBSD pflog: header length (byte 0, padded to 4), address family (byte 1). */
function decodePflog(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 4) return;
  const hlen = (d[p]! + 3) & ~3;
  const af = d[p + 1]!;
  const q = p + hlen;
  if (hlen < 4 || q > end) return;
  if (af === 2) {
    decodeIp(rec, d, q, end);
  } else if (af === 24 || af === 28 || af === 30) {
    decodeIPv6(rec, d, q, end);
  }
}

/**
 * Linux NFLOG: 4-byte header (family, version, resource id) then TLVs whose length and type are
 * in the capturing host's byte order (guessed from the first TLV). Like tshark, the payload TLV
 * (type 9, possibly cut by the snap length) is dispatched on the hardware protocol of the packet
 * header TLV (type 1, an ethertype) when there is one, else on the family.
 */
function decodeNflog(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 8) return;
  const family = d[p]!;
  let q = p + 4;
  const l = d[q]! | (d[q + 1]! << 8);
  const le = (l >= 4 && l <= end - q) || !(u16(d, q) >= 4 && u16(d, q) <= end - q);
  let hwProto = -1;
  while (end - q >= 4) {
    const len = le ? d[q]! | (d[q + 1]! << 8) : u16(d, q);
    const type = (le ? d[q + 2]! | (d[q + 3]! << 8) : u16(d, q + 2)) & 0x7fff;
    if (len < 4) return;
    // A TLV longer than the packet on the wire is malformed (tshark stops there); one longer
    // than what was captured is just cut by the snap length.
    if (q + len > rec.frameStart + rec.origLen) return;
    if (type === 1 && len >= 6 && q + 6 <= end) {
      hwProto = u16(d, q + 4);
    } else if (type === 9) {
      const e = Math.min(q + len, end);
      if (hwProto > 0) decodeEtherType(rec, d, hwProto, q + 4, e);
      else if (family === 2) decodeIp(rec, d, q + 4, e);
      else if (family === 10) decodeIPv6(rec, d, q + 4, e);
      return;
    }
    q += (len + 3) & ~3;
  }
}
