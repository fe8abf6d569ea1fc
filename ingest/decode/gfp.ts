/**
 * ITU-T G.7041 Generic Framing Procedure (link types 170 GFP-T and 171 GFP-F), as tshark 4.0
 * reads it: a core header (payload length, HEC), then for a payload length of 4 or more a
 * type header (type, HEC) whose user payload identifier picks the payload. HECs are not
 * checked (tshark flags a wrong one and reads on).
 */
import { u16 } from './bytes';
import { decodeIPv6, decodeIp } from './ip';
import { decodeEthernet, decodeMpls, decodePpp } from './link-layers';
import type { PacketRecord } from './packet-record';

export function decodeGfp(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 8) return;
  const pli = u16(d, p);
  if (pli < 4) return; // idle and control frames
  const type = u16(d, p + 4);
  const pti = type >> 13;
  if (pti !== 0 && pti !== 5) return; // only user data and management communications
  // Extension headers: a linear one (4 bytes) is skipped; tshark skips no other kind.
  const q = p + 8 + (((type >> 8) & 0x0f) === 1 ? 4 : 0);
  // The payload area is PLI bytes after the core header, less a payload FCS when flagged
  // (which tshark must be able to read).
  let e = p + 4 + pli;
  if ((type & 0x1000) !== 0) {
    if (e > end) return;
    e -= 4;
  }
  if (e < end) end = e;
  // The payload's dissector runs even when nothing of it is left (an IP layer, no fields).
  switch (type & 0xff) {
    case 0x01: // frame-mapped Ethernet
      decodeEthernet(rec, d, q, end);
      break;
    case 0x02: // frame-mapped PPP
      decodePpp(rec, d, q, end);
      break;
    case 0x0c: // MPLS unicast and multicast
    case 0x0d:
      decodeMpls(rec, d, q, end);
      break;
    case 0x10: // IPv4 (tshark's IPv4 dissector)
      decodeIp(rec, d, q, end);
      break;
    case 0x11:
      decodeIPv6(rec, d, q, end);
      break;
    default:
      break;
  }
}
