/**
 * IEEE 802.3br mPackets (link type 274), as tshark 4.0 reads them: preamble bytes (0x55, any
 * number of them), then an SMD byte. An express frame (SMD-E) or a preemptable frame sent
 * whole (SMD-S0..3) is Ethernet when its last 4 bytes are the CRC-32 of the frame before
 * them, else not IP; verify and respond packets are not IP; anything else (continuation
 * fragments included: fragments are not reassembled across records) is read as Ethernet
 * from its first byte.
 */
import { crc32 } from 'node:zlib';
import { le32 } from './bytes';
import { decodeEthernet } from './link-layers';
import type { PacketRecord } from './packet-record';

const SMD_E = 0xd5;
const SMD_S = new Set([0xe6, 0x4c, 0x7f, 0xb3]);
const SMD_V = 0x07;
const SMD_R = 0x19;

export function decodeMpacket(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  let s = p;
  while (s < end && d[s] === 0x55) s++;
  const smd = s < end ? d[s]! : -1;
  if (smd === SMD_E || SMD_S.has(smd)) {
    const frame = s + 1;
    if (end - frame < 4) return;
    if (crc32(d.subarray(frame, end - 4)) === le32(d, end - 4)) {
      decodeEthernet(rec, d, frame, end - 4);
    }
  } else if (smd !== SMD_V && smd !== SMD_R) {
    decodeEthernet(rec, d, p, end);
  }
}
