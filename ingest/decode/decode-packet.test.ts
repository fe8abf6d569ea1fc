import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../format/read-capture';
import {
  ah,
  ethernet,
  ext6,
  frag6,
  icmp,
  ipv4,
  ipv6,
  tcp,
  udp,
} from '../format/test-support/packet-bytes';
import { makeScapyCorpus, SCAPY_FILES } from '../format/test-support/scapy-corpus';
import {
  comparable,
  frameView,
  hasScapy,
  hasTool,
  ipv4Text,
  ipv6Text,
  ourFrames,
  type TempDir,
  tempDir,
  tsharkFramesAsync,
} from '../format/test-support/tools';
import { decodePacket, decodePacketGeneral } from './decode-packet';
import { PacketRecord } from './packet-record';

function decode(frame: Uint8Array, linkType = 1, general = false): PacketRecord {
  const rec = new PacketRecord();
  rec.frame = frame;
  rec.frameStart = 0;
  rec.capLen = frame.length;
  rec.origLen = frame.length;
  rec.linkType = linkType;
  (general ? decodePacketGeneral : decodePacket)(rec);
  return rec;
}

/** Every per-packet decoded field, for comparisons. */
function fields(r: PacketRecord) {
  return {
    ipVersion: r.ipVersion,
    ipLayer: r.ipLayer,
    src4: r.src4,
    dst4: r.dst4,
    src6: ipv6Text(r.src6),
    dst6: ipv6Text(r.dst6),
    ipLen: r.ipLen,
    ttl: r.ttl,
    ipId: r.ipId,
    laterFragment: r.laterFragment,
    proto: r.proto,
    l4Start: r.l4Start,
    l4Len: r.l4Len,
    srcPort: r.srcPort,
    dstPort: r.dstPort,
    tcpFlags: r.tcpFlags,
    tcpWindow: r.tcpWindow,
    tcpSeq: r.tcpSeq,
    tcpAck: r.tcpAck,
    tcpOptionsLen: r.tcpOptionsLen,
    icmpType: r.icmpType,
    icmpCode: r.icmpCode,
  };
}

const TOOLS = hasTool('tshark') && hasScapy();

describe
  .skipIf(!TOOLS)
  .concurrent('decoding real-tool captures agrees with tshark frame by frame', () => {
    let tmp: TempDir;
    beforeAll(() => {
      tmp = tempDir();
      makeScapyCorpus(tmp.dir);
    });
    afterAll(() => tmp?.remove());

    it.each(Object.entries(SCAPY_FILES))('%s (link type %i)', async (file, linkType) => {
      const path = tmp.path(file);
      const [ours, theirs] = await Promise.all([ourFrames(path), tsharkFramesAsync(path)]);
      expect(ours.length).toBeGreaterThan(3);
      expect(ours.map(comparable)).toEqual(theirs.map(comparable));
      const r = await readCapture(path, () => {});
      expect(r.linkTypes).toEqual([linkType]);
      expect(r.error).toBeNull();
    });
  });

describe('fast path and general decoder agree', () => {
  const variants: [string, Uint8Array][] = [];
  const t = (o: Parameters<typeof tcp>[0]) => tcp(o);
  for (const [name, l4, proto] of [
    ['tcp syn', t({ dport: 445, flags: 0x02, window: 8192, seq: 0xfedcba98 }), 6],
    [
      'tcp syn-ack with options',
      t({ dport: 51000, flags: 0x12, ack: 0x80000001, options: [2, 4, 5, 0xb4, 1, 1, 4, 2] }),
      6,
    ],
    ['tcp bogus data offset', t({ dport: 80, dataOffset: 4 }), 6],
    ['udp', udp(53, 5353, [1, 2, 3]), 17],
    ['icmp', icmp(3, 3, [0, 0, 0, 0, 0x45, 0]), 1],
    ['other proto', [1, 2, 3, 4, 5, 6, 7, 8], 47],
  ] as [string, number[], number][]) {
    variants.push([name, ethernet(0x0800, ipv4({ proto, src: '203.0.113.200' }, l4))]);
    variants.push([
      `${name}, IP options`,
      ethernet(0x0800, ipv4({ proto, options: [7, 7, 4, 0, 0, 0, 0] }, l4)),
    ]);
    variants.push([
      `${name}, first fragment`,
      ethernet(0x0800, ipv4({ proto, fragField: 0x2000 }, l4)),
    ]);
    variants.push([
      `${name}, later fragment`,
      ethernet(0x0800, ipv4({ proto, fragField: 0x0003 }, l4)),
    ]);
    variants.push([`${name}, DF`, ethernet(0x0800, ipv4({ proto, fragField: 0x4000 }, l4))]);
    variants.push([`${name}, TSO length 0`, ethernet(0x0800, ipv4({ proto, totalLength: 0 }, l4))]);
    variants.push([
      `${name}, short total length`,
      ethernet(0x0800, ipv4({ proto, totalLength: 30 }, l4)),
    ]);
    variants.push([
      `${name}, total length < header`,
      ethernet(0x0800, ipv4({ proto, totalLength: 19 }, l4)),
    ]);
    variants.push([`${name}, IHL 4`, ethernet(0x0800, ipv4({ proto, verIhl: 0x44 }, l4))]);
    variants.push([
      `${name}, version 6 nibble`,
      ethernet(0x0800, ipv4({ proto, verIhl: 0x65 }, l4)),
    ]);
    variants.push([
      `${name}, padded frame`,
      ethernet(0x0800, [...ipv4({ proto }, l4), ...Array(30).fill(0xa5)]),
    ]);
  }
  it.each(variants)('%s, at every captured length', (_name, frame) => {
    for (let n = 0; n <= frame.length; n++) {
      const f = frame.subarray(0, n);
      expect(fields(decode(f)), `cut at ${n}`).toEqual(fields(decode(f, 1, true)));
    }
  });

  it('a record filled without frameView still decodes (the view is made once)', () => {
    const rec = decode(variants[0]![1]);
    expect(rec.dstPort).toBe(445);
    expect(rec.frameView.byteLength).toBe(variants[0]![1].length);
  });
});

