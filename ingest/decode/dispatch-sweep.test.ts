/**
 * Every value of each field that picks the next protocol (ethertype, SLL protocol, PPP protocol,
 * Cisco HDLC type, BSD null family, NFLOG hardware protocol, IP protocol, IPv4 option), with IP
 * behind it, compared with tshark frame by frame: which values lead to IP is tshark's answer,
 * not a list typed from memory. The exceptions are the ones ingest/decode/README.md documents.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ipv4, ipv6, tcp, udp } from '../format/test-support/packet-bytes';
import { hasTool, tempDir } from '../format/test-support/tools';
import { notDecodedEthertype, sweepWithTshark } from '../format/test-support/tshark-sweep';

const SYN = tcp({ sport: 40000, dport: 80, flags: 0x02, window: 8192 });
const PAYLOADS = [
  ipv4({ proto: 6, src: '198.51.100.1', dst: '192.0.2.1' }, SYN),
  ipv6({ nextHeader: 6, src: '2001:db8::1', dst: '2001:db8::2' }, SYN),
];
const MACS = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb];

const be16 = (v: number) => [v >> 8, v & 0xff];
const le32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24];
const swap16 = (v: number) => ((v & 0xff) << 8) | (v >> 8);

interface Field {
  linkType: number;
  /** The link header that puts `value` in the field under test, before `length` bytes of IP. */
  header: (value: number, length: number) => number[];
  /** Values tshark follows to IP and the decoder does not, on purpose (README). */
  notDecoded?: (value: number) => boolean;
}

/** Van Jacobson compressed TCP (0x2d, 0x2f; also as a compressed 1-byte protocol). */
const notDecodedPpp = (v: number) => [0x2d, 0x2f].includes(v) || [0x2d, 0x2f].includes(v >> 8);

const FIELDS: Record<string, Field> = {
  ethertype: {
    linkType: 1,
    header: (v) => [...MACS, ...be16(v)],
    notDecoded: notDecodedEthertype,
  },
  'SLL protocol': {
    linkType: 113,
    header: (v) => [0, 0, 0, 1, 0, 6, ...MACS.slice(0, 6), 0, 0, ...be16(v)],
    notDecoded: notDecodedEthertype,
  },
  'PPP protocol': {
    linkType: 9,
    header: (v) => [0xff, 0x03, ...be16(v)],
    notDecoded: notDecodedPpp,
  },
  'PPP protocol after a direction byte': {
    linkType: 204,
    header: (v) => [1, 0xff, 0x03, ...be16(v)],
    notDecoded: notDecodedPpp,
  },
  'PPP protocol after a direction byte, no address and control': {
    linkType: 204,
    header: (v) => [0, ...be16(v)],
    notDecoded: notDecodedPpp,
  },
  'Cisco HDLC type': { linkType: 104, header: (v) => [0x0f, 0x00, ...be16(v)] },
  'Apple IP-over-1394 ethertype': {
    linkType: 138,
    header: (v) => [...MACS, ...MACS.slice(0, 4), ...be16(v)],
    notDecoded: notDecodedEthertype,
  },
  'BSD null family (low half)': {
    linkType: 0,
    header: (v) => le32(v),
    notDecoded: notDecodedEthertype,
  },
  'BSD null family (high half)': {
    linkType: 0,
    header: (v) => le32(v * 0x10000),
    // Read big-endian unless IRIX's 16-bit family: the ethertype is the value byte-swapped.
    notDecoded: (v) => notDecodedEthertype(swap16(v)),
  },
  'BSD null family (high half, low half 0x0800)': {
    linkType: 0,
    header: (v) => le32(v * 0x10000 + 0x0800),
    // Byte-swapped, then cut to 16 bits: the ethertype is the high half byte-swapped.
    notDecoded: (v) => notDecodedEthertype(swap16(v)),
  },
  'NFLOG hardware protocol': {
    linkType: 239,
    // Family AF_INET, then a packet-header TLV (hardware protocol, hook) and the payload TLV.
    header: (v, length) => [2, 0, 0, 0, 8, 0, 1, 0, ...be16(v), 3, 0, 4 + length, 0, 9, 0],
    notDecoded: notDecodedEthertype,
  },
};

