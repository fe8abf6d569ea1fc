import { describe, expect, it } from 'vitest';
import {
  internetChecksum,
  newIcmpFields,
  newTcpFields,
  newUdpFields,
  PacketBuilder,
  quoteTcp,
  TCP_ACK,
  TCP_SYN,
  TcpOptions,
} from './packet-builder';

const mac = Uint8Array.of(2, 0, 0, 0, 0, 1);

/** Sum of the pseudo-header and transport bytes: 0 when the checksum is right. */
function transportOk(buf: Uint8Array, len: number, proto: number): boolean {
  const ip = 14;
  const ihl = (buf[ip]! & 15) * 4;
  const tlen = len - ip - ihl;
  const src = ((buf[ip + 12]! << 8) | buf[ip + 13]!) + ((buf[ip + 14]! << 8) | buf[ip + 15]!);
  const dst = ((buf[ip + 16]! << 8) | buf[ip + 17]!) + ((buf[ip + 18]! << 8) | buf[ip + 19]!);
  const pseudo = proto === 1 ? 0 : src + dst + proto + tlen;
  return internetChecksum(buf, ip + ihl, tlen, pseudo) === 0;
}

describe('PacketBuilder', () => {
  const b = new PacketBuilder(mac, mac);

  it.each([
    [TcpOptions.None, 54],
    [TcpOptions.Mss, 58],
    [TcpOptions.MssSack, 62],
    [TcpOptions.Windows, 66],
    [TcpOptions.Linux, 74],
  ])('builds TCP SYNs with valid checksums (options %i -> %i bytes)', (options, size) => {
    const f = newTcpFields();
    Object.assign(f, {
      src: 0x01020304,
      dst: 0xc0000211,
      ttl: 111,
      ipId: 54321,
      srcPort: 40000,
      dstPort: 445,
      seq: 0xdeadbeef,
      flags: TCP_SYN,
      window: 8192,
      options,
      tsval: 12345,
    });
    const len = b.tcp(f);
    expect(len).toBe(size);
    expect(internetChecksum(b.buf, 14, 20)).toBe(0);
    expect(transportOk(b.buf, len, 6)).toBe(true);
    const v = new DataView(b.buf.buffer);
    expect(v.getUint16(14 + 4)).toBe(54321);
    expect(v.getUint32(14 + 20 + 4)).toBe(0xdeadbeef);
    expect(v.getUint16(14 + 20 + 14)).toBe(8192);
    expect(b.buf[14 + 20 + 13]).toBe(TCP_SYN);
  });

  it('builds SYN-ACKs, UDP and ICMP with valid checksums', () => {
    const t = newTcpFields();
    Object.assign(t, {
      src: 0x67672811,
      dst: 0xc6336440,
      srcPort: 443,
      dstPort: 23,
      flags: TCP_SYN | TCP_ACK,
      ack: 77,
    });
    expect(transportOk(b.buf, b.tcp(t), 6)).toBe(true);
    const u = newUdpFields();
    Object.assign(u, { src: 0x08080808, dst: 0xc0000201, srcPort: 53, dstPort: 40000 });
    const ulen = b.udp(u, Uint8Array.of(1, 2, 3, 4, 5));
    expect(ulen).toBe(14 + 20 + 8 + 5);
    expect(transportOk(b.buf, ulen, 17)).toBe(true);
    const i = newIcmpFields();
    Object.assign(i, { src: 0x01010101, dst: 0xc0000201, type: 8, id: 7, seqNo: 9 });
    const ilen = b.icmp(i, new Uint8Array(32));
    expect(transportOk(b.buf, ilen, 1)).toBe(true);
    const q = new Uint8Array(28);
    quoteTcp(q, 0xc0000201, 0x01010102, 1234, 80, 5, 6, 7);
    expect(internetChecksum(q, 0, 20)).toBe(0);
    Object.assign(i, { type: 3, code: 3 });
    const elen = b.icmp(i, q);
    expect(elen).toBe(14 + 20 + 8 + 28);
    expect(transportOk(b.buf, elen, 1)).toBe(true);
  });
});
