/**
 * Every value of each field that picks the next protocol (ethertype, SLL protocol, PPP protocol,
 * Cisco HDLC type, BSD null family, NFLOG hardware protocol), with an IPv4 and an IPv6 SYN
 * behind it, compared with tshark frame by frame: which values lead to IP is tshark's answer,
 * not a list typed from memory. The exceptions are the ones ingest/decode/README.md documents.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { pcapFile } from '../format/test-support/capture-bytes';
import { ipv4, ipv6, tcp, udp } from '../format/test-support/packet-bytes';
import {
  comparable,
  type FrameView,
  hasTool,
  ourFrames,
  tempDir,
  tsharkFramesAsync,
} from '../format/test-support/tools';

const SYN = tcp({ sport: 40000, dport: 80, flags: 0x02, window: 8192 });
const PAYLOADS = [
  ipv4({ proto: 6, src: '198.51.100.1', dst: '192.0.2.1' }, SYN),
  ipv6({ nextHeader: 6, src: '2001:db8::1', dst: '2001:db8::2' }, SYN),
];

const be16 = (v: number) => [v >> 8, v & 0xff];
const le32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24];

interface Sweep {
  linkType: number;
  /** The link header that puts `value` in the field under test, before `length` bytes of IP. */
  header: (value: number, length: number) => number[];
  /** Values tshark follows to IP and the decoder does not, on purpose (README). */
  notDecoded?: (value: number) => boolean;
}

/** Roofnet and 6LoWPAN are not decoded (README). */
const notDecodedEthertype = (v: number) => (v >= 0x0641 && v <= 0x0645) || v === 0xa0ed;
/** Van Jacobson compressed TCP (0x2d, 0x2f; also as a compressed 1-byte protocol). */
const notDecodedPpp = (v: number) => [0x2d, 0x2f].includes(v) || [0x2d, 0x2f].includes(v >> 8);
const MACS = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb];

const SWEEPS: Record<string, Sweep> = {
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
  'Cisco HDLC type': { linkType: 104, header: (v) => [0x0f, 0x00, ...be16(v)] },
  'BSD null family (low half)': {
    linkType: 0,
    header: (v) => le32(v),
    notDecoded: notDecodedEthertype,
  },
  'BSD null family (high half)': {
    linkType: 0,
    header: (v) => le32(v * 0x10000),
    // Read big-endian unless IRIX's 16-bit family: the ethertype is the value byte-swapped.
    notDecoded: (v) => notDecodedEthertype(((v & 0xff) << 8) | (v >> 8)),
  },
  'BSD null family (high half, low half 0x0800)': {
    linkType: 0,
    header: (v) => le32(v * 0x10000 + 0x0800),
    // Byte-swapped, then cut to 16 bits: the ethertype is the high half byte-swapped.
    notDecoded: (v) => notDecodedEthertype(((v & 0xff) << 8) | (v >> 8)),
  },
  'NFLOG hardware protocol': {
    linkType: 239,
    // Family AF_INET, then a packet-header TLV (hardware protocol, hook) and the payload TLV.
    header: (v, length) => [2, 0, 0, 0, 8, 0, 1, 0, ...be16(v), 3, 0, 4 + length, 0, 9, 0],
    notDecoded: notDecodedEthertype,
  },
};

const TOOLS = hasTool('tshark');

describe.skipIf(!TOOLS)('every dispatch value agrees with tshark', () => {
  const dir = tempDir('scanline-sweep-');
  afterAll(() => dir.remove());

  it.each(Object.entries(SWEEPS))('%s', async (name, sweep) => {
    const records = [];
    for (let v = 0; v < 0x10000; v++) {
      for (const payload of PAYLOADS) {
        const data = Uint8Array.from([...sweep.header(v, payload.length), ...payload]);
        records.push({ sec: 1_700_000_000 + v, frac: payload === PAYLOADS[0] ? 0 : 1, data });
      }
    }
    const file = dir.path(`${name.replace(/\W+/g, '-')}.pcap`);
    writeFileSync(file, pcapFile(records, { linkType: sweep.linkType }));
    const [ours, theirs] = await Promise.all([ourFrames(file), tsharkFramesAsync(file)]);
    expect(ours.length).toBe(records.length);
    expect(theirs.length).toBe(records.length);
    const differ: string[] = [];
    let ip = 0;
    for (let i = 0; i < records.length; i++) {
      const a = comparable(ours[i]!);
      const b = comparable(theirs[i]!);
      if (b.ipLayer !== 0) ip++;
      if (JSON.stringify(a) === JSON.stringify(b) || documented(a, b, sweep, i >> 1)) continue;
      differ.push(
        `0x${(i >> 1).toString(16).padStart(4, '0')}: ours ${show(a)}, tshark ${show(b)}`,
      );
    }
    expect(differ.slice(0, 20)).toEqual([]);
    // The sweep reached IP at all (the header is right).
    expect(ip).toBeGreaterThan(1);
  });
});

