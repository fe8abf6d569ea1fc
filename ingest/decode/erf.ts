/**
 * Endace ERF records under LINKTYPE_ERF (197): what DAG capture cards write, kept as ERF
 * when their files are converted to pcap or pcapng. As wiretap and tshark read them: a
 * 16-byte record header (time, type, flags, lengths); 8-byte extension headers while the
 * type's top bit, then each extension header's, says another follows; a header of the
 * type's own (2 bytes for Ethernet, 4 for multichannel and AAL2); then the frame.
 */
import { decodeIPv6, decodeIp } from './ip';
import { decodeChdlc, decodeEthernet, decodePpp } from './link-layers';
import type { PacketRecord } from './packet-record';

const RECORD_HEADER = 16;

/** Bytes of a record before its frame, or why wiretap refuses the record (the file is damaged there). */
export function erfHeaderLength(d: Uint8Array, p: number, cap: number): number | string {
  if (cap < RECORD_HEADER) {
    return `ERF record of ${cap} bytes, too small for the ${RECORD_HEADER}-byte ERF header`;
  }
  let n = RECORD_HEADER;
  if (d[p + 8]! & 0x80) {
    for (let more = true; more; n += 8) {
      if (cap < n + 8) return `ERF record of ${cap} bytes, too small for its extension headers`;
      more = (d[p + n]! & 0x80) !== 0;
    }
  }
  const sub = subHeaderBytes(d[p + 8]! & 0x7f);
  if (cap < n + sub) {
    return `ERF record of ${cap} bytes, too small for the ${sub}-byte header of its type`;
  }
  return n + sub;
}

function subHeaderBytes(type: number): number {
  switch (type) {
    case 2: // ETH
    case 11: // COLOR_ETH
    case 16: // DSM_COLOR_ETH
    case 20: // COLOR_HASH_ETH
      return 2;
    case 5: // MC_HDLC
    case 6: // MC_RAW
    case 7: // MC_ATM
    case 8: // MC_RAW_CHANNEL
    case 9: // MC_AAL5
    case 12: // MC_AAL2
    case 17: // COLOR_MC_HDLC_POS
    case 18: // AAL2
      return 4;
    default:
      return 0;
  }
}

/**
 * The record's time as tshark takes it from an ERF header in a classic pcap file (in
 * pcapng the block's time stands): seconds, and the 32-bit binary fraction rounded to
 * nanoseconds as wiretap rounds it.
 */
export function erfTime(d: Uint8Array, p: number): { sec: number; nsec: number } {
  const frac = (d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16)) + d[p + 3]! * 2 ** 24;
  const sec = (d[p + 4]! | (d[p + 5]! << 8) | (d[p + 6]! << 16)) + d[p + 7]! * 2 ** 24;
  // 64-bit product: exact only as a BigInt (ERF files are rare; the common path never comes here).
  const t = BigInt(frac) * 1_000_000_000n;
  const nsec = Number((t + ((t & 0x80000000n) << 1n)) >> 32n);
  return nsec >= 1e9 ? { sec: sec + 1, nsec: nsec - 1e9 } : { sec, nsec };
}

/** Decodes the frame of an ERF record by its type; records wiretap refuses decode as non-IP. */
export function decodeErf(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  const len = erfHeaderLength(d, p, end - p);
  if (typeof len === 'string') return;
  const f = p + len;
  switch (d[p + 8]! & 0x7f) {
    case 2: // ETH, and its coloured variants: COLOR_ETH, DSM_COLOR_ETH, COLOR_HASH_ETH
    case 11:
    case 16:
    case 20:
      decodeEthernet(rec, d, f, end);
      break;
    case 22: // IPV4 (tshark's IPv4 dissector hands version 6 on to IPv6)
      decodeIp(rec, d, f, end);
      break;
    case 23: // IPV6
      decodeIPv6(rec, d, f, end);
      break;
    case 1: // HDLC_POS
    case 5: // MC_HDLC
    case 10: // COLOR_HDLC_POS
    case 15: // DSM_COLOR_HDLC_POS
    case 17: // COLOR_MC_HDLC_POS
    case 19: // COLOR_HASH_POS
      // tshark's default guess: Cisco HDLC by its address byte, else PPP in HDLC framing.
      if (end - f >= 1 && (d[f] === 0x0f || d[f] === 0x8f)) decodeChdlc(rec, d, f, end);
      else decodePpp(rec, d, f, end);
      break;
    default:
      break;
  }
}
