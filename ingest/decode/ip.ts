/**
 * IPv4 / IPv6 / transport decoding into a PacketRecord. Hot path: plain integer reads from the
 * Uint8Array, no allocation, no closures.
 *
 * What counts as decodable follows tshark 4.0 (the judge of our counts), checked field by field
 * on cut and malformed packets (see ingest/decode/README.md):
 *  - IPv4 is an IP packet (ipVersion 4) when the header length is >= 20, the total length is 0
 *    (TSO) or >= the header length, and the 16 bytes up to the source address were captured;
 *    dst4 is 0 when the destination address was cut off.
 *  - IPv6 needs version 6 and the 24 bytes up to the source address.
 *  - The transport header is bounded by the capture and by the IP length (IPv4 total length,
 *    IPv6 payload length; an IPv6 payload length of 0 leaves no transport bytes).
 *  - TCP ports need 4 bytes; seq/ack/flags/window need 16 bytes and a data offset >= 5 (with a
 *    bogus data offset < 5 only ports, seq and ack are set). UDP ports need 4 bytes. ICMP
 *    type/code need 6 bytes (tshark reads the identifier first), ICMPv6 type 1 byte, code 2.
 *  - Only the first fragment (offset 0) carries a transport header; a later fragment has
 *    laterFragment = true and proto set to the fragment's protocol.
 *  - proto and ports come from the outer header chain: IPv6 extension headers (hop-by-hop,
 *    routing, fragment, destination options, AH) and an IPv4 AH are skipped; ESP, no-next-header,
 *    IP-in-IP (4 / 41), ICMP errors... are the protocol, with no ports.
 */
import { reportedEnd, u16, u32 } from './bytes';
import type { PacketRecord } from './packet-record';

/**
 * What tshark's IPv4 dissector does with the bytes at p (ethertype 0x0800, AF_INET, PPP IP...):
 * an IPv4 layer whatever the content (ipLayer 4), handed on to IPv6 when the version is 6.
 */
export function decodeIp(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  rec.ipLayer = 4;
  if (end <= p) return;
  const v = d[p]! >> 4;
  if (v === 4) decodeIPv4(rec, d, p, end);
  else if (v === 6) decodeIPv6(rec, d, p, end);
}

/** Decode an IPv4 header at p whose version nibble is 4. */
export function decodeIPv4(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  rec.ipLayer = 4;
  if (end - p < 16) return;
  const ihl = (d[p]! & 15) << 2;
  if (ihl < 20) return;
  const ipLen = u16(d, p + 2);
  if (ipLen !== 0 && ipLen < ihl) return;
  rec.ipVersion = 4;
  rec.ipLen = ipLen;
  rec.ipId = u16(d, p + 4);
  rec.ttl = d[p + 8]!;
  const proto = d[p + 9]!;
  rec.proto = proto;
  rec.src4 = u32(d, p + 12);
  if (end - p >= 20) rec.dst4 = u32(d, p + 16);
  if ((((d[p + 6]! & 0x1f) << 8) | d[p + 7]!) !== 0) {
    rec.laterFragment = true;
    return;
  }
  // Options tshark's dissectors read past their own length stop it before the transport.
  if (ihl > 20 && !ipv4OptionsOk(d, p + 20, Math.min(p + ihl, end))) return;
  let l4end = ipLen === 0 ? end : p + ipLen;
  if (l4end > end) l4end = end;
  // Where the IP payload ends on the wire (a transport header is only dissected when the IP
  // header says there is payload and the frame on the wire has some; the capture may still
  // have cut it). IPv6 dissects its next header even when the frame ends with its headers.
  const repEnd = ipLen === 0 ? rec.frameStart + rec.origLen : Math.min(p + ipLen, reportedEnd(rec));
  const q = p + ihl;
  if (q > l4end) return;
  const n = l4end - q;
  // TCP and UDP inline: the hot path of a telescope.
  if (repEnd <= q) return; // no payload: tshark dissects no transport header
  if (proto === 6) {
    rec.l4Start = q;
    rec.l4Len = n;
    if (n < 4) return;
    rec.srcPort = (d[q]! << 8) | d[q + 1]!;
    rec.dstPort = (d[q + 2]! << 8) | d[q + 3]!;
    if (n < 16) return;
    rec.tcpSeq = u32(d, q + 4);
    rec.tcpAck = u32(d, q + 8);
    const doff = d[q + 12]! >> 4;
    if (doff < 5) return;
    rec.tcpOptionsLen = (doff - 5) << 2;
    rec.tcpFlags = d[q + 13]!;
    rec.tcpWindow = (d[q + 14]! << 8) | d[q + 15]!;
    return;
  }
  if (proto === 17) {
    rec.l4Start = q;
    rec.l4Len = n;
    if (n < 4) return;
    rec.srcPort = (d[q]! << 8) | d[q + 1]!;
    rec.dstPort = (d[q + 2]! << 8) | d[q + 3]!;
    return;
  }
  if (EXTENSION_HEADERS.has(proto)) {
    // tshark's IPv4 dissector hands these protocol numbers to its IPv6 extension headers too.
    const l4 = walkExtensionHeaders(rec, d, proto, q, l4end, false);
    if (l4 >= 0) decodeTransport(rec, rec.proto, d, l4, l4end, repEnd);
    return;
  }
  decodeTransport(rec, proto, d, q, l4end, repEnd);
}