describe.skipIf(!TOOLS)('every IP protocol number agrees with tshark', () => {
  const dir = tempDir('scanline-sweep-');
  afterAll(() => dir.remove());

  it('IPv4 protocol and IPv6 next header, behind which TCP, UDP or an extension header', async () => {
    const bodies = [
      SYN,
      udp(5353, 53, [1, 2, 3, 4]),
      [6, 0, 1, 4, 0, 0, 0, 0, ...SYN], // an 8-byte extension header, then TCP
      [17, 1, 0, 0, 0, 0, 0, 1, ...Array(8).fill(0), ...udp(1, 161)], // 16 bytes, then UDP
    ];
    const records = [];
    for (let proto = 0; proto < 256; proto++) {
      for (const body of bodies) {
        const v4 = ipv4({ proto, src: '198.51.100.1', dst: '192.0.2.1' }, body);
        const v6 = ipv6({ nextHeader: proto }, body);
        for (const [type, ip] of [
          [0x0800, v4],
          [0x86dd, v6],
        ] as const) {
          const data = Uint8Array.from([...MACS, ...be16(type), ...ip]);
          records.push({ sec: 1_700_000_000 + records.length, frac: 0, data });
        }
      }
    }
    const file = dir.path('ip-protocols.pcap');
    writeFileSync(file, pcapFile(records, { linkType: 1 }));
    const [ours, theirs] = await Promise.all([ourFrames(file), tsharkFramesAsync(file)]);
    const differ: string[] = [];
    let transports = 0;
    for (let i = 0; i < records.length; i++) {
      const a = comparable(ours[i]!);
      const b = comparable(theirs[i]!);
      if (b.transport !== null) transports++;
      const proto = Math.floor(i / (bodies.length * 2));
      // Behind AH tshark's chain names "ah" where we report the protocol after it (README).
      if (JSON.stringify(a) === JSON.stringify(b) || (proto === 51 && b.transport === null))
        continue;
      differ.push(`${proto} #${i % 8}: ours ${show(a)}, tshark ${show(b)}`);
    }
    expect(differ.slice(0, 20)).toEqual([]);
    expect(transports).toBeGreaterThan(8);
  });
});

describe.skipIf(!TOOLS)('every IPv4 option type and length agrees with tshark', () => {
  const dir = tempDir('scanline-sweep-');
  afterAll(() => dir.remove());

  it('one option of each type, lengths 0-14, four fill bytes, then TCP', async () => {
    const records = [];
    for (const fill of [0x00, 0x04, 0x11, 0xff]) {
      for (let type = 0; type < 256; type++) {
        for (let len = 0; len <= 14; len++) {
          const opt =
            len < 2 ? [type, len].slice(0, len + 1) : [type, len, ...Array(len - 2).fill(fill)];
          while (opt.length % 4) opt.push(0);
          const ip = ipv4({ proto: 6, options: opt, src: '198.51.100.1' }, SYN);
          const data = Uint8Array.from([...MACS, 8, 0, ...ip]);
          records.push({ sec: 1_700_000_000 + records.length, frac: 0, data });
        }
      }
    }
    const file = dir.path('ipv4-options.pcap');
    writeFileSync(file, pcapFile(records, { linkType: 1 }));
    const [ours, theirs] = await Promise.all([ourFrames(file), tsharkFramesAsync(file)]);
    const differ: string[] = [];
    let stopped = 0;
    for (let i = 0; i < records.length; i++) {
      const a = comparable(ours[i]!);
      const b = comparable(theirs[i]!);
      if (b.transport === null) stopped++;
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        differ.push(`type ${(i / 15) & 255} length ${i % 15}: ours ${show(a)}, tshark ${show(b)}`);
      }
    }
    expect(differ.slice(0, 20)).toEqual([]);
    // Some options do stop tshark before TCP (the case under test).
    expect(stopped).toBeGreaterThan(10);
  });
});

/** An 802.11 header for frame control fc0/fc1, with the fields that frame control announces. */
function wlanHeader(fc0: number, fc1: number, qos = [0, 0], pad = false): number[] {
  const h = [fc0, fc1, 0, 0, ...MACS, 0, 0, 0, 0, 0, 1, 0x10, 0];
  if ((fc1 & 3) === 3) h.push(0, 0, 0, 0, 0, 2);
  if (fc0 & 0x80) h.push(...qos, ...(fc1 & 0x80 ? [0, 0, 0, 0] : []));
  while (pad && h.length % 4) h.push(0);
  return h;
}

const SNAP_IPV4 = [0xaa, 0xaa, 3, 0, 0, 0, 8, 0, ...PAYLOADS[0]!];

