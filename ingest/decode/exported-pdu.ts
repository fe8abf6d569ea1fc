/** Wireshark's exported PDUs (link type 252). */

import { u16, u32 } from './bytes';
import { decodeIPv6, decodeIp } from './ip';
import { decodeEthernet, decodeEthernetWithFcs, decodeRaw } from './link-layers';
import type { PacketRecord } from './packet-record';

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
export function decodeExportedPdu(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  let name = -1;
  let nameLen = 0;
  let src4 = -1;
  let src6 = -1;
  let tag: number;
  do {
    if (end - p < 4) return;
    tag = u16(d, p);
    const len = u16(d, p + 2);
    p += 4;
    if (end - p < len) return;
    if (tag === 12) {
      // The name ends at its first NUL (padding) or at the tag's end.
      name = p;
      nameLen = 0;
      while (nameLen < len && d[p + nameLen] !== 0) nameLen++;
    } else if (tag === 13 || tag === 14) {
      name = -1;
    } else if (tag === 20 || tag === 22) {
      // tshark reads the whole address whatever the tag's length says (the first one shows).
      if (end - p < (tag === 20 ? 4 : 16)) return;
      if (tag === 20 && src4 < 0) src4 = p;
      if (tag === 22 && src6 < 0) src6 = p;
    }
    p += len;
  } while (tag !== 0);
  if (name < 0) return;
  decodeNamed(rec, d, name, nameLen, p, end);
  // The source address tags come first in tshark's tree, so its ip.src / ipv6.src is theirs.
  if (src4 >= 0 && rec.ipLayer === 4) {
    rec.ipVersion = 4;
    rec.src4 = u32(d, src4);
  } else if (src6 >= 0 && rec.ipLayer === 6) {
    rec.ipVersion = 6;
    for (let i = 0; i < 16; i++) rec.src6[i] = d[src6 + i]!;
  }
}

/** The PDU at p, for the dissector named at d[name .. + nameLen). */
function decodeNamed(
  rec: PacketRecord,
  d: Uint8Array,
  name: number,
  nameLen: number,
  p: number,
  end: number,
): void {
  if (nameIs(d, name, nameLen, EXPORTED_IPV4)) decodeIp(rec, d, p, end);
  else if (nameIs(d, name, nameLen, EXPORTED_IPV6)) decodeIPv6(rec, d, p, end);
  else if (nameIs(d, name, nameLen, EXPORTED_RAW)) decodeRaw(rec, d, p, end);
  else if (nameLen > 4 && nameIs(d, name, 4, EXPORTED_ETH)) {
    let suffix = ETH_SUFFIXES.length - 1;
    while (suffix >= 0 && !nameIs(d, name, nameLen, ETH_SUFFIXES[suffix]!, 4)) suffix--;
    if (suffix === 2) decodeEthernetWithFcs(rec, d, p, end);
    else if (suffix >= 0) decodeEthernet(rec, d, p, end);
  }
}
