import { describe, expect, it } from 'vitest';
import type { PacketRecord } from '../decode/packet-record';
import { CaptureParser, startsLikeCapture } from './capture-parser';
import {
  Bytes,
  concatBytes,
  PcapngWriter,
  type PcapRecordSpec,
  pcapFile,
  ticksFor,
} from './test-support/capture-bytes';

interface Frame {
  index: number;
  offset: number;
  sec: number;
  nsec: number;
  hasTs: boolean;
  linkType: number;
  ifid: number;
  capLen: number;
  origLen: number;
  data: string;
}

interface Parsed {
  frames: Frame[];
  parser: CaptureParser;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Parses `bytes` fed in chunks of `chunk` bytes (default: all at once). */
function parse(bytes: Uint8Array, chunk = bytes.length || 1): Parsed {
  const frames: Frame[] = [];
  const parser = new CaptureParser((r: PacketRecord) => {
    frames.push({
      index: r.index,
      offset: r.offset,
      sec: r.tsSec,
      nsec: r.tsNsec,
      hasTs: r.hasTimestamp,
      linkType: r.linkType,
      ifid: r.interfaceId,
      capLen: r.capLen,
      origLen: r.origLen,
      data: hex(r.frame.subarray(r.frameStart, r.frameStart + r.capLen)),
    });
  });
  for (let i = 0; i < bytes.length && !parser.stopped; i += chunk) {
    // A fresh copy per chunk, then scribbled over: the parser must not keep references.
    const c = bytes.slice(i, i + chunk);
    parser.push(c);
    c.fill(0xee);
  }
  parser.end();
  return { frames, parser };
}

const pkt = (n: number, seed = 1) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

const RECORDS: PcapRecordSpec[] = [
  { sec: 1_600_000_000, frac: 1, data: pkt(60, 1) },
  { sec: 1_600_000_001, frac: 999_999, data: pkt(1, 2), origLen: 1500 },
  { sec: 1_500_000_000, frac: 500_000, data: pkt(0) },
  { sec: 4_294_967_295, frac: 123_456, data: pkt(77, 3) },
];

describe('classic pcap', () => {
  it.each([
    ['microseconds, little-endian', 0xa1b2c3d4, false, 1000],
    ['microseconds, big-endian', 0xa1b2c3d4, true, 1000],
    ['nanoseconds, little-endian', 0xa1b23c4d, false, 1],
    ['nanoseconds, big-endian', 0xa1b23c4d, true, 1],
  ])('%s', (_name, magic, bigEndian, mul) => {
    const file = pcapFile(RECORDS, { magic, bigEndian, linkType: 113 });
    const { frames, parser } = parse(file);
    expect(parser.error).toBeNull();
    expect(parser.format).toBe('pcap');
    expect(parser.linkTypes).toEqual([113]);
    expect(parser.packets).toBe(4);
    expect(parser.consumed).toBe(file.length);
    let offset = 24;
    frames.forEach((f, i) => {
      const r = RECORDS[i]!;
      expect(f).toMatchObject({
        index: i + 1,
        offset,
        sec: r.sec,
        nsec: r.frac * mul,
        hasTs: true,
        linkType: 113,
        capLen: r.data.length,
        origLen: r.origLen ?? r.data.length,
        data: hex(r.data),
      });
      offset += 16 + r.data.length;
    });
    // min / max, not first / last
    expect([parser.firstSec, parser.firstNsec]).toEqual([1_500_000_000, 500_000 * mul]);
    expect([parser.lastSec, parser.lastNsec]).toEqual([4_294_967_295, 123_456 * mul]);
  });

  it('every chunking gives the same records (records straddle chunks)', () => {
    const file = pcapFile(RECORDS, { magic: 0xa1b23c4d, bigEndian: true });
    const whole = parse(file).frames;
    for (let chunk = 1; chunk <= 100; chunk++) {
      const { frames, parser } = parse(file, chunk);
      expect(parser.error).toBeNull();
      expect(frames).toEqual(whole);
    }
  });

  it('modified pcap (a1b2cd34): 24-byte record headers, both byte orders', () => {
    for (const bigEndian of [false, true]) {
      const recs = RECORDS.map((r) => ({ ...r, extra: Uint8Array.of(0, 0, 0, 2, 8, 0, 0, 0) }));
      const file = pcapFile(recs, { magic: 0xa1b2cd34, bigEndian });
      const { frames, parser } = parse(file, 7);
      expect(parser.error).toBeNull();
      expect(frames.map((f) => f.data)).toEqual(RECORDS.map((r) => hex(r.data)));
      expect(frames[1]!.offset).toBe(24 + 24 + 60);
    }
  });

  it('startsLikeCapture (what a directory walk takes by content) accepts what the parser does', () => {
    const magics = [
      0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34, 0x1c0001ab, 0x1c0001ac, 0x0a0d0d0a, 0x28b52ffd,
      0x1f8b0800, 0x4d3c0000, 0,
    ];
    for (const m of magics) {
      for (const bigEndian of [false, true]) {
        const head = new Uint8Array(32);
        const view = new DataView(head.buffer);
        view.setUint32(0, m, !bigEndian);
        view.setUint32(8, 0x1a2b3c4d, !bigEndian); // a pcapng section's byte-order magic
        const { parser } = parse(head);
        const recognised = !/^not a pcap|compressed file|gzip data/.test(
          parser.error?.message ?? '',
        );
        expect(startsLikeCapture(head), m.toString(16)).toBe(recognised);
      }
    }
  });

  it('Ixia magics: 28-byte file header, microseconds (as tshark 4.0 reads them)', () => {
    for (const [magic, mul] of [
      [0x1c0001ab, 1000],
      [0x1c0001ac, 1000],
    ] as const) {
      const file = pcapFile(RECORDS, { magic, extraHeader: Uint8Array.of(1, 2, 3, 4) });
      const { frames, parser } = parse(file);
      expect(parser.error).toBeNull();
      expect(frames[0]).toMatchObject({ offset: 28, nsec: 1 * mul });
    }
  });

  it('versions before 2.3 (and 543) swap incl_len / orig_len; 2.3 swaps when incl > orig', () => {
    const data = pkt(10);
    const rec = (capField: number, orig: number) => ({
      sec: 1,
      frac: 0,
      data,
      capLenField: capField,
      origLen: orig,
    });
    // 2.2: fields hold (orig, incl)
    let r = parse(pcapFile([rec(100, 10)], { versionMinor: 2 }));
    expect(r.frames[0]).toMatchObject({ capLen: 10, origLen: 100 });
    r = parse(pcapFile([rec(100, 10)], { versionMajor: 543, versionMinor: 0 }));
    expect(r.frames[0]).toMatchObject({ capLen: 10, origLen: 100 });
    // 2.3: swapped only when incl > orig
    r = parse(
      pcapFile([rec(100, 10), { sec: 2, frac: 0, data, origLen: 200 }], { versionMinor: 3 }),
    );
    expect(r.frames.map((f) => [f.capLen, f.origLen])).toEqual([
      [10, 100],
      [10, 200],
    ]);
  });

  it('link type: FCS bits are ignored, reserved bits are an error', () => {
    expect(parse(pcapFile(RECORDS, { linkType: 0x14000001 })).parser.linkTypes).toEqual([1]);
    const bad = parse(pcapFile(RECORDS, { linkType: 0x00010001 }));
    expect(bad.parser.error).toMatchObject({ record: 0, offset: 0 });
    expect(bad.parser.error!.message).toMatch(/reserved/);
    expect(bad.frames).toHaveLength(0);
  });

  it('major version < 2 is an error', () => {
    const r = parse(pcapFile(RECORDS, { versionMajor: 1 }));
    expect(r.parser.error).toMatchObject({ record: 0, offset: 0 });
  });

  it('a captured length above 262144 is an error at that record (snaplen is not a limit)', () => {
    const big = pkt(262144);
    const ok = parse(pcapFile([{ sec: 1, frac: 0, data: big }], { snaplen: 100 }));
    expect(ok.parser.error).toBeNull();
    expect(ok.frames[0]!.capLen).toBe(262144);

    // (past the first 3 records, which decide the record-header variant)
    const three = RECORDS.slice(0, 3);
    const file = pcapFile([...three, { sec: 2, frac: 0, data: pkt(10), capLenField: 262145 }]);
    const r = parse(file);
    expect(r.frames).toHaveLength(3);
    const offset = 24 + three.reduce((n, x) => n + 16 + x.data.length, 0);
    expect(r.parser.error).toMatchObject({ record: 4, offset });
    expect(r.parser.error!.message).toMatch(/262145/);
  });

  describe('record-header variants sharing a magic are told apart like wiretap does', () => {
    const recs = RECORDS.slice(0, 3);
    const variant = (magic: number, extra: number) =>
      pcapFile(
        recs.map((r) => ({
          ...r,
          extra: Uint8Array.from({ length: extra }, (_, i) => (i === 4 ? 8 : 0)),
        })),
        { magic },
      );
    it.each([
      ['Red Hat 6.1 (standard magic, 24-byte headers)', 0xa1b2c3d4, 8],
      ['Nokia (standard magic, 20-byte headers)', 0xa1b2c3d4, 4],
      ['modified magic, 24-byte headers', 0xa1b2cd34, 8],
      ['SuSE 6.3 (modified magic, 28-byte headers)', 0xa1b2cd34, 12],
    ])('%s', (_name, magic, extra) => {
      const file = variant(magic, extra);
      for (const chunk of [file.length, 1, 9]) {
        const { frames, parser } = parse(file, chunk);
        expect(parser.error).toBeNull();
        expect(frames.map((f) => f.data)).toEqual(recs.map((r) => hex(r.data)));
      }
    });

    it('a plain file whose second record is damaged can look like another variant (as in tshark)', () => {
      // tshark 4.0 reads this as "RedHat 6.1 tcpdump" too: one packet, then cut short.
      const file = pcapFile([RECORDS[0]!, { sec: 2, frac: 0, data: pkt(10), capLenField: 262145 }]);
      const { frames, parser } = parse(file);
      expect(frames).toHaveLength(1);
      expect(parser.error).toMatchObject({ record: 2, offset: 24 + 24 + 60 });
    });

    it('versions before 2.4 are plain pcap without a look', () => {
      const file = pcapFile(RECORDS, { versionMinor: 3 });
      expect(parse(file).frames).toHaveLength(4);
    });
  });

  it('fraction >= 1 s is carried into the seconds', () => {
    const r = parse(pcapFile([{ sec: 10, frac: 2_500_000, data: pkt(4) }]));
    expect(r.frames[0]).toMatchObject({ sec: 12, nsec: 500_000_000 });
  });

  describe('truncation and garbage', () => {
    const file = pcapFile(RECORDS);
    it('empty file', () => {
      expect(parse(new Uint8Array(0)).parser.error).toEqual({
        message: 'empty file',
        record: 0,
        offset: 0,
      });
    });
    it('shorter than a magic number', () => {
      const r = parse(Uint8Array.of(0xd4, 0xc3));
      expect(r.parser.error).toMatchObject({ record: 0, offset: 0 });
      expect(r.parser.format).toBeNull();
    });
    it('not a capture', () => {
      const r = parse(new TextEncoder().encode('hello, world, this is text'));
      expect(r.parser.error!.message).toMatch(/not a pcap or pcapng file/);
      expect(r.parser.format).toBeNull();
    });
    it('zstd is named', () => {
      expect(parse(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0, 0)).parser.error!.message).toMatch(
        /zstd/,
      );
    });
    it.each([5, 20, 23])('file header cut at %i bytes', (n) => {
      const r = parse(file.subarray(0, n));
      expect(r.parser.error).toMatchObject({ record: 0, offset: 0 });
      expect(r.parser.error!.message).toMatch(/truncated pcap file header/);
      expect(r.parser.format).toBe('pcap');
    });
    it('header only: no packets, no error', () => {
      const r = parse(file.subarray(0, 24));
      expect(r.parser.error).toBeNull();
      expect(r.parser.packets).toBe(0);
      expect(r.parser.firstSec).toBe(-1);
    });
    it.each([
      ['in a record header', 24 + 76 + 10],
      ['in record data', 24 + 76 + 16 + 1 - 1 + 0],
      ['one byte short', file.length - 1],
    ])('cut %s', (_what, cut) => {
      for (const chunk of [cut, 1, 3, 1000]) {
        const r = parse(file.subarray(0, cut), chunk);
        // records wholly before the cut are delivered
        let end = 24;
        let n = 0;
        for (const rec of RECORDS) {
          if (end + 16 + rec.data.length > cut) break;
          end += 16 + rec.data.length;
          n++;
        }
        expect(r.frames).toHaveLength(n);
        expect(r.parser.error).toMatchObject({ record: n + 1, offset: end });
        expect(r.parser.error!.message).toMatch(/truncated pcap file/);
        expect(r.parser.consumed).toBe(end);
      }
    });
  });
});

