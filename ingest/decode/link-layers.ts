/**
 * The link layers tshark 4.0 decodes as IP, each from its first byte to the end of the
 * captured frame (ingest/decode/README.md has the rules). Shared by decodePacket's general path
 * and the vendor encapsulations (juniper.ts, exported-pdu.ts).
 */
import { le16, le32, reportedEnd, u16, u32 } from './bytes';
import { decodeIPv4, decodeIPv6, decodeIp } from './ip';
import type { PacketRecord } from './packet-record';

/** Cisco HDLC: address, control, then a Cisco HDLC protocol type. */
export function decodeChdlc(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 4) return;
  decodeChdlcType(rec, d, u16(d, p + 2), p + 4, end);
}

/**
 * A Cisco HDLC protocol type (also frame relay's Cisco encapsulation). tshark's table is not
 * the ethertype one: of what leads to IP it holds IPv4, IPv6, MPLS, transparent Ethernet
 * bridging (0x6558) and OSI (0xfefe: a padding byte, then the NLPID); VLAN tags, PPPoE and
 * 802.3 lengths are not IP (checked over all 65536 values).
 */
export function decodeChdlcType(
  rec: PacketRecord,
  d: Uint8Array,
  type: number,
  q: number,
  end: number,
): void {
  if (type === 0x0800 || type === 0x86dd || type === 0x8847 || type === 0x8848) {
    decodeEtherType(rec, d, type, q, end);
  } else if (type === 0x6558) {
    decodeEthernet(rec, d, q, end);
  } else if (type === 0xfefe) {
    decodeOsi(rec, d, q + 1, end);
  }
}

/**
 * Token Ring: access control, frame control, two addresses, then LLC for LLC frames (FC type
 * 01). A set top bit of the source address announces a routing information field, whose
 * length is the low 5 bits of its first byte. tshark's Linux 2.0 workaround
 * (tr.fix_linux_botches) is off by default and not followed.
 */
export function decodeTokenRing(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 15 || (d[p + 1]! & 0xc0) !== 0x40) return;
  const rif = (d[p + 8]! & 0x80) !== 0 ? d[p + 14]! & 31 : 0;
  decodeLlc(rec, d, p + 14 + rif, end);
}

export function decodeEthernet(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 14) return;
  const type = u16(d, p + 12);
  if (type <= 1500) {
    if (isIslDestination(d, p)) decodeIsl(rec, d, p, type, end);
    else decode8023(rec, d, type, p + 14, end);
    return;
  }
  decodeEtherType(rec, d, type, p + 14, end);
}

/** tshark reads an 802.3 frame to 01-00-0C-00-00-xx or 0C-00-0C-00-00-xx as Cisco ISL. */
function isIslDestination(d: Uint8Array, p: number): boolean {
  const b = d[p];
  return (
    (b === 0x01 || b === 0x0c) &&
    d[p + 1] === 0 &&
    d[p + 2] === 0x0c &&
    d[p + 3] === 0 &&
    d[p + 4] === 0
  );
}

/**
 * Cisco ISL: a 26-byte header (its length field counts the bytes after it, 0 for all of
 * them), then for type 0 an Ethernet frame with its check sequence. Other types (Token
 * Ring, FDDI, ATM) are not decoded.
 */
function decodeIsl(rec: PacketRecord, d: Uint8Array, p: number, length: number, end: number): void {
  if (d[p + 5]! >> 4 !== 0) return;
  const frameEnd = length === 0 ? reportedEnd(rec) : p + 14 + length; // 0: to the end
  decodeEthernet(rec, d, p + 26, Math.min(end, frameEnd - 4));
}

/**
 * An Ethernet frame whose last 4 bytes on the wire are its check sequence (tshark still
 * reads the header, and hands on what follows it, when the frame is too short for both).
 */