describe('decoded fields', () => {
  it('IPv4 + TCP: everything the record carries', () => {
    const f = ethernet(
      0x0800,
      ipv4(
        { proto: 6, src: '203.0.113.200', dst: '198.51.100.1', ttl: 241, id: 54321 },
        tcp({
          sport: 61000,
          dport: 23,
          seq: 0xc6336401,
          ack: 7,
          flags: 0x12,
          window: 14600,
          options: [2, 4, 5, 0xb4],
        }),
      ),
    );
    const r = decode(f);
    expect(fields(r)).toMatchObject({
      ipVersion: 4,
      ipLayer: 4,
      src4: 0xcb0071c8,
      dst4: 0xc6336401,
      ipLen: 20 + 24,
      ttl: 241,
      ipId: 54321,
      proto: 6,
      l4Start: 34,
      l4Len: 24,
      srcPort: 61000,
      dstPort: 23,
      tcpSeq: 0xc6336401,
      tcpAck: 7,
      tcpFlags: 0x12,
      tcpWindow: 14600,
      tcpOptionsLen: 4,
      icmpType: -1,
    });
    expect(ipv4Text(r.src4)).toBe('203.0.113.200');
  });

  it('IPv6: extension headers are walked; the fragment id low bits are ipId', () => {
    const l4 = tcp({ dport: 8443, flags: 0x02 });
    const r = decode(
      ethernet(
        0x86dd,
        ipv6({ nextHeader: 0, hopLimit: 9 }, [
          ...ext6(60),
          ...ext6(44),
          ...frag6(6, 0, true),
          ...l4,
        ]),
      ),
    );
    expect(fields(r)).toMatchObject({
      ipVersion: 6,
      proto: 6,
      ttl: 9,
      ipId: 0x1234,
      dstPort: 8443,
      src6: '2001:db8::1',
      dst6: '2001:db8::2',
      ipLen: 40 + 8 + 8 + 8 + 20,
    });
    const later = decode(
      ethernet(0x86dd, ipv6({ nextHeader: 44 }, [...frag6(17, 10, false), 1, 2, 3, 4])),
    );
    expect(fields(later)).toMatchObject({
      proto: 17,
      laterFragment: true,
      dstPort: -1,
      l4Start: -1,
    });
  });

  it('IPv6 stops at ESP and no-next-header; an IPv6 payload length of 0 leaves no transport', () => {
    expect(decode(ethernet(0x86dd, ipv6({ nextHeader: 50 }, [0, 0, 0, 1, 0, 0, 0, 1]))).proto).toBe(
      50,
    );
    expect(decode(ethernet(0x86dd, ipv6({ nextHeader: 59 }, []))).proto).toBe(59);
    const zero = decode(
      ethernet(0x86dd, ipv6({ nextHeader: 6, payloadLength: 0 }, tcp({ dport: 1 }))),
    );
    expect(fields(zero)).toMatchObject({ ipVersion: 6, proto: 6, dstPort: -1 });
  });

  it('ICMPv6 type / code; ICMP type / code need 6 bytes (as in tshark)', () => {
    const r6 = decode(ethernet(0x86dd, ipv6({ nextHeader: 58 }, [135, 0, 0, 0, 0, 0, 0, 0])));
    expect([r6.proto, r6.icmpType, r6.icmpCode]).toEqual([58, 135, 0]);
    const cut = ethernet(0x0800, ipv4({ proto: 1 }, icmp(11, 1)));
    expect(decode(cut.subarray(0, 34 + 5)).icmpType).toBe(-1);
    expect([decode(cut.subarray(0, 34 + 6)).icmpType, decode(cut).icmpCode]).toEqual([11, 1]);
  });

  it('ports come from the outer header: ICMP errors, IP-in-IP and 6in4 carry none', () => {
    const inner = ipv4({ proto: 6 }, tcp({ dport: 22 }));
    expect(
      fields(decode(ethernet(0x0800, ipv4({ proto: 1 }, [...icmp(3, 3), ...inner])))),
    ).toMatchObject({
      proto: 1,
      dstPort: -1,
      icmpType: 3,
    });
    expect(decode(ethernet(0x0800, ipv4({ proto: 4 }, inner))).dstPort).toBe(-1);
    expect(
      decode(ethernet(0x0800, ipv4({ proto: 41 }, ipv6({ nextHeader: 6 }, tcp({ dport: 1 })))))
        .proto,
    ).toBe(41);
  });

  it('authentication headers are skipped (IPv4 and IPv6): the protocol behind them is decoded', () => {
    // tshark decodes TCP after AH too; the frame.protocols chain shows "ah:tcp".
    const l4 = tcp({ dport: 500 });
    expect(fields(decode(ethernet(0x0800, ipv4({ proto: 51 }, [...ah(6), ...l4]))))).toMatchObject({
      proto: 6,
      dstPort: 500,
    });
    expect(
      fields(decode(ethernet(0x86dd, ipv6({ nextHeader: 51 }, [...ah(6), ...l4])))),
    ).toMatchObject({ proto: 6, dstPort: 500 });
  });

  it('malformed or cut IP: an IP layer (ipLayer) without a decodable source (ipVersion 0)', () => {
    const good = ethernet(0x0800, ipv4({ proto: 6 }, tcp({ dport: 1 })));
    expect(fields(decode(good.subarray(0, 14)))).toMatchObject({ ipLayer: 4, ipVersion: 0 });
    expect(fields(decode(good.subarray(0, 14 + 15)))).toMatchObject({ ipLayer: 4, ipVersion: 0 });
    // source captured, destination cut: an IP packet with dst4 0
    expect(fields(decode(good.subarray(0, 14 + 16)))).toMatchObject({
      ipLayer: 4,
      ipVersion: 4,
      dst4: 0,
      proto: 6,
    });
    expect(fields(decode(ethernet(0x0800, ipv4({ proto: 6, verIhl: 0x43 }, []))))).toMatchObject({
      ipLayer: 4,
      ipVersion: 0,
    });
    expect(fields(decode(ethernet(0x0800, ipv4({ proto: 6, verIhl: 0x55 }, []))))).toMatchObject({
      ipLayer: 4,
      ipVersion: 0,
    });
    // IPv6 dissector refuses another version: not IP at all
    expect(fields(decode(ethernet(0x86dd, ipv4({ proto: 6 }, []))))).toMatchObject({
      ipLayer: 0,
      ipVersion: 0,
    });
    expect(fields(decode(ethernet(0x86dd, [0x60, 0, 0])))).toMatchObject({
      ipLayer: 6,
      ipVersion: 0,
    });
  });

  it('IPv6 behind ethertype 0x0800 is decoded as IPv6 (tshark: "ip:ipv6")', () => {
    const r = decode(ethernet(0x0800, ipv6({ nextHeader: 17 }, udp(1, 53))));
    expect(fields(r)).toMatchObject({ ipLayer: 6, ipVersion: 6, dstPort: 53 });
  });

  it('VLAN tags at any depth', () => {
    const p = ipv4({ proto: 17 }, udp(1, 161));
    for (const tags of [
      [[0x8100, 5]],
      [
        [0x88a8, 100],
        [0x8100, 5],
      ],
      [
        [0x9100, 1],
        [0x8100, 2],
        [0x8100, 3],
      ],
    ]) {
      expect(decode(ethernet(0x0800, p, tags)).dstPort).toBe(161);
    }
    expect(decode(ethernet(0x0800, p, [[0x9200, 5]])).ipLayer).toBe(0);
  });

  it('unknown link types and non-IP frames are ipVersion 0 / ipLayer 0', () => {
    const r = decode(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 147);
    expect([r.ipVersion, r.ipLayer, r.proto]).toEqual([0, 0, -1]);
    expect(decode(ethernet(0x0806, Array(28).fill(0))).ipLayer).toBe(0);
  });

  it('reset clears a previous packet', () => {
    const rec = decode(ethernet(0x0800, ipv4({ proto: 6 }, tcp({ dport: 9 }))));
    rec.frame = ethernet(0x0806, Array(28).fill(0));
    rec.capLen = rec.frame.length;
    decodePacket(rec);
    expect(fields(rec)).toMatchObject({
      ipVersion: 0,
      dstPort: -1,
      tcpFlags: -1,
      proto: -1,
      l4Start: -1,
    });
  });

  it('frameView matches tshark on our own byte-built frames', () => {
    const r = decode(
      ethernet(
        0x0800,
        ipv4({ proto: 6, src: '192.0.2.55' }, tcp({ dport: 445, flags: 0x14, window: 0 })),
      ),
    );
    expect(frameView(r)).toMatchObject({
      src: '192.0.2.55',
      transport: 'tcp',
      dstPort: 445,
      tcpFlags: 0x14,
      tcpWindow: 0,
    });
  });
});
