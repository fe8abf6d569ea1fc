/**
 * Builds Ethernet + IPv4 + TCP/UDP/ICMP frames into one reused buffer, with correct
 * IPv4 header, TCP, UDP and ICMP checksums. No allocation per packet: callers fill a
 * reused fields object and get back the frame length.
 */

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

const ETH_LEN = 14;
const IP_LEN = 20;

/** TCP option layouts a generated SYN or SYN-ACK can carry. */
export enum TcpOptions {
  None = 0,
  /** MSS 1460. */
  Mss = 1,
  /** Windows 7 / Server 2008: MSS 1460, NOP, WS 8, NOP, NOP, SACK permitted (12 bytes). */
  Windows = 2,
  /** Linux: MSS 1460, SACK permitted, timestamps, NOP, WS 7 (20 bytes). */
  Linux = 3,
  /** MSS 1460, NOP, NOP, SACK permitted (8 bytes): an older Windows SYN-ACK. */
  MssSack = 4,
}

export interface IpFields {
  src: number;
  dst: number;
  ttl: number;
  ipId: number;
  /** Don't Fragment flag. */
  df: boolean;
  tos: number;
}

export interface TcpFields extends IpFields {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  options: TcpOptions;
  /** TCP timestamp value, used when options carry timestamps. */
  tsval: number;
}

export interface UdpFields extends IpFields {
  srcPort: number;
  dstPort: number;
}

export interface IcmpFields extends IpFields {
  type: number;
  code: number;
  /** Echo identifier / sequence (types 0 and 8). */
  id: number;
  seqNo: number;
}

export function newTcpFields(): TcpFields {
  return {
    src: 0,
    dst: 0,
    ttl: 64,
    ipId: 0,
    df: false,
    tos: 0,
    srcPort: 0,
    dstPort: 0,
    seq: 0,
    ack: 0,
    flags: TCP_SYN,
    window: 1024,
    options: TcpOptions.None,
    tsval: 0,
  };
}

export function newUdpFields(): UdpFields {
  return { src: 0, dst: 0, ttl: 64, ipId: 0, df: false, tos: 0, srcPort: 0, dstPort: 0 };
}

export function newIcmpFields(): IcmpFields {
  return { src: 0, dst: 0, ttl: 64, ipId: 0, df: false, tos: 0, type: 8, code: 0, id: 0, seqNo: 0 };
}

/** Ones' complement sum of big-endian 16-bit words of buf[off, off+len), not folded. */
function sum16(buf: Uint8Array, off: number, len: number, initial: number): number {
  let s = initial;
  const end = off + (len & ~1);
  for (let i = off; i < end; i += 2) s += (buf[i]! << 8) | buf[i + 1]!;
  if (len & 1) s += buf[off + len - 1]! << 8;
  return s;
}

function fold(s: number): number {
  let x = s;
  while (x > 0xffff) x = (x & 0xffff) + Math.floor(x / 0x10000);
  return ~x & 0xffff;
}

/** The IPv4 pseudo-header sum for a transport checksum. */
function pseudoSum(src: number, dst: number, proto: number, len: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + len;
}

/** Internet checksum of a byte range (for tests and the checker). */
export function internetChecksum(buf: Uint8Array, off: number, len: number, initial = 0): number {
  return fold(sum16(buf, off, len, initial));
}

export class PacketBuilder {
  readonly buf = new Uint8Array(2048);
  private readonly view = new DataView(this.buf.buffer);

  constructor(dstMac: Uint8Array, srcMac: Uint8Array) {
    this.buf.set(dstMac.subarray(0, 6), 0);
    this.buf.set(srcMac.subarray(0, 6), 6);
    this.view.setUint16(12, 0x0800);
  }

  /** Sets the Ethernet addresses (e.g. per sensor). */
  setMacs(dstMac: Uint8Array, srcMac: Uint8Array): void {
    this.buf.set(dstMac.subarray(0, 6), 0);
    this.buf.set(srcMac.subarray(0, 6), 6);
  }

  private ipHeader(f: IpFields, proto: number, totalLen: number): void {
    const v = this.view;
    const o = ETH_LEN;
    v.setUint8(o, 0x45);
    v.setUint8(o + 1, f.tos & 0xff);
    v.setUint16(o + 2, totalLen);
    v.setUint16(o + 4, f.ipId & 0xffff);
    v.setUint16(o + 6, f.df ? 0x4000 : 0);
    v.setUint8(o + 8, f.ttl & 0xff);
    v.setUint8(o + 9, proto);
    v.setUint16(o + 10, 0);
    v.setUint32(o + 12, f.src >>> 0);
    v.setUint32(o + 16, f.dst >>> 0);
    v.setUint16(o + 10, internetChecksum(this.buf, o, IP_LEN));
  }

  /** Writes TCP options at offset `o`; returns their length (a multiple of 4). */
  private tcpOptions(o: number, kind: TcpOptions, tsval: number): number {
    const b = this.buf;
    switch (kind) {
      case TcpOptions.None:
        return 0;
      case TcpOptions.Mss:
        b[o] = 2;
        b[o + 1] = 4;
        b[o + 2] = 0x05;
        b[o + 3] = 0xb4;
        return 4;
      case TcpOptions.Windows:
        b.set(WINDOWS_OPTIONS, o);
        return WINDOWS_OPTIONS.length;
      case TcpOptions.MssSack:
        b.set(MSS_SACK_OPTIONS, o);
        return MSS_SACK_OPTIONS.length;
      case TcpOptions.Linux:
        b.set(LINUX_OPTIONS, o);
        this.view.setUint32(o + 8, tsval >>> 0);
        this.view.setUint32(o + 12, 0);
        return LINUX_OPTIONS.length;
    }
  }