describe.skipIf(!hasTool('tshark'))('every dispatch value agrees with tshark', () => {
  const dir = tempDir('scanline-sweep-');
  afterAll(() => dir.remove());

  it.each(Object.entries(FIELDS))('%s', async (name, field) => {
    const frames: number[][] = [];
    for (let v = 0; v < 0x10000; v++) {
      for (const payload of PAYLOADS) frames.push([...field.header(v, payload.length), ...payload]);
    }
    const { differ, theirs } = await sweepWithTshark(
      dir,
      name,
      field.linkType,
      frames,
      (i) => `0x${(i >> 1).toString(16).padStart(4, '0')}`,
      (ours, tshark, i) =>
        // IPv6 behind an IPv4 dissector: tshark's ip:ipv6 has no ip.src; we decode the IPv6.
        (ours.ipLayer === 6 && tshark.ipLayer === 4 && tshark.src === null) ||
        (ours.ipLayer === 0 && tshark.ipLayer !== 0 && (field.notDecoded?.(i >> 1) ?? false)),
    );
    expect(differ).toEqual([]);
    // The sweep reached IP at all (the header is right).
    expect(theirs.filter((f) => f.ipLayer !== 0).length).toBeGreaterThan(1);
  });

  it('a type up to 1500 with LLC behind it: an 802.3 length only where tshark reads one', async () => {
    const llcIp = [0x06, 0x06, 0x03, ...PAYLOADS[0]!];
    const contexts: [string, number, (t: number) => number[]][] = [
      ['Ethernet', 1, (t) => [...MACS, ...be16(t)]],
      ['VLAN', 1, (t) => [...MACS, 0x81, 0x00, 0x00, 0x01, ...be16(t)]],
      [
        'SNAP',
        1,
        (t) => [...MACS, ...be16(8 + llcIp.length), 0xaa, 0xaa, 0x03, 0, 0, 0, ...be16(t)],
      ],
      [
        'SNAP, then VLAN',
        1,
        (t) => [
          ...MACS,
          ...be16(12 + llcIp.length),
          0xaa,
          0xaa,
          3,
          0,
          0,
          0,
          0x81,
          0,
          0,
          1,
          ...be16(t),
        ],
      ],
      ['IP over 1394', 138, (t) => [...MACS, ...MACS.slice(0, 4), ...be16(t)]],
      ['NFLOG', 239, (t) => [2, 0, 0, 0, 8, 0, 1, 0, ...be16(t), 3, 0, 4 + llcIp.length, 0, 9, 0]],
    ];
    for (const [name, linkType, header] of contexts) {
      const types = Array.from({ length: 1537 }, (_, t) => t);
      const { differ, theirs } = await sweepWithTshark(
        dir,
        `lengths-${name}`,
        linkType,
        types.map((t) => [...header(t), ...llcIp]),
        (i) => `${name} type ${types[i]}`,
        // A length that ends the frame with the IPv4 header: the IP layer's transport (no
        // ports either way) is what tshark's reported length and ours disagree on.
        (ours, tshark) =>
          ours.src === tshark.src && ours.dstPort === null && tshark.transport === null,
      );
      expect(differ).toEqual([]);
      // Where a length is read, most lengths reach the IPv4 source behind the LLC.
      const withSource = theirs.filter((f) => f.src !== null).length;
      if (['Ethernet', 'VLAN', 'SNAP, then VLAN'].includes(name)) {
        expect(withSource).toBeGreaterThan(1400);
      } else expect(withSource).toBe(0);
    }
  });

  it('IPv4 protocol and IPv6 next header, behind which TCP, UDP or an extension header', async () => {
    const bodies = [
      SYN,
      udp(5353, 53, [1, 2, 3, 4]),
      [6, 0, 1, 4, 0, 0, 0, 0, ...SYN], // an 8-byte extension header, then TCP
      [17, 1, 0, 0, 0, 0, 0, 1, ...Array(8).fill(0), ...udp(1, 161)], // 16 bytes, then UDP
    ];
    const frames: number[][] = [];
    for (let proto = 0; proto < 256; proto++) {
      for (const body of bodies) {
        frames.push([...MACS, 8, 0, ...ipv4({ proto, src: '198.51.100.1' }, body)]);
        frames.push([...MACS, 0x86, 0xdd, ...ipv6({ nextHeader: proto }, body)]);
      }
    }
    const protoOf = (i: number) => Math.floor(i / (bodies.length * 2));
    const { differ, theirs } = await sweepWithTshark(
      dir,
      'ip-protocols',
      1,
      frames,
      (i) => `${protoOf(i)} #${i % 8}`,
      // Behind AH tshark's chain names "ah" where we report the protocol after it (README).
      (_ours, tshark, i) => protoOf(i) === 51 && tshark.transport === null,
    );
    expect(differ).toEqual([]);
    expect(theirs.filter((f) => f.transport !== null).length).toBeGreaterThan(8);
  });

  it('one IPv4 option of each type, lengths 0-14, four fill bytes, then TCP', async () => {
    const frames: number[][] = [];
    for (const fill of [0x00, 0x04, 0x11, 0xff]) {
      for (let type = 0; type < 256; type++) {
        for (let len = 0; len <= 14; len++) {
          const opt =
            len < 2 ? [type, len].slice(0, len + 1) : [type, len, ...Array(len - 2).fill(fill)];
          while (opt.length % 4) opt.push(0);
          frames.push([...MACS, 8, 0, ...ipv4({ proto: 6, options: opt }, SYN)]);
        }
      }
    }
    const { differ, theirs } = await sweepWithTshark(
      dir,
      'ipv4-options',
      1,
      frames,
      (i) => `type ${Math.floor(i / 15) & 255} length ${i % 15}`,
    );
    expect(differ).toEqual([]);
    // Some options do stop tshark before TCP (the case under test).
    expect(theirs.filter((f) => f.transport === null).length).toBeGreaterThan(10);
  });

  it('Linux cooked packet types on each device type (SLL and SLL2)', async () => {
    const ip = PAYLOADS[0]!;
    const bodies = [
      ip,
      [...MACS, 8, 0, ...ip], // a whole Ethernet frame
      [0xaa, 0xaa, 0x03, 0, 0, 0, 8, 0, ...ip], // LLC/SNAP
      [0xff, 0x03, 0x00, 0x21, ...ip], // PPP in HDLC framing
    ];
    // ARPHRD_ETHER, FRAD, IPGRE, IEEE80211_RADIOTAP, NETLINK, NONE
    const hatypes = [1, 770, 778, 803, 824, 0xfffe];
    const protocols = [
      ...Array.from({ length: 0x20 }, (_, v) => v),
      ...[1500, 1501, 1535, 1536, 1537, 0x0800, 0x86dd],
    ];
    const cases = hatypes.flatMap((hatype) =>
      protocols.flatMap((proto) => bodies.map((body, b) => ({ hatype, proto, body, b }))),
    );
    const label = (i: number) => {
      const c = cases[i]!;
      return `hatype ${c.hatype} protocol 0x${c.proto.toString(16)} body ${c.b}`;
    };
    type Case = (typeof cases)[number];
    // SLL: packet type, device type, address length, 8 address bytes, protocol. SLL2: the
    // protocol, 2 reserved bytes, the interface index, device type, packet type, address.
    const headers: [number, (c: Case) => number[]][] = [
      [113, (c) => [0, 0, ...be16(c.hatype), 0, 6, ...MACS.slice(0, 8), ...be16(c.proto)]],
      [
        276,
        (c) => [...be16(c.proto), 0, 0, 0, 0, 0, 1, ...be16(c.hatype), 0, 6, ...MACS.slice(0, 8)],
      ],
    ];
    for (const [linkType, header] of headers) {
      const { differ, theirs } = await sweepWithTshark(
        dir,
        `cooked-packet-types-${linkType}`,
        linkType,
        cases.map((c) => [...header(c), ...c.body]),
        label,
      );
      expect(differ).toEqual([]);
      // Each way to IP was reached (protocol 3, 4, 7 and an ethertype, on some device).
      const reached = new Set(cases.filter((_, i) => theirs[i]!.ipLayer !== 0).map((c) => c.b));
      expect([...reached].sort()).toEqual([0, 1, 2, 3]);
    }
  });
});