/** Shortest length (type and length bytes included) tshark's option dissectors read. */
const IPV4_OPTION_MIN: Readonly<Record<number, number>> = {
  7: 3, // record route: the pointer
  131: 3, // loose source route
  137: 3, // strict source route
  130: 3, // security
  133: 3, // extended security
  11: 4, // MTU probe
  12: 4, // MTU reply
  68: 4, // timestamp: pointer and flags
  136: 4, // stream identifier
  148: 4, // router alert
  82: 12, // traceroute
  134: 6, // CIPSO: its domain of interpretation
  25: 3, // quick-start: its function
};

const CIPSO_TAGS_CHECKED = new Set([0, 1, 2, 5, 6, 7]);

/**
 * Do the IPv4 options in d[o .. end) let tshark reach the transport header? An option with a
 * missing or bad length ends the list harmlessly; a known option shorter than the fields its
 * dissector reads (a quick-start request or report is 8 bytes; a CIPSO tag needs its length
 * byte) is an exception in tshark. Checked over every option type and lengths 0-14 with
 * several fill bytes; CIPSO tags longer than one byte are not followed (README).
 */
function ipv4OptionsOk(d: Uint8Array, o: number, end: number): boolean {
  while (o < end) {
    const type = d[o]!;
    if (type === 0) return true; // end of options
    if (type === 1) {
      o++;
      continue;
    }
    if (end - o < 2) return true;
    const len = d[o + 1]!;
    if (len < 2 || len > end - o) return true;
    const min = IPV4_OPTION_MIN[type];
    if (min !== undefined && len < min) return false;
    if (type === 25 && (d[o + 2]! >> 4 === 0 || d[o + 2]! >> 4 === 8) && len < 8) return false;
    // A lone CIPSO tag byte: tshark validates tags 0-2 and 5-7 by length, reads the others'.
    if (type === 134 && len === 7 && !CIPSO_TAGS_CHECKED.has(d[o + 6]!)) return false;
    o += len;
  }
  return true;
}

/** Hop-by-hop, routing, fragment, authentication and destination options headers. */
const EXTENSION_HEADERS = new Set([0, 43, 44, 51, 60]);

/**
 * What tshark's IPv6 dissector does with the bytes at p (ethertype 0x86dd, AF_INET6...): an IPv6
 * layer unless a version other than 6 is there (then it is not IP at all).
 */
