/**
 * SunATM (link type 123) as tshark 4.0 reads it: a 4-byte pseudo-header (flags whose low
 * nibble is the traffic type, VPI, VCI), then an AAL5 PDU without its trailer. wiretap maps
 * the traffic type (LANE, LLC multiplexed, ILMI, Q.2931, else unknown, or signalling on VPI 0
 * VCI 5); tshark's ATM dissector guesses what an unknown type carries from its first bytes.
 * A record too short for the pseudo-header is a damaged file (ingest/format).
 */
import { u16 } from './bytes';
import { decodeFrameRelay } from './frame-relay';
import { decodeIp } from './ip';
import { decodeEthernet, decodeLlc, decodePppFromProtocol } from './link-layers';
import type { PacketRecord } from './packet-record';

export const SUNATM_HEADER = 4;

const TRAFFIC_LANE = 1;
const TRAFFIC_LLC_MUX = 2;
const TRAFFIC_MARS = 3;
const TRAFFIC_IFMP = 4;
const TRAFFIC_ILMI = 5;
const TRAFFIC_Q2931 = 6;

export function decodeSunAtm(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  if (end - p < SUNATM_HEADER) return;
  const q = p + SUNATM_HEADER;
  switch (d[p]! & 0x0f) {
    case TRAFFIC_LANE:
      // An LE header, then an 802.3 frame; 0xff00 there marks LE control traffic.
      if (end - q >= 2 && !(d[q] === 0xff && d[q + 1] === 0x00)) decodeEthernet(rec, d, q + 2, end);
      return;
    case TRAFFIC_LLC_MUX:
      decodeLlc(rec, d, q, end);
      return;
    case TRAFFIC_ILMI:
    case TRAFFIC_Q2931:
      return;
    case TRAFFIC_MARS:
    case TRAFFIC_IFMP:
      break;
    default:
      if (d[p + 1] === 0 && u16(d, p + 2) === 5) return; // signalling channel
  }
  decodeUnknownAal5(rec, d, q, end);
}

/** tshark's guess at an AAL5 PDU of unknown traffic type (it needs 8 bytes to guess). */
function decodeUnknownAal5(rec: PacketRecord, d: Uint8Array, q: number, end: number): void {
  if (end - q < 8) return;
  const o0 = d[q]!;
  if (o0 === 0xaa && d[q + 1] === 0xaa && d[q + 2] === 0x03) decodeLlc(rec, d, q, end);
  else if (d[q + 1] === 0x21) decodePppFromProtocol(rec, d, q, end);
  else if (o0 === 0 && d[q + 1] === 0) decodeEthernet(rec, d, q + 2, end);
  else if (frameRelayAt(d, q + 2) || frameRelayAt(d, q + 4)) decodeFrameRelay(rec, d, q, end);
  // tshark's IPv4 dissector, which hands version 6 on to IPv6.
  else if (o0 >> 4 === 4 || o0 >> 4 === 6) decodeIp(rec, d, q, end);
}

/** UI control then an NLPID for IPv4, IPv6 or SNAP: frame relay after a 2- or 4-byte address. */
function frameRelayAt(d: Uint8Array, c: number): boolean {
  if (d[c] !== 0x03) return false;
  const n = d[c + 1];
  return n === 0xcc || n === 0x8e || (n === 0x00 && d[c + 2] === 0x80);
}
