/** LINKTYPE_ values (tcpdump.org link-layer header types) that the decoder understands. */
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_PPP = 9;
/** DLT_RAW on OpenBSD (and some others): raw IP. */
export const LINKTYPE_RAW_12 = 12;
/** DLT_RAW on BSD/OS: raw IP. */
export const LINKTYPE_RAW_14 = 14;
export const LINKTYPE_PPP_HDLC = 50;
export const LINKTYPE_PPP_ETHER = 51;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_C_HDLC = 104;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
/** Solaris ATM: a 4-byte pseudo-header, then an AAL5 PDU. */
export const LINKTYPE_SUNATM = 123;
export const LINKTYPE_PFLOG = 117;
/** Endace ERF records (DAG capture cards). */
export const LINKTYPE_ERF = 197;
/** PPP after a one-byte direction pseudo-header. */
export const LINKTYPE_PPP_WITH_DIR = 204;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_NFLOG = 239;
/** Wireshark's exported PDUs (Export PDUs, text2pcap -P). */
export const LINKTYPE_WIRESHARK_UPPER_PDU = 252;
export const LINKTYPE_LINUX_SLL2 = 276;

const NAMES: Record<number, string> = {
  0: 'BSD loopback (NULL)',
  1: 'Ethernet',
  6: 'Token Ring',
  9: 'PPP',
  10: 'FDDI',
  12: 'Raw IP (DLT 12)',
  13: 'OpenBSD enc (DLT 13)',
  14: 'Raw IP (DLT 14)',
  32: 'Redback SmartEdge',
  50: 'PPP in HDLC framing',
  51: 'PPPoE',
  101: 'Raw IP',
  104: 'Cisco HDLC',
  105: 'IEEE 802.11',
  106: 'Linux ATM CLIP',
  107: 'Frame relay',
  108: 'OpenBSD loopback (LOOP)',
  109: 'OpenBSD enc',
  113: 'Linux cooked (SLL)',
  117: 'OpenBSD pflog',
  119: 'Prism + 802.11',
  123: 'SunATM',
  127: 'IEEE 802.11 radiotap',
  135: 'Juniper ATM2',
  137: 'Juniper ATM1',
  138: 'Apple IP over IEEE 1394',
  147: 'User 0',
  170: 'GFP-T',
  171: 'GFP-F',
  178: 'Juniper Ethernet',
  163: 'AVS + 802.11',
  189: 'Linux USB',
  192: 'PPI',
  195: 'IEEE 802.15.4',
  197: 'Endace ERF',
  204: 'PPP with direction',
  220: 'Linux USB (mmapped)',
  228: 'Raw IPv4',
  229: 'Raw IPv6',
  231: 'D-Bus',
  239: 'Linux netfilter NFLOG',
  249: 'USBPcap',
  252: 'Wireshark exported PDUs',
  253: 'Linux netlink',
  274: 'IEEE 802.3br mPackets',
  276: 'Linux cooked v2 (SLL2)',
};

/** A human name for a link type ("Ethernet"), or "link type N" when unknown. */
export function linkTypeName(linkType: number): string {
  return NAMES[linkType] ?? `link type ${linkType}`;
}

/**
 * Largest captured length wiretap (tshark's file reader) accepts for a link type before it calls
 * the file corrupt: 262144 for nearly everything, more for D-Bus, USB and EBHSCR.
 */
export function maxCapLenForLinkType(linkType: number): number {
  switch (linkType) {
    case 231: // D-Bus
      return 128 * 1024 * 1024;
    case 186: // FreeBSD USB
    case 189: // Linux USB
    case 220: // Linux USB mmapped
    case 249: // USBPcap
    case 266: // Darwin USB
      return 128 * 1024 * 1024;
    case 279: // EBHSCR
      return 8 * 1024 * 1024;
    default:
      return 262144;
  }
}
