const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);

/**
 * One decoded packet. A single instance is reused for every packet of a file
 * (no allocation on the hot path): consumers must copy what they keep, and treat it as
 * read-only (the reader sets some fields once per buffer, not once per packet).
 * Fields that a packet does not carry (or that the snap length cut off) are -1.
 */
export class PacketRecord {
  /** Record number in the file, 1-based. */
  index = 0;
  /** Byte offset of the record header in the (decompressed) file. */
  offset = 0;
  /** Capture time as exact integers: whole seconds since the epoch (UTC) and nanoseconds. */
  tsSec = 0;
  tsNsec = 0;
  /**
   * False when the record carries no time stamp (a pcapng Simple Packet Block): tsSec and
   * tsNsec are then 0, i.e. 1970-01-01T00:00:00Z (tshark shows no time for it).
   */
  hasTimestamp = true;
  linkType = -1;
  /** pcapng interface id (0 for classic pcap). */
  interfaceId = 0;
  capLen = 0;
  origLen = 0;
  /**
   * The buffer holding the captured bytes and where they start in it. Only valid during the
   * callback: the buffer is reused (or recycled) right after.
   */
  frame: Uint8Array = EMPTY;
  /** A DataView over the same bytes as `frame` (same offsets), valid when frameViewOf === frame. */
  frameView: DataView = EMPTY_VIEW;
  /** The `frame` that frameView was made for (the decoder remakes the view when they differ). */
  frameViewOf: Uint8Array = EMPTY;
  frameStart = 0;

  /** 4, 6, or 0 when the record is not an IP packet (ARP, LLDP, undecodable...). */
  ipVersion: 0 | 4 | 6 = 0;
  /**
   * The outermost network layer as tshark dissects it: 4 or 6 when the link layer hands the
   * packet to IPv4 / IPv6, even when that header then turns out malformed or cut (bad header
   * length, bad version behind ethertype 0x0800, cut before the source address); 0 otherwise.
   * Equal to ipVersion whenever ipVersion is not 0. Count "IP packets" like tshark with this;
   * addresses, ports etc. are only there when ipVersion is set.
   */
  ipLayer: 0 | 4 | 6 = 0;
  /** IPv4 addresses as unsigned 32-bit integers (valid when ipVersion === 4). */
  src4 = 0;
  dst4 = 0;
  /** IPv6 addresses, 16 bytes each (valid when ipVersion === 6; buffers are reused). */
  readonly src6 = new Uint8Array(16);
  readonly dst6 = new Uint8Array(16);
  /** IP total length from the header (IPv6: payload length + 40). */
  ipLen = -1;
  ttl = -1;
  /** IPv4 identification; IPv6: fragment header identification low 16 bits, else -1. */
  ipId = -1;
  /** True when this is a fragment other than the first (no transport header). */
  laterFragment = false;
  /** Transport protocol from the outer IP header chain (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...). */
  proto = -1;
  /**
   * Where the transport header starts in `frame` and how many of its bytes were captured (bounded
   * by the capture and by the IP length; may be 0 when the snap length cut it all); -1 / 0 when
   * the packet has no transport header (not IP, later fragment, no IP payload, cut IP header).
   */
  l4Start = -1;
  l4Len = 0;

  srcPort = -1;
  dstPort = -1;
  /** TCP flags byte (FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 ECE 0x40 CWR 0x80). */
  tcpFlags = -1;
  tcpWindow = -1;
  /** TCP sequence number, unsigned 32-bit. */
  tcpSeq = -1;
  /** TCP acknowledgment number, unsigned 32-bit. */
  tcpAck = -1;
  /** TCP header length in bytes minus 20 (0 = no options), -1 if unknown. */
  tcpOptionsLen = -1;
  icmpType = -1;
  icmpCode = -1;

  /**
   * Copies the fields of an IPv4 packet that aggregation reads (not the frame, not the
   * IPv6 addresses), for keeping a packet past its callback.
   */
  copyIpv4From(r: PacketRecord): void {
    this.tsSec = r.tsSec;
    this.tsNsec = r.tsNsec;
    this.origLen = r.origLen;
    this.ipVersion = r.ipVersion;
    this.ipLayer = r.ipLayer;
    this.src4 = r.src4;
    this.dst4 = r.dst4;
    this.ipLen = r.ipLen;
    this.ttl = r.ttl;
    this.ipId = r.ipId;
    this.laterFragment = r.laterFragment;
    this.proto = r.proto;
    this.srcPort = r.srcPort;
    this.dstPort = r.dstPort;
    this.tcpFlags = r.tcpFlags;
    this.tcpWindow = r.tcpWindow;
    this.tcpSeq = r.tcpSeq;
    this.tcpAck = r.tcpAck;
    this.tcpOptionsLen = r.tcpOptionsLen;
    this.icmpType = r.icmpType;
    this.icmpCode = r.icmpCode;
  }

  reset(): void {
    this.ipVersion = 0;
    this.ipLayer = 0;
    this.src4 = 0;
    this.dst4 = 0;
    this.ipLen = -1;
    this.ttl = -1;
    this.ipId = -1;
    this.laterFragment = false;
    this.proto = -1;
    this.l4Start = -1;
    this.l4Len = 0;
    this.srcPort = -1;
    this.dstPort = -1;
    this.tcpFlags = -1;
    this.tcpWindow = -1;
    this.tcpSeq = -1;
    this.tcpAck = -1;
    this.tcpOptionsLen = -1;
    this.icmpType = -1;
    this.icmpCode = -1;
  }
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;
export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_ICMPV6 = 58;