  /** An Ethernet/IPv4/TCP frame without payload. Returns the frame length. */
  tcp(f: TcpFields): number {
    const t = ETH_LEN + IP_LEN;
    const optLen = this.tcpOptions(t + 20, f.options, f.tsval);
    const tcpLen = 20 + optLen;
    this.ipHeader(f, IPPROTO_TCP, IP_LEN + tcpLen);
    const v = this.view;
    v.setUint16(t, f.srcPort & 0xffff);
    v.setUint16(t + 2, f.dstPort & 0xffff);
    v.setUint32(t + 4, f.seq >>> 0);
    v.setUint32(t + 8, f.ack >>> 0);
    v.setUint8(t + 12, (tcpLen >> 2) << 4);
    v.setUint8(t + 13, f.flags & 0xff);
    v.setUint16(t + 14, f.window & 0xffff);
    v.setUint16(t + 16, 0);
    v.setUint16(t + 18, 0);
    const ps = pseudoSum(f.src >>> 0, f.dst >>> 0, IPPROTO_TCP, tcpLen);
    v.setUint16(t + 16, internetChecksum(this.buf, t, tcpLen, ps));
    return ETH_LEN + IP_LEN + tcpLen;
  }

  /** An Ethernet/IPv4/UDP frame with the given payload. Returns the frame length. */
  udp(f: UdpFields, payload: Uint8Array): number {
    const u = ETH_LEN + IP_LEN;
    const udpLen = 8 + payload.length;
    this.ipHeader(f, IPPROTO_UDP, IP_LEN + udpLen);
    const v = this.view;
    v.setUint16(u, f.srcPort & 0xffff);
    v.setUint16(u + 2, f.dstPort & 0xffff);
    v.setUint16(u + 4, udpLen);
    v.setUint16(u + 6, 0);
    this.buf.set(payload, u + 8);
    const ps = pseudoSum(f.src >>> 0, f.dst >>> 0, IPPROTO_UDP, udpLen);
    const c = internetChecksum(this.buf, u, udpLen, ps);
    v.setUint16(u + 6, c === 0 ? 0xffff : c);
    return ETH_LEN + IP_LEN + udpLen;
  }

  /**
   * An Ethernet/IPv4/ICMP frame. Echo request/reply (types 8/0) carry `echoPayload`;
   * errors (types 3, 11) quote `quoted` (an IPv4 header plus 8 bytes, built by
   * `quoteTcp`). Returns the frame length.
   */
  icmp(f: IcmpFields, body: Uint8Array): number {
    const c = ETH_LEN + IP_LEN;
    const icmpLen = 8 + body.length;
    this.ipHeader(f, IPPROTO_ICMP, IP_LEN + icmpLen);
    const v = this.view;
    v.setUint8(c, f.type);
    v.setUint8(c + 1, f.code);
    v.setUint16(c + 2, 0);
    if (f.type === 0 || f.type === 8) {
      v.setUint16(c + 4, f.id & 0xffff);
      v.setUint16(c + 6, f.seqNo & 0xffff);
    } else {
      v.setUint32(c + 4, 0);
    }
    this.buf.set(body, c + 8);
    v.setUint16(c + 2, internetChecksum(this.buf, c, icmpLen));
    return ETH_LEN + IP_LEN + icmpLen;
  }
}

const WINDOWS_OPTIONS = Uint8Array.of(2, 4, 0x05, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2);
const MSS_SACK_OPTIONS = Uint8Array.of(2, 4, 0x05, 0xb4, 1, 1, 4, 2);
const LINUX_OPTIONS = Uint8Array.of(
  2,
  4,
  0x05,
  0xb4,
  4,
  2,
  8,
  10,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  1,
  3,
  3,
  7,
);

/**
 * Writes into `out` (28 bytes) the quoted IPv4 header + first 8 TCP bytes of a SYN
 * from `src`:`srcPort` to `dst`:`dstPort`, as an ICMP error quotes it.
 */
export function quoteTcp(
  out: Uint8Array,
  src: number,
  dst: number,
  srcPort: number,
  dstPort: number,
  seq: number,
  ipId: number,
  ttl: number,
): void {
  out.fill(0, 0, 28);
  out[0] = 0x45;
  out[3] = 40;
  put16(out, 4, ipId);
  out[8] = ttl & 0xff;
  out[9] = IPPROTO_TCP;
  put32(out, 12, src);
  put32(out, 16, dst);
  put16(out, 10, internetChecksum(out, 0, 20));
  put16(out, 20, srcPort);
  put16(out, 22, dstPort);
  put32(out, 24, seq);
}

function put16(b: Uint8Array, o: number, x: number): void {
  b[o] = (x >>> 8) & 0xff;
  b[o + 1] = x & 0xff;
}

function put32(b: Uint8Array, o: number, x: number): void {
  b[o] = (x >>> 24) & 0xff;
  b[o + 1] = (x >>> 16) & 0xff;
  b[o + 2] = (x >>> 8) & 0xff;
  b[o + 3] = x & 0xff;
}