export function decodeIPv6(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end > p && d[p]! >> 4 !== 6) return;
  rec.ipLayer = 6;
  if (end - p < 24) return;
  const nh = d[p + 6]!;
  let plen = u16(d, p + 4);
  if (plen === 0 && nh === 0) plen = jumboPayloadLength(d, p + 40, end);
  rec.ipVersion = 6;
  rec.ipLen = plen + 40;
  rec.ttl = d[p + 7]!;
  const s = rec.src6;
  for (let i = 0; i < 16; i++) s[i] = d[p + 8 + i]!;
  const t = rec.dst6;
  if (end - p >= 40) {
    for (let i = 0; i < 16; i++) t[i] = d[p + 24 + i]!;
  } else {
    t.fill(0);
  }
  rec.proto = nh;
  let l4end = p + 40 + plen;
  if (l4end > end) l4end = end;
  const q = p + 40;
  if (q > l4end) return;
  const l4 = walkExtensionHeaders(rec, d, nh, q, l4end, true);
  if (l4 >= 0) decodeTransport(rec, rec.proto, d, l4, l4end, p + 40 + plen);
}

/**
 * The payload length of a jumbogram (RFC 2675): a Jumbo Payload option (0xc2, 4 bytes) in
 * the hop-by-hop header at q, when the IPv6 payload length is 0. tshark 4.0 takes values
 * from 65536 up to 2^32 - 41 (its total length, the value + 40, is a 32-bit integer); 0
 * when there is none.
 */
function jumboPayloadLength(d: Uint8Array, q: number, end: number): number {
  if (end - q < 2) return 0;
  const stop = Math.min(q + ((d[q + 1]! + 1) << 3), end);
  for (let i = q + 2; i < stop; ) {
    const type = d[i]!;
    if (type === 0) {
      i++;
      continue;
    }
    if (i + 1 >= stop) return 0;
    const len = d[i + 1]!;
    if (type === 0xc2 && len === 4 && i + 6 <= stop) {
      const v = u32(d, i + 2);
      return v >= 65536 && v <= 2 ** 32 - 41 ? v : 0;
    }
    i += 2 + len;
  }
  return 0;
}

/**
 * Walks the extension headers from q, starting with next header nh: rec.proto becomes the
 * protocol after them, and the result is where it starts, or -1 when the walk stops there
 * (a cut or malformed header, a later fragment). `ipv6`: a fragment header's identification
 * is the packet's and its offset makes a later fragment (behind IPv4 neither: the IPv4 header's
 * identification stays, and tshark reads on).
 */
function walkExtensionHeaders(
  rec: PacketRecord,
  d: Uint8Array,
  nh: number,
  q: number,
  l4end: number,
  ipv6: boolean,
): number {
  rec.proto = nh;
  for (;;) {
    if (nh === 0 || nh === 43 || nh === 60) {
      if (l4end - q < 2) return -1;
      const len = (d[q + 1]! + 1) << 3;
      if (l4end - q < len) return -1;
      // Hop-by-hop and destination options: an option running past the available payload is
      // malformed (tshark stops there; past its header only, tshark reads on).
      if (nh !== 43 && !optionsFit(d, q + 2, q + len, l4end)) return -1;
      if (nh === 43 && routingOverruns(d, q, len)) return -1;
      nh = d[q]!;
      q += len;
    } else if (nh === 44) {
      if (l4end - q < 8) return -1;
      const next = d[q]!;
      if (ipv6) rec.ipId = u16(d, q + 6);
      rec.proto = next;
      // Behind IPv4, tshark 4.0 dissects what follows whatever the offset says.
      if (ipv6 && u16(d, q + 2) >> 3 !== 0) {
        rec.laterFragment = true;
        return -1;
      }
      nh = next;
      q += 8;
    } else if (nh === 51) {
      if (l4end - q < 2) return -1;
      const len = (d[q + 1]! + 2) << 2;
      if (l4end - q < len) return -1;
      nh = d[q]!;
      q += len;
    } else {
      return q;
    }
    rec.proto = nh;
  }
}