export function decodeEthernetWithFcs(
  rec: PacketRecord,
  d: Uint8Array,
  p: number,
  end: number,
): void {
  decodeEthernet(rec, d, p, Math.min(end, Math.max(p + 14, reportedEnd(rec) - 4)));
}

/** An 802.3 length field: the LLC payload ends there (the rest is padding or trailer). */
export function decode8023(
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
 * SNAP (DSAP and SSAP AA) with OUI 00-00-00 or 00-00-F8 carries an ethertype, with 00-80-C2 a
 * bridged MAC frame (decodeBridged); DSAP 06 carries IP directly; DSAP 80 (3Com XNS) a 2-byte
 * ethertype. Anything else (other SAPs) is not IP here.
 */
export function decodeLlc(rec: PacketRecord, d: Uint8Array, q: number, end: number): void {
  if (end - q < 3) return;
  const control = d[q + 2]!;
  const h = q + 2 + xdlcControlLength(control);
  const information = (control & 1) === 0 || control === 0x03;
  if (d[q] === 0xaa && d[q + 1] === 0xaa) {
    // SNAP: a bridged frame whatever the control field; an ethertype in I or UI frames only.
    if (end - h < 5 || d[h] !== 0) return;
    if (d[h + 1] === 0x80 && d[h + 2] === 0xc2) {
      decodeBridged(rec, d, u16(d, h + 3), h + 5, end, 2);
    } else if (information && d[h + 1] === 0 && (d[h + 2] === 0 || d[h + 2] === 0xf8)) {
      decodeEtherType(rec, d, u16(d, h + 3), h + 5, end, true);
    }
    return;
  }
  if (!information) return;
  if (d[q] === 0x06 && end > h) {
    decodeIp(rec, d, h, end);
  } else if (d[q] === 0x80) {
    // 3Com XNS: a type from the ethertype table.
    if (end - h >= 2) decodeEtherType(rec, d, u16(d, h), h + 2, end, true);
  } else if (OSI_SAPS.has(d[q]!)) {
    decodeOsi(rec, d, h, end);
  }
}

/**
 * A MAC frame bridged in SNAP with the IEEE 802.1 OUI 00-80-C2 (RFC 2684 / 2427), as tshark
 * reads it after `pad` bytes (2 in LLC, none in frame relay): Ethernet with (PID 1) or
 * without (7) its check sequence, and Token Ring (3, 9); FDDI (4, 10) after one more byte.
 * Other PIDs (BPDUs...) are not IP.
 */
export function decodeBridged(
  rec: PacketRecord,
  d: Uint8Array,
  pid: number,
  q: number,
  end: number,
  pad: number,
): void {
  switch (pid) {
    case 0x0001:
      decodeEthernetWithFcs(rec, d, q + pad, end);
      break;
    case 0x0007:
      decodeEthernet(rec, d, q + pad, end);
      break;
    case 0x0003:
    case 0x0009:
      decodeTokenRing(rec, d, q + pad, end);
      break;
    case 0x0004:
    case 0x000a:
      decodeFddi(rec, d, q + pad + 1, end);
      break;
    default:
      break;
  }
}

/** FDDI: frame control, two addresses; asynchronous LLC frames (FC 0x50-0x5f) only. */
export function decodeFddi(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p >= 13 && (d[p]! & 0xf0) === 0x50) decodeLlc(rec, d, p + 13, end);
}

/** Bytes of an HDLC-style control field starting with `control`: U frames 1, I and S frames 2. */
export function xdlcControlLength(control: number): number {
  return (control & 3) === 3 ? 1 : 2;
}

/** LLC SAPs tshark hands to its OSI network-layer dissector (OSLAN 1-4, ISO network layer). */
const OSI_SAPS = new Set([0x14, 0x20, 0x34, 0x54, 0xfe]);

/**
 * tshark's OSI network layer: an NLPID byte, then IP (0xcc), IPv6 (0x8e) or PPP (0xcf) for
 * the non-OSI protocols it carries. Reached from LLC, PPP 0x0023, Cisco HDLC 0xfefe and
 * BSD AF_ISO (7).
 */
