/**
 * Redback SmartEdge (link type 32), as tshark 4.0 reads it: a 24-byte header whose protocol
 * (bytes 18-19), data offset (20-21) and layer-3 offset (22-23) say where the payload starts
 * (from the record's first byte) and what it is.
 */
import { u16, u32 } from './bytes';
import { decodeIPv6, decodeIp } from './ip';
import { decodeEthernet, decodeOsi, decodePpp, decodePppFromProtocol } from './link-layers';
import type { PacketRecord } from './packet-record';

const FLAG_NO_PAD = 0x04000000;

export function decodeRedback(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < 24) return;
  const proto = u16(d, p + 18);
  const dataOff = u16(d, p + 20);
  const l3Off = u16(d, p + 22);
  const q = p + dataOff;
  if (q > end) return;
  switch (proto) {
    case 0x01: // IPv4: on Ethernet inbound, bare outbound, or after a PPP header
      if (dataOff === l3Off) decodeIp(rec, d, q, end);
      else if (dataOff + 2 === l3Off) decodePppFromProtocol(rec, d, q, end);
      else if (dataOff + 4 === l3Off) decodePpp(rec, d, q, end);
      else decodeEthernet(rec, d, q, end);
      break;
    case 0x02: // IS-IS: on Ethernet, or an OSI NLPID
      if (l3Off > dataOff) decodeEthernet(rec, d, q, end);
      else decodeOsi(rec, d, q, end);
      break;
    case 0x06: {
      // PPP (PPPoE on Ethernet), after 4 bytes of padding unless the flags say there are none
      const r = (u32(d, p + 4) & FLAG_NO_PAD) !== 0 ? q : q + 4;
      if (l3Off === dataOff) decodePppFromProtocol(rec, d, r, end);
      else decodeEthernet(rec, d, r, end); // PPPoE
      break;
    }
    case 0x03: // unicast and broadcast Ethernet
    case 0x04:
    case 0x08:
      decodeEthernet(rec, d, q, end);
      break;
    case 0x09: // IPv6, bare or on Ethernet
      if (dataOff === l3Off) decodeIPv6(rec, d, q, end);
      else decodeEthernet(rec, d, q, end);
      break;
    default:
      break;
  }
}