/**
 * Does tshark's dissector for this routing header type read past the header's own length?
 * It then stops (an exception) and dissects no transport. Types 2 (Mobile IPv6), 3 (RPL),
 * 4 (Segment Routing) and 5/6 (Compact Routing, 16 and 32-bit SIDs) read what their
 * fields announce; type 0 and unknown types are skipped by length. The rules are tshark
 * 4.0's, checked against it in tests/real-tools (routing-headers.pcap).
 */
function routingOverruns(d: Uint8Array, q: number, len: number): boolean {
  const hdrLen = d[q + 1]!;
  const segLeft = d[q + 3]!;
  const t = q + 4;
  const typeLen = len - 4;
  switch (d[q + 2]) {
    case 2:
      return typeLen < 20;
    case 3: {
      if (hdrLen === 0) return false;
      const cmprI = d[t]! >> 4;
      const cmprE = d[t]! & 15;
      const pad = d[t + 1]! >> 4;
      const n = Math.trunc((hdrLen * 8 - pad - (16 - cmprE)) / (16 - cmprI)) + 1;
      return n > 0 && 4 + (n - 1) * (16 - cmprI) + (16 - cmprE) > typeLen;
    }
    case 4:
      return 4 + (d[t]! + 1) * 16 > typeLen;
    case 5:
    case 6: {
      const size = d[q + 2] === 5 ? 2 : 4;
      const count = d[q + 2] === 5 ? hdrLen * 4 + 2 : hdrLen * 2 + 1;
      if (size * segLeft + size > typeLen) return true;
      // The SIDs are read while non-zero, one read past the last.
      const sidAt = (o: number) => (size === 2 ? u16(d, t + o) : u32(d, t + o));
      let off = 0;
      let sid = sidAt(0);
      for (let i = 0; i < count && sid !== 0; i++) {
        off += size;
        if (off + size > typeLen) return true;
        sid = sidAt(off);
      }
      return false;
    }
    default:
      return false;
  }
}

/** Do the TLV options starting in d[p..hend) (Pad1 is a single 0 byte) end within `limit`? */
function optionsFit(d: Uint8Array, p: number, hend: number, limit: number): boolean {
  while (p < hend) {
    if (d[p] === 0) {
      p++;
      continue;
    }
    if (limit - p < 2) return false;
    p += 2 + d[p + 1]!;
    if (p > limit) return false;
  }
  return true;
}

function decodeTransport(
  rec: PacketRecord,
  proto: number,
  d: Uint8Array,
  q: number,
  end: number,
  repEnd: number,
): void {
  if (repEnd <= q) return; // no payload: tshark dissects no transport header
  const n = end - q;
  rec.l4Start = q;
  rec.l4Len = n;
  if (proto === 6) {
    if (n < 4) return;
    rec.srcPort = u16(d, q);
    rec.dstPort = u16(d, q + 2);
    if (n < 16) return;
    rec.tcpSeq = u32(d, q + 4);
    rec.tcpAck = u32(d, q + 8);
    const doff = d[q + 12]! >> 4;
    if (doff < 5) return;
    rec.tcpOptionsLen = (doff - 5) << 2;
    rec.tcpFlags = d[q + 13]!;
    rec.tcpWindow = u16(d, q + 14);
  } else if (proto === 17) {
    if (n < 4) return;
    rec.srcPort = u16(d, q);
    rec.dstPort = u16(d, q + 2);
  } else if (proto === 1) {
    if (n < 6) return;
    rec.icmpType = d[q]!;
    rec.icmpCode = d[q + 1]!;
  } else if (proto === 58) {
    if (n < 1) return;
    rec.icmpType = d[q]!;
    if (n >= 2) rec.icmpCode = d[q + 1]!;
  }
}
