import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PacketRecord } from '../decode/packet-record';
import { CaptureIoError, readCapture, readCaptureStream } from './read-capture';
import { PcapngWriter, pcapFile } from './test-support/capture-bytes';
import { ethernet, ipv4, tcp } from './test-support/packet-bytes';
import { makeScapyCorpus } from './test-support/scapy-corpus';
import {
  comparable,
  frameView,
  hasScapy,
  hasTool,
  ourFrames,
  run,
  type TempDir,
  tempDir,
  tsharkFrames,
  tsharkFramesAsync,
} from './test-support/tools';

const TOOLS =
  hasTool('tshark') && hasTool('editcap', ['-h']) && hasTool('mergecap', ['-h']) && hasScapy();

function chunked(bytes: Uint8Array, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(Buffer.from(bytes.subarray(i, i + size)));
  return Readable.from(parts, { objectMode: false });
}

async function streamFrames(bytes: Uint8Array, size: number) {
  const frames: ReturnType<typeof frameView>[] = [];
  const r = await readCaptureStream(chunked(bytes, size), 'mem', (rec) =>
    frames.push(frameView(rec)),
  );
  return { frames, r };
}

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp?.remove());

describe.skipIf(!TOOLS).concurrent('captures rewritten by real tools agree with tshark', () => {
  let src: string;
  beforeAll(() => {
    mkdirSync(tmp.path('scapy'));
    makeScapyCorpus(tmp.path('scapy'));
    src = tmp.path('scapy/eth.pcap');
  });

  const same = async (file: string) => {
    const [ours, theirs] = await Promise.all([ourFrames(file), tsharkFramesAsync(file)]);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.map(comparable)).toEqual(theirs.map(comparable));
    return ours;
  };

  it('editcap -F pcapng / nsecpcap / -s 40: same frames, same times', async () => {
    const base = await same(src);
    const ng = tmp.path('eth.pcapng');
    run('editcap', ['-F', 'pcapng', src, ng]);
    expect((await same(ng)).map(comparable)).toEqual(base.map(comparable));
    const ns = tmp.path('eth-ns.pcap');
    run('editcap', ['-F', 'nsecpcap', src, ns]);
    expect((await same(ns)).map((f) => f.time)).toEqual(base.map((f) => f.time));
    const cut = tmp.path('eth-s40.pcapng');
    run('editcap', ['-F', 'pcapng', '-s', '40', src, cut]);
    await same(cut);
    const r = await readCapture(cut, () => {});
    expect(r.format).toBe('pcapng');
  });

  it('tcpdump rewrites (microsecond and nanosecond pcap)', async () => {
    if (!hasTool('tcpdump', ['--version'])) return;
    const us = tmp.path('td.pcap');
    const ns = tmp.path('td-ns.pcap');
    run('tcpdump', ['-r', src, '-w', us]);
    run('tcpdump', ['--time-stamp-precision=nano', '-r', src, '-w', ns]);
    await Promise.all([same(us), same(ns)]);
    expect(readFileSync(ns).readUInt32LE(0)).toBe(0xa1b23c4d);
  });

  it('mergecap: one pcapng with several interfaces, each with its own link type', async () => {
    const out = tmp.path('merged.pcapng');
    const inputs = ['eth.pcap', 'raw101.pcap', 'sll.pcap', 'null.pcap', 'sll2.pcap'].map((f) =>
      tmp.path(`scapy/${f}`),
    );
    run('mergecap', ['-F', 'pcapng', '-w', out, ...inputs]);
    await same(out);
    const r = await readCapture(out, () => {});
    expect(r.error).toBeNull();
    expect([...r.linkTypes].sort((a, b) => a - b)).toEqual([0, 1, 101, 113, 276]);
  });

  it('several sections (cat a.pcapng b.pcapng), including a big-endian one', async () => {
    const a = tmp.path('a.pcapng');
    const b = tmp.path('b.pcapng');
    run('editcap', ['-F', 'pcapng', tmp.path('scapy/raw229.pcap'), a]);
    run('editcap', ['-F', 'pcapng', tmp.path('scapy/sll.pcap'), b]);
    const be = new PcapngWriter(true)
      .shb()
      .idb(1, { tsresol: 9 })
      .epb(
        0,
        1_709_942_400_123_456_789n,
        ethernet(0x0800, ipv4({ proto: 6 }, tcp({ dport: 7547 }))),
      )
      .bytes();
    const cat = tmp.path('cat.pcapng');
    writeFileSync(cat, Buffer.concat([readFileSync(a), Buffer.from(be), readFileSync(b)]));
    const frames = await same(cat);
    expect(frames.some((f) => f.time === '1709942400.123456789')).toBe(true);
    const r = await readCapture(cat, () => {});
    expect(r.linkTypes).toEqual([229, 1, 113]);
  });

  it('gzip: same frames; a cut gzip is an error after the packets before the cut', async () => {
    const ng = tmp.path('g.pcapng');
    run('editcap', ['-F', 'pcapng', tmp.path('scapy/eth-cut.pcap'), ng]);
    const gz = tmp.path('g.pcapng.gz');
    writeFileSync(gz, gzipSync(readFileSync(ng)));
    const whole = await same(gz);
    const r = await readCapture(gz, () => {});
    expect(r).toMatchObject({
      format: 'pcapng',
      compression: 'gzip',
      error: null,
      bytes: readFileSync(ng).length,
    });

    const cutGz = tmp.path('cut.pcapng.gz');
    const z = readFileSync(gz);
    writeFileSync(cutGz, z.subarray(0, Math.floor(z.length * 0.6)));
    const ours: PacketRecord[] = [];
    const c = await readCapture(cutGz, (rec) => ours.push(rec));
    expect(c.compression).toBe('gzip');
    expect(c.error).not.toBeNull();
    expect(c.error!.message).toMatch(/gzip/);
    expect(c.error!.record).toBe(c.packets + 1);
    expect(c.packets).toBeGreaterThan(0);
    expect(c.packets).toBeLessThan(whole.length);
    expect(c.packets).toBe(tsharkFrames(cutGz, true).length);
  });
});