export function decodeOsi(rec: PacketRecord, d: Uint8Array, q: number, end: number): void {
  if (end - q < 1) return;
  const nlpid = d[q]!;
  if (nlpid === 0xcc) decodeIp(rec, d, q + 1, end);
  else if (nlpid === 0x8e) decodeIPv6(rec, d, q + 1, end);
  else if (nlpid === 0xcf) decodePppFromProtocol(rec, d, q + 1, end);
}

/**
 * An ethertype. `tableOnly`: the caller looks the type up in tshark's ethertype table (LLC SNAP,
 * BSD null, NFLOG, IP over 1394) instead of calling its ethertype dissector, which also knows
 * Cisco ACI gleaning and reads a value up to 1500 as an 802.3 length (so does a VLAN tag).
 */
export function decodeEtherType(
  rec: PacketRecord,
  d: Uint8Array,
  type: number,
  q: number,
  end: number,
  tableOnly = false,
): void {
  // Tags followed by another type: VLAN (802.1Q, 802.1ad, old QinQ; 4 bytes with the type),
  // Cisco VN-Tag (4 + 2), 802.1BR E-Tag (6 + 2); any depth.
  let tagged = false;
  for (;;) {
    if (type === 0x8100 || type === 0x88a8 || type === 0x9100) {
      if (end - q < 4) return;
      type = u16(d, q + 2);
      q += 4;
    } else if (type === 0x8926 || type === 0x893f) {
      const tag = type === 0x8926 ? 4 : 6;
      if (end - q < tag + 2) return;
      type = u16(d, q + tag);
      q += tag + 2;
    } else break;
    tagged = true;
  }
  switch (type) {
    case 0x0800:
      decodeIp(rec, d, q, end);
      break;
    case 0xfff2: // Cisco ACI ARP gleaning: IPv4 when the version says so (else ARP)
      if (!tableOnly && end > q && d[q]! >> 4 === 4) decodeIPv4(rec, d, q, end);
      break;
    case 0x86dd:
      decodeIPv6(rec, d, q, end);
      break;
    case 0x8847:
    case 0x8848:
      decodeMpls(rec, d, q, end);
      break;
    case 0x8864: // PPPoE session: ver/type, code, session id, length, then the PPP protocol.
      decodePppoe(rec, d, q, end);
      break;
    case 0x6558: // transparent Ethernet bridging
      decodeEthernet(rec, d, q, end);
      break;
    case 0x88e7: // 802.1ah provider backbone bridging: the I-tag, then the customer frame
      if (end - q >= 4) decodeEthernet(rec, d, q + 4, end);
      break;
    case 0x8870: // 802.2 LLC in a jumbo frame
      decodeLlc(rec, d, q, end);
      break;
    case 0x22f3: // TRILL: 6 bytes and options (5-bit length in 4-byte words), then Ethernet
      if (end - q >= 6) decodeEthernet(rec, d, q + 6 + ((u16(d, q) >> 6) & 31) * 4, end);
      break;
    case 0x894f: // Network Service Header
      decodeNsh(rec, d, q, end);
      break;
    default:
      // An 802.3 length where Ethernet or a tag reads one; a table lookup has no such entry.
      if (type <= 1500 && (!tableOnly || tagged)) decode8023(rec, d, type, q, end);
      break;
  }
}

/** MPLS: labels until the bottom of the stack, then IP by the version nibble. */
export function decodeMpls(rec: PacketRecord, d: Uint8Array, q: number, end: number): void {
  let label = 0;
  for (;;) {
    if (end - q < 4) return;
    label = (u16(d, q) << 4) | (d[q + 2]! >> 4);
    const bos = d[q + 2]! & 1;
    q += 4;
    if (bos) break;
  }
  // A bottom label 13 (GAL: a PW associated channel follows) or 14 (OAM alert): not IP.
  if (end <= q || label === 13 || label === 14) return;
  const v = d[q]! >> 4;
  if (v === 4) decodeIp(rec, d, q, end);
  else if (v === 6) decodeIPv6(rec, d, q, end);
}