describe.skipIf(!TOOLS)(
  'every 802.11 frame control and radiotap flags value agrees with tshark',
  () => {
    const dir = tempDir('scanline-sweep-');
    afterAll(() => dir.remove());

    it.each([
      [
        '802.11 frame control',
        105,
        () => {
          const frames: number[][] = [];
          for (let fc = 0; fc < 0x10000; fc++)
            frames.push([...wlanHeader(fc >> 8, fc & 255), ...SNAP_IPV4]);
          return frames;
        },
      ],
      [
        'radiotap flags, with and without TSFT and a second present word',
        127,
        () => {
          const frames: number[][] = [];
          for (let flags = 0; flags < 256; flags++) {
            for (const tsft of [false, true]) {
              for (const ext of [false, true]) {
                const hdr = [
                  0,
                  0,
                  0,
                  0,
                  tsft ? 3 : 2,
                  0,
                  0,
                  ext ? 0x80 : 0,
                  ...(ext ? [0, 0, 0, 0] : []),
                ];
                if (tsft) {
                  while (hdr.length % 8) hdr.push(0);
                  hdr.push(1, 2, 3, 4, 5, 6, 7, 8);
                }
                hdr.push(flags, 0);
                hdr[2] = hdr.length;
                const fcs = flags & 0x10 ? [1, 2, 3, 4] : [];
                frames.push([
                  ...hdr,
                  ...wlanHeader(0x88, 1, [0, 0], (flags & 0x20) !== 0),
                  ...SNAP_IPV4,
                  ...fcs,
                ]);
              }
            }
          }
          return frames;
        },
      ],
    ] as const)('%s', async (name, linkType, build) => {
      const records = build().map((b, i) => ({
        sec: 1_700_000_000 + i,
        frac: 0,
        data: Uint8Array.from(b),
      }));
      const file = dir.path(`${name.replace(/\W+/g, '-')}.pcap`);
      writeFileSync(file, pcapFile(records, { linkType }));
      const [ours, theirs] = await Promise.all([ourFrames(file), tsharkFramesAsync(file)]);
      const differ: string[] = [];
      let ip = 0;
      for (let i = 0; i < records.length; i++) {
        const a = comparable(ours[i]!);
        const b = comparable(theirs[i]!);
        if (b.ipLayer !== 0) ip++;
        if (JSON.stringify(a) !== JSON.stringify(b))
          differ.push(`#${i.toString(16)}: ours ${show(a)}, tshark ${show(b)}`);
      }
      expect(differ.slice(0, 20)).toEqual([]);
      expect(ip).toBeGreaterThan(1);
    });
  },
);

describe.skipIf(!TOOLS)('every first two bytes of an 802.11 body agree with tshark', () => {
  const dir = tempDir('scanline-sweep-');
  afterAll(() => dir.remove());

  it('an ethertype, or LLC, then IPv4', async () => {
    const records = [];
    for (let v = 0; v < 0x10000; v++) {
      for (const llc of [[], [3]]) {
        const data = Uint8Array.from([
          ...wlanHeader(0x08, 1),
          v >> 8,
          v & 255,
          ...llc,
          ...PAYLOADS[0]!,
        ]);
        records.push({ sec: 1_700_000_000 + records.length, frac: 0, data });
      }
    }
    const file = dir.path('wlan-bodies.pcap');
    writeFileSync(file, pcapFile(records, { linkType: 105 }));
    const [ours, theirs] = await Promise.all([ourFrames(file), tsharkFramesAsync(file)]);
    const differ: string[] = [];
    for (let i = 0; i < records.length; i++) {
      const a = comparable(ours[i]!);
      const b = comparable(theirs[i]!);
      if (JSON.stringify(a) === JSON.stringify(b)) continue;
      if (a.ipLayer === 0 && b.ipLayer !== 0 && notDecodedEthertype(i >> 1)) continue;
      differ.push(
        `0x${(i >> 1).toString(16)}${i & 1 ? ' 03' : ''}: ours ${show(a)}, tshark ${show(b)}`,
      );
    }
    expect(differ.slice(0, 20)).toEqual([]);
  });
});

function documented(ours: FrameView, theirs: FrameView, sweep: Sweep, value: number): boolean {
  // IPv6 behind an IPv4 dissector: tshark's ip:ipv6 has no ip.src; we decode the IPv6 packet.
  if (ours.ipLayer === 6 && theirs.ipLayer === 4 && theirs.src === null) return true;
  return ours.ipLayer === 0 && theirs.ipLayer !== 0 && (sweep.notDecoded?.(value) ?? false);
}

function show(f: FrameView): string {
  return `ip${f.ipLayer} ${f.src ?? '-'} ${f.transport ?? '-'}/${f.dstPort ?? '-'}`;
}
