/**
 * IEEE 802.11 (link type 105) and the radio headers in front of it (radiotap 127, Prism 119, AVS
 * 163; PPI 192 is in decode-packet.ts, as it may carry any link type), as
 * tshark 4.0 reads them: only unprotected data frames with a body carry IP, through 802.2 LLC.
 * Management and control frames, the no-data subtypes, protected frames and frames with more
 * fragments to come (tshark reassembles 802.11 fragments) are not IP.
 */
import { le16, le32, reportedEnd, u32 } from './bytes';
import { decodeEthernet, decodeEtherType, decodeLlc } from './link-layers';
import type { PacketRecord } from './packet-record';

/**
 * An 802.11 frame from p. `dataPad`: the header is padded to a multiple of 4 bytes (radiotap's
 * flag).
 */
export function decodeWlan(
  rec: PacketRecord,
  d: Uint8Array,
  p: number,
  end: number,
  dataPad = false,
): void {
  if (end - p < 24) return;
  const fc0 = d[p]!;
  const fc1 = d[p + 1]!;
  const subtype = fc0 >> 4;
  // Version 0, type data, a subtype with a body; not protected, no more fragments to come (a
  // last fragment alone is dissected as it is).
  if ((fc0 & 0x0f) !== 0x08 || subtype & 4 || fc1 & 0x44) return;
  let h = (fc1 & 3) === 3 ? 30 : 24;
  let amsdu = false;
  if (subtype & 8) {
    if (end - p < h + 2) return;
    amsdu = (d[p + h]! & 0x80) !== 0;
    h += 2;
    if (fc1 & 0x80) h += 4; // HT control (the order bit of a QoS data frame)
  }
  if (dataPad) h = (h + 3) & ~3;
  const q = p + h;
  if (q > end) return;
  if (!amsdu) {
    decodeWlanPayload(rec, d, p, q, end, fc1 & 3);
    return;
  }
  // An A-MSDU: subframes of destination, source, length, then LLC; the first one counts.
  if (end - q < 14) return;
  decodeLlc(rec, d, q + 14, Math.min(end, q + 14 + ((d[q + 12]! << 8) | d[q + 13]!)));
}

/** Offsets of the destination and source addresses in the header, by the DS bits. */
const DA_AT = [4, 16, 4, 16];
const SA_AT = [10, 10, 16, 24];

function sameBytes(d: Uint8Array, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (d[a + i] !== d[b + i]) return false;
  return true;
}

/**
 * The body of a data frame, as tshark guesses it: LLC when it starts with AA AA; Ethernet when
 * its first 6 bytes are the frame's destination or the next 6 its source (drivers that pass
 * Ethernet frames through); IPX after FF FF; two bytes skipped after 00 00 (OLPC); else LLC.
 */
function decodeWlanPayload(
  rec: PacketRecord,
  d: Uint8Array,
  p: number,
  q: number,
  end: number,
  ds: number,
): void {
  if (end - q >= 2 && !(d[q] === 0xaa && d[q + 1] === 0xaa)) {
    const da = p + DA_AT[ds]!;
    const sa = p + SA_AT[ds]!;
    if ((end - q >= 12 && sameBytes(d, q + 6, sa, 6)) || (end - q >= 6 && sameBytes(d, q, da, 6))) {
      decodeEthernet(rec, d, q, end);
      return;
    }
    if (d[q] === 0xff && d[q + 1] === 0xff) return;
    if (d[q] === 0 && d[q + 1] === 0) q += 2;
    else if (ETHERTYPES.has((d[q]! << 8) | d[q + 1]!)) {
      // A bare ethertype (no LLC header) that tshark's ethertype table knows.
      decodeEtherType(rec, d, (d[q]! << 8) | d[q + 1]!, q + 2, end, true);
      return;
    }
  }
  decodeLlc(rec, d, q, end);
}

/**
 * The types in tshark 4.0's ethertype table (`tshark -G decodes`), less 0x0600: 06 is the LLC
 * SAP for IP, and tshark reads such a body as LLC (checked over every first two bytes).
 */