/**
 * Network Service Header (RFC 8300), as tshark reads it: the length (6 bits, 4-byte words) is
 * 24 bytes for MD type 1 whatever it says, at least 8 for MD type 2 and 4 otherwise; the
 * next protocol (1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH, 5 MPLS) follows when bytes remain and
 * the MD type 2 context headers fit in the packet.
 */
function decodeNsh(rec: PacketRecord, d: Uint8Array, q: number, end: number): void {
  if (end - q < 4) return;
  const md = d[q + 2]!;
  const words = (d[q + 1]! & 63) * 4;
  const len = md === 1 ? 24 : md === 2 ? Math.max(words, 8) : Math.max(words, 4);
  const h = q + len;
  // MD type 2 context headers: class, type, a length in bytes (7 bits), the data padded to 4
  // bytes; tshark reads each one, so one running past the packet ends the dissection.
  if (md === 2) {
    for (let t = q + 8; t < h; ) {
      if (end - t < 4) return;
      const mlen = d[t + 3]! & 0x7f;
      if (end - (t + 4) < mlen) return;
      t += 4 + ((mlen + 3) & ~3);
    }
  }
  if (h >= end) return;
  switch (d[q + 3]) {
    case 1:
      decodeIp(rec, d, h, end);
      break;
    case 2:
      decodeIPv6(rec, d, h, end);
      break;
    case 3:
      decodeEthernet(rec, d, h, end);
      break;
    case 4:
      decodeNsh(rec, d, h, end);
      break;
    case 5:
      decodeMpls(rec, d, h, end);
      break;
    default:
      break;
  }
}

/**
 * Raw IP as tshark's "raw" dissector reads it: PPP in HDLC framing (ff 03), an ISDN fake MAC
 * address before it, 10 zero bytes before IPv4, else IPv4 / IPv6 by the version nibble. Fewer
 * than 8 bytes are not decoded at all.
 */
export function decodeRaw(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
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

export function decodeFamily(
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
  } else if (family > 1500) {
    // tshark passes the 32-bit value on as a 16-bit ethertype.
    decodeEtherType(rec, d, family & 0xffff, q, end, true);
  }
}

export function decodeNull(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 4) return;
  if (d[p] === 0xff && d[p + 1] === 0x03) {
    decodePpp(rec, d, p, end);
    return;
  }
  // tshark's reading: little-endian (its host order); bits in the upper half mean the other
  // byte order, or IRIX / UNICOS snoop's 16-bit family in the first two bytes; a zero low
  // byte with a small second one is a 16-bit family in the other order.
  let family = le32(d, p);
  if (family > 0xffff) {
    family = family < 0x60000 ? family >>> 16 : u32(d, p);
  } else if ((family & 0xff) === 0 && family < 0x600) {
    family >>>= 8;
  }
  decodeFamily(rec, d, family, p + 4, end);
}

/**
 * PPPoE session header (6 bytes), then a PPP protocol field (compressed to 1 byte when odd).
 * The header's payload length bounds the PPP frame (tshark cuts it there); a Credits tag
 * (0x0106, RFC 5578) before the PPP protocol takes 8 bytes.
 */