describe.skipIf(!TOOLS)('damaged gzip: the packets tshark reads before the damage', () => {
  it('cut and corrupt gzip streams of pcap and pcapng files', async () => {
    const dir = tmp.path('gz-damage');
    mkdirSync(dir);
    makeScapyCorpus(dir);
    const pcap = readFileSync(`${dir}/eth-cut.pcap`);
    const ng = `${dir}/eth.pcapng`;
    run('editcap', ['-F', 'pcapng', `${dir}/eth.pcap`, ng]);
    const cases: [string, Buffer][] = [];
    for (const [name, raw] of [
      ['pcap', Buffer.concat([pcap, pcap.subarray(24), pcap.subarray(24)])],
      ['pcapng', Buffer.concat([readFileSync(ng), readFileSync(ng), readFileSync(ng)])],
    ] as const) {
      const gz = gzipSync(raw);
      cases.push([`${name}-cut-early`, gz.subarray(0, 60)]);
      cases.push([`${name}-cut-mid`, gz.subarray(0, Math.floor(gz.length / 2))]);
      const crc = Buffer.from(gz);
      crc[crc.length - 6] = crc[crc.length - 6]! ^ 0xff;
      cases.push([`${name}-bad-crc`, crc]);
      for (const at of [0.3, 0.7]) {
        const bad = Buffer.from(gz);
        const i = Math.floor(bad.length * at);
        for (let j = i; j < i + 6; j++) bad[j] = bad[j]! ^ 0xa5;
        cases.push([`${name}-corrupt-${at}`, bad]);
      }
    }
    await Promise.all(
      cases.map(async ([name, bytes]) => {
        const path = `${dir}/${name}.gz`;
        writeFileSync(path, bytes);
        const [r, t] = await Promise.all([
          readCapture(path, () => {}),
          tsharkFramesAsync(path, true),
        ]);
        expect(r.error, name).not.toBeNull();
        expect(r.packets, name).toBe(t.length);
      }),
    );
  });
});

