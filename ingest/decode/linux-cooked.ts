import { decodeFrameRelay } from './frame-relay';
import { decodeEthernet, decodeEtherType, decodeLlc, decodePpp } from './link-layers';
import type { PacketRecord } from './packet-record';
import { decodeRadiotap } from './wlan';

const ARPHRD_FRAD = 770;
const ARPHRD_IEEE80211_RADIOTAP = 803;
const ARPHRD_NETLINK = 824;

/**
 * What follows a Linux cooked header (SLL or SLL2), as tshark's sll dissector reads it.
 * A protocol above 1536 is an ethertype. Up to 1536 it is a Linux packet type whose
 * meaning depends first on the device: radiotap on an 802.11 monitor device, frame relay
 * on a FRAD; otherwise 4 is 802.2 LLC, 3 a whole Ethernet frame (a packet socket opened
 * with ETH_P_ALL sends these) and 7 PPP in HDLC framing. Netlink devices carry no IP.
 */
export function decodeLinuxCookedPayload(
  rec: PacketRecord,
  d: Uint8Array,
  hatype: number,
  proto: number,
  q: number,
  end: number,
): void {
  if (hatype === ARPHRD_NETLINK) return;
  if (proto > 1536) decodeEtherType(rec, d, proto, q, end);
  else if (hatype === ARPHRD_IEEE80211_RADIOTAP) decodeRadiotap(rec, d, q, end);
  else if (hatype === ARPHRD_FRAD) decodeFrameRelay(rec, d, q, end);
  else if (proto === 0x0004) decodeLlc(rec, d, q, end);
  else if (proto === 0x0003) decodeEthernet(rec, d, q, end);
  else if (proto === 0x0007) decodePpp(rec, d, q, end);
}