export function decodePppoe(rec: PacketRecord, d: Uint8Array, q: number, end: number): void {
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
export function decodePpp(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  let q = p;
  if (end - q >= 1 && d[q] === 0xff) q += 2;
  decodePppFromProtocol(rec, d, q, end);
}

export function decodePppFromProtocol(
  rec: PacketRecord,
  d: Uint8Array,
  q: number,
  end: number,
): void {
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

export function decodePppProtocol(
  rec: PacketRecord,
  d: Uint8Array,
  proto: number,
  q: number,
  end: number,
): void {
  switch (proto) {
    case 0x0021:
    case 0x0800:
      decodeIp(rec, d, q, end);
      break;
    case 0x0057:
    case 0x86dd:
      decodeIPv6(rec, d, q, end);
      break;
    case 0x0023:
      decodeOsi(rec, d, q, end);
      break;
    case 0x0281: // MPLS unicast
    case 0x0283: // MPLS multicast
      decodeMpls(rec, d, q, end);
      break;
    case 0x004b: // SNA over 802.2: LLC
      decodeLlc(rec, d, q, end);
      break;
    case 0x0031: // bridged frames (BCP)
      decodeBcp(rec, d, q, end);
      break;
    default: // Van Jacobson compressed TCP/IP (0x002d, 0x002f) is not decoded
      break;
  }
}

/** OpenBSD pflog: header length (byte 0, padded to 4), address family (byte 1). */
export function decodePflog(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 4) return;
  const hlen = (d[p]! + 3) & ~3;
  const af = d[p + 1]!;
  const q = p + hlen;
  if (hlen < 4 || q > end) return;
  // (Measured: tshark dissects no IPv4, but does IPv6, behind a header length of 1-4.)
  if (af === 2 && hlen > 4) {
    decodeIp(rec, d, q, end);
  } else if (af === 24 || af === 28 || af === 30) {
    decodeIPv6(rec, d, q, end);
  }
}

/**
 * Linux NFLOG, as tshark 4.0 reads it: TLVs in little-endian (its host order; a big-endian
 * writer's file is not read), each to the end of the packet first. A length below 4 or a TLV
 * past the end of the packet, and the whole record is left undissected; the
 * last payload TLV is the packet, by the packet header's hardware protocol (a table lookup)
 * when it is set, else by the family (2 IPv4, 10 IPv6).
 */
export function decodeNflog(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 4) return;
  const family = d[p]!;
  const wireEnd = reportedEnd(rec);
  let q = p + 4;
  let hwProto = 0;
  let payload = -1;
  let payloadLen = 0;
  while (wireEnd - q >= 4) {
    if (end - q < 4) return;
    const len = le16(d, q);
    if (len < 4 || q + len > wireEnd) return;
    const type = le16(d, q + 2) & 0x7fff;
    if (type === 1 && len === 8) {
      if (end - q < 6) return;
      hwProto = u16(d, q + 4);
    } else if (type === 9) {
      payload = q + 4;
      payloadLen = len - 4;
    }
    q += (len + 3) & ~3;
  }
  if (payload < 0) return;
  const e = Math.min(payload + payloadLen, end);
  if (hwProto > 0) decodeEtherType(rec, d, hwProto, payload, e, true);
  else if (family === 2) decodeIp(rec, d, payload, e);
  else if (family === 10) decodeIPv6(rec, d, payload, e);
}

/** BCP MAC types followed by a pad byte (802.4, 802.5 and FDDI, both bit orders). */
const BCP_PADDED_MACS = new Set([2, 3, 4, 11, 12]);

/**
 * PPP bridging (BCP, RFC 3518): flags, MAC type (then a pad byte for Token Ring and FDDI types),
 * the frame. Only Ethernet (MAC type 1) is followed, with its FCS when flag 0x80 says so; the
 * low 4 flag bits count pad bytes at the end. Bridge control frames (0x10) carry none.
 */
function decodeBcp(rec: PacketRecord, d: Uint8Array, q: number, end: number): void {
  if (end - q < 2) return;
  const flags = d[q]!;
  const mac = d[q + 1]!;
  const h = q + 2 + (BCP_PADDED_MACS.has(mac) ? 1 : 0);
  if (flags & 0x10 || mac !== 1 || h > end) return;
  const frameEnd = reportedEnd(rec) - (flags & 0x0f);
  if (frameEnd < h) return;
  decodeEthernet(rec, d, h, Math.min(end, flags & 0x80 ? frameEnd - 4 : frameEnd));
}