describe('gzip and streams (byte-built files)', () => {
  const pkt = (i: number) =>
    ethernet(0x0800, ipv4({ proto: 6, src: `10.0.0.${i}` }, tcp({ dport: 1000 + i })));
  const file = pcapFile(
    Array.from({ length: 50 }, (_, i) => ({ sec: 1_700_000_000 + i, frac: i, data: pkt(i) })),
    { magic: 0xa1b23c4d },
  );

  it('readCaptureStream: any chunking, plain and gzip, equals readCapture', async () => {
    const path = tmp.path('s.pcap');
    writeFileSync(path, file);
    const expected = await ourFrames(path);
    for (const size of [1, 2, 3, 17, 4096]) {
      const plain = await streamFrames(file, size);
      expect(plain.frames).toEqual(expected);
      expect(plain.r).toMatchObject({
        compression: null,
        error: null,
        packets: 50,
        bytes: file.length,
        file: 'mem',
      });
      const gz = await streamFrames(gzipSync(file), size);
      expect(gz.frames).toEqual(expected);
      expect(gz.r).toMatchObject({ compression: 'gzip', error: null, packets: 50 });
    }
  });

  it('gzip members concatenated are one stream', async () => {
    const two = Buffer.concat([gzipSync(file.subarray(0, 1000)), gzipSync(file.subarray(1000))]);
    const { r } = await streamFrames(two, 333);
    expect(r).toMatchObject({ error: null, packets: 50 });
  });

  it('a cut gzip stream: packets before the cut, error at the partial record', async () => {
    const gz = gzipSync(file);
    for (const cut of [10, 100, Math.floor(gz.length / 2), gz.length - 4]) {
      const { r } = await streamFrames(gz.subarray(0, cut), 64);
      expect(r.error, `cut at ${cut}`).not.toBeNull();
      expect(r.error!.message).toMatch(/gzip: compressed data cut short/);
      if (r.packets > 0) {
        expect(r.error!.record).toBe(r.packets + 1);
        expect(r.error!.offset).toBe(24 + r.packets * (16 + pkt(0).length));
      }
    }
  });

  it('corrupt gzip data is an error', async () => {
    const gz = Buffer.from(gzipSync(file));
    for (let i = 40; i < 60; i++) gz[i] = gz[i]! ^ 0x5a;
    const { r } = await streamFrames(gz, 1000);
    expect(r.error!.message).toMatch(/gzip/);
  });

  it('gzip of something that is not a capture', async () => {
    const { r } = await streamFrames(gzipSync(Buffer.from('just some text, not a capture')), 7);
    expect(r).toMatchObject({ format: null, compression: 'gzip', packets: 0 });
    expect(r.error).toMatchObject({ record: 0, offset: 0 });
  });

  it('an empty stream is an empty file', async () => {
    const { r } = await streamFrames(new Uint8Array(0), 1);
    expect(r.error).toEqual({ message: 'empty file', record: 0, offset: 0 });
    expect(r.firstSec).toBe(-1);
  });

  it('an exception thrown by the consumer rejects the read (plain and gzip)', async () => {
    const plain = tmp.path('throw.pcap');
    const gz = tmp.path('throw.pcap.gz');
    writeFileSync(plain, file);
    writeFileSync(gz, gzipSync(file));
    for (const p of [plain, gz]) {
      let n = 0;
      await expect(
        readCapture(p, () => {
          if (++n === 3) throw new Error('consumer failed');
        }),
      ).rejects.toThrow('consumer failed');
    }
    await expect(
      readCaptureStream(chunked(gzipSync(file), 100), 'mem', () => {
        throw new Error('consumer failed');
      }),
    ).rejects.toThrow('consumer failed');
  });

  it('progress is reported and an abort stops the read', async () => {
    const path = tmp.path('p.pcap.gz');
    writeFileSync(path, gzipSync(file));
    const seen: number[] = [];
    const r = await readCapture(path, () => {}, { onProgress: (bytes) => seen.push(bytes) });
    expect(r.packets).toBe(50);
    expect(seen.at(-1)).toBe(readFileSync(path).length);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(readCapture(tmp.path('s.pcap'), () => {}, { signal: ac.signal })).rejects.toThrow(
      'stop',
    );
  });

  it('I/O errors throw and name the file; bad input never throws', async () => {
    const missing = tmp.path('no-such-file.pcap');
    await expect(readCapture(missing, () => {})).rejects.toBeInstanceOf(CaptureIoError);
    await expect(readCapture(missing, () => {})).rejects.toThrow(missing);
    await expect(readCapture(tmp.dir, () => {})).rejects.toThrow(tmp.dir);
    const junk = tmp.path('junk.pcap');
    writeFileSync(junk, 'definitely not a capture');
    const r = await readCapture(junk, () => {});
    expect(r).toMatchObject({ format: null, packets: 0, error: { record: 0, offset: 0 } });
  });

  it('a big file read in several chunks keeps records that straddle them', async () => {
    // Larger than the 1 MiB read size, with odd record sizes.
    const recs = Array.from({ length: 3000 }, (_, i) => ({
      sec: 1_700_000_000 + i,
      frac: 0,
      data: Uint8Array.from({ length: 300 + (i % 977) }, (_, j) => (i + j) & 0xff),
    }));
    const big = pcapFile(recs);
    const path = tmp.path('big.pcap');
    writeFileSync(path, big);
    let sum = 0;
    let n = 0;
    const r = await readCapture(path, (rec) => {
      expect(rec.capLen).toBe(recs[n]!.data.length);
      expect(rec.frame[rec.frameStart + rec.capLen - 1]).toBe(recs[n]!.data.at(-1));
      sum += rec.capLen;
      n++;
    });
    expect(r).toMatchObject({ error: null, packets: 3000, bytes: big.length });
    expect(sum).toBe(recs.reduce((s, x) => s + x.data.length, 0));
  });
});

describe.skipIf(!hasTool('tshark'))('file-level damage matches tshark', () => {
  it('a pcap cut mid-record: packets before the cut, like tshark', async () => {
    const data = ethernet(0x0800, ipv4({ proto: 17 }, [0, 1, 0, 53, 0, 8, 0, 0]));
    const full = pcapFile(
      Array.from({ length: 10 }, (_, i) => ({ sec: 1_700_000_000 + i, frac: 0, data })),
    );
    const path = tmp.path('cut.pcap');
    writeFileSync(path, full.subarray(0, full.length - 5));
    const r = await readCapture(path, () => {});
    expect(r.packets).toBe(9);
    expect(r.error).toMatchObject({ record: 10, offset: 24 + 9 * (16 + data.length) });
    expect(tsharkFrames(path, true)).toHaveLength(9);
    // tshark fails on the same file
    expect(() => execFileSync('tshark', ['-r', path], { stdio: 'pipe' })).toThrow();
  });
});
