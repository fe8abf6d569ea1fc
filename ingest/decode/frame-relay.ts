/**
 * Frame relay (link type 107; also behind Juniper headers), as tshark 4.0 reads it with its
 * default RFC 2427 / Cisco encapsulation: the address field up to the octet with the EA bit,
 * then either an unnumbered-information control byte and an NLPID (an optional padding byte
 * before it), or, on a DLCI other than 0, a Cisco HDLC type when tshark knows it, else any
 * other control field and an NLPID.
 */

import { u16 } from './bytes';
import { decodeIPv6, decodeIp } from './ip';
import {
  decodeBridged,
  decodeChdlcType,
  decodeEthernetWithFcs,
  decodeEtherType,
  decodePppFromProtocol,
  xdlcControlLength,
} from './link-layers';
import type { PacketRecord } from './packet-record';

const EA = 0x01;

export function decodeFrameRelay(rec: PacketRecord, d: Uint8Array, p: number, end: number): void {
  let q = p;
  let dlci = 0;
  if (end - q < 1) return;
  let octet = d[q]!;
  if (octet & EA) {
    q++; // a bogus one-octet address (DLCI 0)
  } else {
    if (end - q < 2) return;
    dlci = (((octet & 0xfc) >> 2) << 4) | ((d[q + 1]! & 0xf0) >> 4);
    octet = d[q + 1]!;
    q += 2;
    if (!(octet & EA)) {
      if (end - q < 1) return;
      octet = d[q]!;
      if (!(octet & EA)) {
        dlci = (dlci << 7) | ((octet & 0xfe) >> 1);
        q++;
        // More than four address octets: tshark skips them up to the one with EA.
        for (;;) {
          if (end - q < 1) return;
          octet = d[q]!;
          if (octet & EA) break;
          q++;
        }
      }
      if (!(octet & 0x02)) dlci = (dlci << 6) | ((octet & 0xfc) >> 2);
      q++;
    }
  }
  if (end - q < 1) return;
  const control = d[q]!;
  if (control === 0x03) {
    decodeNlpid(rec, d, q + 1, end, true);
    return;
  }
  // DLCI 0 is LAPF signalling; 0xaf an XID frame.
  if (dlci === 0 || control === 0xaf) return;
  if (end - q >= 2) {
    const type = u16(d, q);
    if (CISCO_TYPES.has(type)) {
      decodeChdlcType(rec, d, type, q + 2, end);
      return;
    }
    // Not a Cisco type tshark knows: RFC 2427 if an NLPID it knows follows a control field
    // (U frames 1 byte, I and S frames 2, as in extended mode; a zero byte first is skipped
    // for this guess only).
    let n = q;
    if (d[n] === 0) n++;
    if (n < end) {
      n += xdlcControlLength(d[n]!);
      if (n < end && KNOWN_NLPIDS.has(d[n]!)) {
        decodeNlpid(rec, d, q + xdlcControlLength(control), end, (control & 1) === 0);
        return;
      }
    }
  }
  // Else raw Ethernet with its frame check sequence, when a length or known type is there.
  if (end - q >= 14) decodeEthernetWithFcs(rec, d, q, end);
}

/** NLPIDs tshark's frame relay tables know: OSI ones, Q.933, IPv4, IPv6, PPP, SNAP... */
const KNOWN_NLPIDS = new Set([0x00, 0x08, 0x09, 0x80, 0x81, 0x82, 0x83, 0x8e, 0xcc, 0xcf]);

/** Cisco HDLC types with a dissector in tshark (its chdlc.protocol table). */
const CISCO_TYPES = new Set([
  0x0111, 0x0600, 0x0800, 0x2000, 0x4242, 0x6003, 0x6558, 0x8035, 0x8038, 0x809b, 0x80f3, 0x8137,
  0x86dd, 0x8847, 0x8848, 0xfefe,
]);

/** NLPIDs the OSI network layer keeps (CLNP, ES-IS, IS-IS, the null NLPID...) and Q.933. */
const OSI_INCLUDED = new Set([0x00, 0x08, 0x81, 0x82, 0x83]);

/**
 * RFC 2427 NLPID: IPv4 0xcc, IPv6 0x8e, PPP 0xcf, SNAP 0x80. `information`: the control field
 * was I or UI (tshark's SNAP dissector follows an ethertype only then).
 */
function decodeNlpid(
  rec: PacketRecord,
  d: Uint8Array,
  q: number,
  end: number,
  information: boolean,
): void {
  if (end - q < 1) return;
  if (d[q] === 0) {
    q++;
    if (end - q < 1) return;
  }
  const nlpid = d[q]!;
  if (OSI_INCLUDED.has(nlpid)) return;
  q++;
  if (nlpid === 0xcc) decodeIp(rec, d, q, end);
  else if (nlpid === 0x8e) decodeIPv6(rec, d, q, end);
  else if (nlpid === 0xcf) decodePppFromProtocol(rec, d, q, end);
  else if (nlpid === 0x80 && end - q >= 5) decodeSnap(rec, d, q, end, information);
}

/**
 * SNAP after the NLPID: OUI 00-00-00 / 00-00-F8 with an ethertype (only in an information
 * frame), 00-80-C2 a bridged MAC frame (decodeBridged, no padding).
 */
function decodeSnap(
  rec: PacketRecord,
  d: Uint8Array,
  q: number,
  end: number,
  information: boolean,
): void {
  const oui = (d[q]! << 16) | (d[q + 1]! << 8) | d[q + 2]!;
  const pid = u16(d, q + 3);
  if (oui === 0 || oui === 0xf8) {
    if (information) decodeEtherType(rec, d, pid, q + 5, end, true);
  } else if (oui === 0x0080c2) {
    decodeBridged(rec, d, pid, q + 5, end, 0);
  }
}