// biome-ignore format: a table
const ETHERTYPES = new Set([0x0059, 0x0061, 0x0065, 0x0067, 0x00fd, 0x0641, 0x0643, 0x0644, 0x0645, 0x0712, 0x0713, 0x0800, 0x0806, 0x0842, 0x08f0, 0x08ff, 0x0bad, 0x0baf, 0x0c15, 0x2001, 0x2065, 0x2067, 0x22e5, 0x22ea, 0x22f0, 0x22f1, 0x22f3, 0x22f4, 0x2323, 0x2452, 0x3e3f, 0x4305, 0x4742, 0x6000, 0x6003, 0x6004, 0x6558, 0x8021, 0x8023, 0x8035, 0x8038, 0x8057, 0x8059, 0x809a, 0x809b, 0x80d5, 0x80e1, 0x80f3, 0x80fd, 0x80ff, 0x8100, 0x8102, 0x8103, 0x8133, 0x8137, 0x814c, 0x8181, 0x81fd, 0x8204, 0x8207, 0x8281, 0x86dd, 0x872d, 0x8783, 0x8808, 0x8809, 0x8847, 0x8848, 0x8863, 0x8864, 0x886c, 0x886d, 0x886f, 0x8870, 0x8874, 0x887b, 0x888e, 0x8892, 0x8899, 0x889a, 0x889b, 0x88a1, 0x88a2, 0x88a4, 0x88a8, 0x88a9, 0x88ab, 0x88ae, 0x88b4, 0x88b7, 0x88b8, 0x88ba, 0x88bb, 0x88c7, 0x88ca, 0x88cc, 0x88cd, 0x88d8, 0x88d9, 0x88dc, 0x88de, 0x88e1, 0x88e3, 0x88e5, 0x88e7, 0x88ee, 0x88f5, 0x88f6, 0x88f7, 0x88f8, 0x88fb, 0x8901, 0x8902, 0x8906, 0x8909, 0x890d, 0x8911, 0x8914, 0x8915, 0x8917, 0x891d, 0x8926, 0x892d, 0x892f, 0x893a, 0x893f, 0x8940, 0x8942, 0x8947, 0x894f, 0x8988, 0x8ffd, 0x9000, 0x9021, 0x9022, 0x9100, 0x9104, 0x99fe, 0xa0ed, 0xaaaa, 0xabcd, 0xaefe, 0xb4e3, 0xbbbb, 0xc021, 0xc023, 0xc029, 0xc02b, 0xc02d, 0xc0de, 0xc0df, 0xc223, 0xcafe, 0xd00d, 0xd28b, 0xe555, 0xf052, 0xf1c1, 0xfcfc]);

/** Radiotap present bits and Flags bits used here. */
const TSFT = 0;
const FLAGS = 1;
const FLAG_FCS = 0x10;
const FLAG_DATA_PAD = 0x20;

/**
 * Radiotap (127): version (fields read only for 0), pad, length (little-endian), present bitmaps (more while bit 31 is
 * set); the Flags field (after an 8-byte-aligned TSFT when present) says whether a frame
 * check sequence ends the frame and whether the 802.11 header is padded.
 */
export function decodeRadiotap(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 8) return;
  const len = le16(d, p + 2);
  if (len < 8 || end - p < len) return;
  // A version other than 0: tshark reads no field, but still goes on to 802.11 at the length.
  const present = d[p] === 0 ? le32(d, p + 4) : 0;
  let f = p + 8;
  let word = present;
  while (word & 0x80000000 && f + 4 <= p + len) {
    word = d[f + 3]! << 24;
    f += 4;
  }
  // Fields that the header length does not cover are not read (tshark goes on to 802.11).
  let flags = 0;
  if (present & (1 << FLAGS)) {
    if (present & (1 << TSFT)) f = p + ((f - p + 7) & ~7) + 8;
    if (f < p + len) flags = d[f]!;
  }
  let frameEnd = end;
  if (flags & FLAG_FCS) {
    frameEnd = Math.min(end, reportedEnd(rec) - 4);
  }
  decodeWlan(rec, d, p + len, frameEnd, (flags & FLAG_DATA_PAD) !== 0);
}

/**
 * Prism (119): an AVS header when the first word is an AVS version (0x80211001 or 0x80211002,
 * big-endian); a 144-byte Prism header, whatever its length field says, when the message code
 * is 0x41 or 0x44 in either byte order; else 802.11 straight away.
 */
export function decodePrism(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 4) return;
  const be = u32(d, p);
  const le = le32(d, p);
  if (be === 0x80211001 || be === 0x80211002) decodeAvs(rec, d, p, end);
  else if (be === 0x41 || be === 0x44 || le === 0x41 || le === 0x44) {
    if (end - p >= 144) decodeWlan(rec, d, p + 144, end);
  } else decodeWlan(rec, d, p, end);
}

/** AVS (163): version, then the header length (big-endian), taken as it is. */
export function decodeAvs(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 8) return;
  const len = u32(d, p + 4);
  if (end - p >= len) decodeWlan(rec, d, p + len, end);
}