describe('pcapng', () => {
  const eth = pkt(54, 9);
  const raw = pkt(40, 4);

  it('one section, little- and big-endian, EPB times at the default microsecond resolution', () => {
    for (const bigEndian of [false, true]) {
      const w = new PcapngWriter(bigEndian).shb().idb(1, { snaplen: 65535 });
      w.epb(0, 1_600_000_000_123_456n, eth).epb(0, 1_600_000_001_000_000n, eth, { origLen: 1514 });
      const file = w.bytes();
      const { frames, parser } = parse(file);
      expect(parser.error).toBeNull();
      expect(parser.format).toBe('pcapng');
      expect(frames.map((f) => [f.sec, f.nsec, f.capLen, f.origLen, f.linkType])).toEqual([
        [1_600_000_000, 123_456_000, 54, 54, 1],
        [1_600_000_001, 0, 54, 1514, 1],
      ]);
      expect(parser.consumed).toBe(file.length);
      expect(frames[0]!.offset).toBe(28 + 20);
    }
  });

  it('several interfaces: own link type, snaplen, if_tsresol (10^-n and 2^-n), if_tsoffset', () => {
    const w = new PcapngWriter()
      .shb()
      .idb(1) // default 10^-6
      .idb(101, { tsresol: 9 }) // ns
      .idb(113, { tsresol: 0x80 | 20, tsoffset: 86400n }) // 2^-20 s, +1 day
      .idb(276, { tsresol: 12, tsoffset: -1_600_000_000n }) // ps, negative offset
      .idb(0, { tsresol: 0 }); // seconds
    w.epb(0, 1_600_000_000_000_001n, eth);
    w.epb(1, 1_600_000_000_123_456_789n, raw);
    w.epb(2, (1_600_000_000n << 20n) + (1n << 19n) + 1n, raw);
    w.epb(3, 1_600_000_000_000_000_000_001n & ((1n << 64n) - 1n), raw);
    w.epb(4, 1_600_000_002n, raw);
    const { frames, parser } = parse(w.bytes(), 13);
    expect(parser.error).toBeNull();
    expect(parser.linkTypes).toEqual([1, 101, 113, 276, 0]);
    // picoseconds wrap 2^64: compute the reference exactly
    const ps = 1_600_000_000_000_000_000_001n & ((1n << 64n) - 1n);
    expect(frames.map((f) => [f.ifid, f.linkType, f.sec, f.nsec])).toEqual([
      [0, 1, 1_600_000_000, 1_000],
      [1, 101, 1_600_000_000, 123_456_789],
      [2, 113, 1_600_000_000 + 86400, 500_000_953], // floor((2^19 + 1) * 1e9 / 2^20)
      [3, 276, Number(ps / 10n ** 12n) - 1_600_000_000, Number((ps % 10n ** 12n) / 1000n)],
      [4, 0, 1_600_000_002, 0],
    ]);
  });

  it('several sections in one file, each with its own byte order and interfaces', () => {
    const a = new PcapngWriter(false).shb().idb(1).idb(101).epb(1, 1_000_000n, raw).bytes();
    const b = new PcapngWriter(true)
      .shb()
      .idb(228, { tsresol: 9 })
      .epb(0, 2_000_000_000n, raw)
      .bytes();
    const c = new PcapngWriter(false).shb().idb(229).epb(0, 3_000_000n, raw).bytes();
    const file = concatBytes(a, b, c);
    for (const chunk of [file.length, 1, 5, 64]) {
      const { frames, parser } = parse(file, chunk);
      expect(parser.error).toBeNull();
      expect(parser.linkTypes).toEqual([1, 101, 228, 229]);
      expect(frames.map((f) => [f.linkType, f.ifid, f.sec])).toEqual([
        [101, 1, 1],
        [228, 0, 2],
        [229, 0, 3],
      ]);
    }
  });

  it('an interface id from a previous section is not valid in the next', () => {
    const a = new PcapngWriter().shb().idb(1).idb(1).bytes();
    const b = new PcapngWriter().shb().idb(1).epb(1, 0n, raw).bytes();
    const { parser } = parse(concatBytes(a, b));
    expect(parser.error!.message).toMatch(
      /interface index 1 is not less than section interface count 1/,
    );
    expect(parser.error).toMatchObject({ record: 1, offset: a.length + 28 + 20 });
  });

  it('simple packet blocks: interface 0, captured length min(original, snaplen), no time stamp', () => {
    const w = new PcapngWriter().shb().idb(1, { snaplen: 20 }).idb(101);
    w.epb(1, 5_000_000n, raw).spb(pkt(20, 1), 100).spb(pkt(8, 2));
    const { frames, parser } = parse(w.bytes());
    expect(parser.error).toBeNull();
    expect(
      frames.map((f) => [f.linkType, f.ifid, f.capLen, f.origLen, f.hasTs, f.sec, f.nsec]),
    ).toEqual([
      [101, 1, 40, 40, true, 5, 0],
      [1, 0, 20, 100, false, 0, 0],
      [1, 0, 8, 8, false, 0, 0],
    ]);
  });

  it('SPB before any IDB is an error', () => {
    const { parser } = parse(new PcapngWriter().shb().spb(raw).bytes());
    expect(parser.error!.message).toMatch(/SPB appeared before any IDBs/);
  });

  it('obsolete packet blocks (type 2) are packets', () => {
    const { frames, parser } = parse(
      new PcapngWriter().shb().idb(1).idb(113).pb(1, 7_000_001n, raw).bytes(),
    );
    expect(parser.error).toBeNull();
    expect(frames.map((f) => [f.linkType, f.sec, f.nsec, f.capLen])).toEqual([[113, 7, 1000, 40]]);
  });

  it('NRB, ISB, DSB, custom and unknown blocks are skipped', () => {
    const w = new PcapngWriter()
      .shb()
      .idb(1)
      .nrb()
      .epb(0, 1n, eth)
      .isb(0)
      .custom(true)
      .custom(false);
    w.block(0x0000000a, new Bytes().u32(0x544c534b).u32(4).raw([1, 2, 3, 4]).bytes());
    w.block(0x80001234, pkt(7)).block(
      9,
      new TextEncoder().encode('__REALTIME_TIMESTAMP=1\nMESSAGE=x\n'),
    );
    w.epb(0, 2n, eth);
    const { frames, parser } = parse(w.bytes(), 3);
    expect(parser.error).toBeNull();
    expect(frames.map((f) => f.index)).toEqual([1, 2]);
  });

  it('block lengths that are not a multiple of 4 are rounded up (as wiretap does)', () => {
    const data = pkt(5);
    const body = new Bytes().u32(0).u32(0).u32(1).u32(5).u32(5).raw(data).pad4().bytes();
    const w = new PcapngWriter()
      .shb()
      .idb(1)
      .block(6, body, { lengthField: 12 + 20 + 5, trailerField: 12 + 20 + 5 });
    const { frames, parser } = parse(w.bytes());
    expect(parser.error).toBeNull();
    expect(frames[0]!.data).toBe(hex(data));
  });

  describe('errors stop the read; packets before them count', () => {
    const head = new PcapngWriter().shb().idb(1).epb(0, 1n, eth).bytes();
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'block length below 12',
        new Bytes().u32(0x99).u32(8).u32(8).bytes(),
        /less than the minimum size 12/,
      ],
      [
        'EPB shorter than its fixed part',
        new PcapngWriter().block(6, pkt(8)).bytes(),
        /EPB is less than the minimum size 32/,
      ],
      [
        'trailing length differs',
        new PcapngWriter()
          .block(6, new Bytes().u32(0).u32(0).u32(0).u32(4).u32(4).raw(pkt(4)).bytes(), {
            trailerField: 44,
          })
          .bytes(),
        /total block lengths \(first 36 and second 44\) don't match/,
      ],
      [
        'packet larger than its block',
        new PcapngWriter().epb(0, 0n, pkt(4), { capLenField: 400 }).bytes(),
        /too small for 400 bytes of packet data/,
      ],
      ['unknown interface', new PcapngWriter().epb(3, 0n, pkt(4)).bytes(), /interface index 3/],
      [
        'captured length above 262144',
        new PcapngWriter().epb(0, 0n, pkt(262148)).bytes(),
        /cap_len 262148 is larger than 262144/,
      ],
      ['block length too large', new Bytes().u32(6).u32(0x7ffffff0).bytes(), /too large/],
      [
        'options overrun their block',
        new PcapngWriter()
          .idb(1, { options: [{ code: 2, value: pkt(3) }] })
          .bytes()
          .map((v, i) => (i === 18 ? 40 : v)),
        /Not enough data to handle option of length 40/,
      ],
      [
        'unsupported SHB version',
        new PcapngWriter().shb({ major: 2 }).bytes(),
        /unknown SHB version 2.0/,
      ],
      [
        'bad byte-order magic in a later SHB',
        new PcapngWriter()
          .shb()
          .bytes()
          .map((v, i) => (i === 8 ? 0x11 : v)),
        /unknown byte-order magic/,
      ],
    ];
    it.each(cases)('%s', (_name, tail, message) => {
      const file = concatBytes(head, tail, new PcapngWriter().epb(0, 2n, eth).bytes());
      for (const chunk of [file.length, 1, 7]) {
        const { frames, parser } = parse(file, chunk);
        expect(frames).toHaveLength(1);
        expect(parser.error!.message).toMatch(message);
        expect(parser.error).toMatchObject({ record: 2, offset: head.length });
      }
    });

    it('cut in a block header, in a block body, before the trailer', () => {
      const file = concatBytes(head, new PcapngWriter().epb(0, 2n, eth).bytes());
      for (const cut of [head.length + 3, head.length + 30, file.length - 1]) {
        const { frames, parser } = parse(file.subarray(0, cut), 16);
        expect(frames).toHaveLength(1);
        expect(parser.error).toMatchObject({ record: 2, offset: head.length });
        expect(parser.error!.message).toMatch(/truncated pcapng file/);
      }
    });

    it('cut in the first section header is a file-level error', () => {
      const { parser } = parse(head.subarray(0, 20));
      expect(parser.error).toMatchObject({ record: 0, offset: 0 });
      expect(parser.format).toBe('pcapng');
    });

    it('a first SHB with a bad byte-order magic is not a capture', () => {
      const { parser } = parse(head.map((v, i) => (i === 9 ? 0 : v)));
      expect(parser.format).toBeNull();
      expect(parser.error).toMatchObject({ record: 0, offset: 0 });
    });
  });

  it('chunk boundaries anywhere in a multi-block file', () => {
    const w = new PcapngWriter(true).shb().idb(1, { tsresol: 9 }).nrb();
    for (let i = 0; i < 20; i++) w.epb(0, BigInt(i) * 1_000_000_007n, pkt(i * 13, i));
    w.shb({ bigEndian: false }).idb(101).spb(pkt(33)).isb(0).epb(0, ticksFor(5n, 5000n), pkt(3));
    const file = w.bytes();
    const whole = parse(file).frames;
    expect(whole).toHaveLength(22);
    for (let chunk = 1; chunk < 90; chunk += 3) expect(parse(file, chunk).frames).toEqual(whole);
  });
});
