import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, startScanline } from '../../tests/support/scanline-cli';
import { runInspect } from '../cli/inspect-command';
import { PcapngWriter, pcapFile } from '../format/test-support/capture-bytes';
import { ethernet, ipv4, ipv6, tcp, udp } from '../format/test-support/packet-bytes';
import { makeScapyCorpus } from '../format/test-support/scapy-corpus';
import {
  hasScapy,
  hasTool,
  type TempDir,
  tempDir,
  tsharkFrames,
} from '../format/test-support/tools';
import { type InspectResult, inspectFile } from './inspect-file';
import { dayKey, isoNanos } from './utc-time';

const DAY = 86400;
const D0 = 1_709_942_400; // 2024-03-09T00:00:00Z

const syn = (src: string, dport: number, window = 1024, flags = 0x02) =>
  ethernet(0x0800, ipv4({ proto: 6, src }, tcp({ dport, window, flags })));
const udp4 = (src: string, dport: number) =>
  ethernet(0x0800, ipv4({ proto: 17, src }, udp(999, dport)));
const syn6 = (src: string, dport: number) =>
  ethernet(0x86dd, ipv6({ nextHeader: 6, src }, tcp({ dport, window: 512 })));
const arp = ethernet(0x0806, Array(28).fill(0));

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp?.remove());

function capture(name: string, recs: [number, number, Uint8Array][], magic = 0xa1b23c4d): string {
  const path = tmp.path(name);
  writeFileSync(
    path,
    pcapFile(
      recs.map(([sec, frac, data]) => ({ sec, frac, data })),
      { magic },
    ),
  );
  return path;
}

async function runJson(
  args: string[],
): Promise<{ code: number; lines: InspectResult[]; err: string }> {
  let out = '';
  let err = '';
  const code = await runInspect(['--json', ...args], {
    out: (t) => (out += t),
    err: (t) => (err += t),
  });
  return {
    code,
    lines: out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as InspectResult),
    err,
  };
}

describe('inspect counts', () => {
  it('per UTC day: IP packets, exact sources, ports, flags, windows; non-IP only at the top', async () => {
    const path = capture('days.pcap', [
      [D0 - 1, 999_999_999, syn('192.0.2.1', 445, 8192)], // 2024-03-08, last nanosecond
      [D0, 0, syn('192.0.2.1', 445, 8192)],
      [D0 + 10, 5, syn('192.0.2.2', 445, 8192)],
      [D0 + 11, 0, syn('192.0.2.2', 23, 8192, 0x12)], // SYN/ACK
      [D0 + 12, 0, syn('192.0.2.3', 23, 0, 0x14)], // RST/ACK
      [D0 + 13, 0, udp4('192.0.2.3', 53)],
      [D0 + 14, 0, udp4('192.0.2.4', 53)],
      [D0 + 15, 0, arp],
      [D0 + 16, 0, syn6('2001:db8::1', 445)],
      [D0 + 17, 0, syn6('::c000:201', 445)], // same 32 low bits as 192.0.2.1: still distinct
      [D0 + 18, 0, ethernet(0x0800, [0x45, 0, 0])], // IP layer, no source
      [D0 + DAY - 1, 999_999_999, syn('192.0.2.9', 80)],
    ]);
    const r = await inspectFile(path);
    expect(r).toMatchObject({
      file: path,
      ok: true,
      error: null,
      format: 'pcap',
      compression: null,
      linkTypes: [1],
      packets: 12,
      ipPackets: 11,
      nonIpPackets: 1,
      first: '2024-03-08T23:59:59.999999999Z',
      last: '2024-03-09T23:59:59.999999999Z',
    });
    expect(Object.keys(r.days)).toEqual(['2024-03-08', '2024-03-09']);
    expect(r.days['2024-03-08']).toEqual({
      packets: 1,
      sources: 1,
      ports: { 'tcp/445': { packets: 1, sources: 1 } },
      tcpFlags: { syn: 1, synAck: 0, rst: 0 },
      tcpWindows: { '8192': 1 },
    });
    const d = r.days['2024-03-09']!;
    expect(d.packets).toBe(10);
    expect(d.sources).toBe(7); // .1 .2 .3 .4 .9 and two IPv6
    expect(Object.entries(d.ports)).toEqual([
      ['tcp/445', { packets: 4, sources: 4 }],
      ['tcp/23', { packets: 2, sources: 2 }],
      ['udp/53', { packets: 2, sources: 2 }],
      ['tcp/80', { packets: 1, sources: 1 }],
    ]);
    expect(d.tcpFlags).toEqual({ syn: 5, synAck: 1, rst: 1 });
    expect(d.tcpWindows).toEqual({ '0': 1, '512': 2, '1024': 1, '8192': 3 });
  });

  it('pre-1970 and far-future time stamps do not crash', async () => {
    const w = new PcapngWriter().shb().idb(1, { tsoffset: -2_000_000_000n }).idb(1, { tsresol: 0 });
    w.epb(0, 5_000_000n, syn('198.51.100.1', 1)).epb(1, 253_402_300_800n, syn('198.51.100.2', 2));
    const path = tmp.path('old.pcapng');
    writeFileSync(path, w.bytes());
    const r = await inspectFile(path);
    expect(r.first).toBe('1906-08-16T20:26:45.000000000Z');
    expect(r.last).toBe('+010000-01-01T00:00:00.000000000Z');
    expect(Object.keys(r.days)).toEqual(['1906-08-16', '+010000-01-01']);
  });

  it('damaged file: ok false, the error, and the counts before the damage', async () => {
    const file = pcapFile(
      Array.from({ length: 5 }, (_, i) => ({ sec: D0 + i, frac: 0, data: syn('192.0.2.7', 22) })),
    );
    const path = tmp.path('damaged.pcap.gz');
    writeFileSync(path, gzipSync(file.subarray(0, file.length - 3)));
    const r = await inspectFile(path);
    expect(r).toMatchObject({ ok: false, compression: 'gzip', packets: 4, ipPackets: 4 });
    expect(r.error).toMatchObject({ record: 5, offset: 24 + 4 * (16 + 54) });
    expect(r.days['2024-03-09']!.packets).toBe(4);
  });

  it('missing file: ok false with the error, no counts', async () => {
    const r = await inspectFile(tmp.path('missing.pcap'));
    expect(r).toMatchObject({
      ok: false,
      format: null,
      packets: 0,
      first: null,
      last: null,
      days: {},
    });
    expect(r.error!.message).toMatch(/missing\.pcap/);
    expect(r.error!.message).toMatch(/ENOENT/);
  });
});

describe('scanline inspect', () => {
  it('--json: one line per file, exact key order; directories recurse sorted; exit 1 on any error', async () => {
    const dir = tmp.path('tree');
    mkdirSync(`${dir}/b/c`, { recursive: true });
    mkdirSync(`${dir}/a`);
    const one = pcapFile([{ sec: D0, frac: 1, data: syn('192.0.2.1', 1) }]);
    writeFileSync(`${dir}/b/c/z.pcap`, one);
    writeFileSync(`${dir}/b/capture-without-extension`, one);
    writeFileSync(`${dir}/a/x.pcap.gz`, gzipSync(one));
    writeFileSync(`${dir}/a/notes.txt`, 'not a capture, skipped in directories');
    writeFileSync(`${dir}/.hidden.pcap`, one);
    writeFileSync(`${dir}/a/empty.pcap`, '');

    const { code, lines } = await runJson([dir, tmp.path('nope.pcap')]);
    expect(lines.map((l) => l.file)).toEqual([
      `${dir}/a/empty.pcap`,
      `${dir}/a/x.pcap.gz`,
      `${dir}/b/c/z.pcap`,
      `${dir}/b/capture-without-extension`,
      tmp.path('nope.pcap'),
    ]);
    expect(code).toBe(1);
    expect(lines.map((l) => l.ok)).toEqual([false, true, true, true, false]);
    expect(lines[0]!.error).toEqual({ message: 'empty file', record: 0, offset: 0 });
    expect(Object.keys(lines[1]!)).toEqual([
      'file',
      'ok',
      'error',
      'format',
      'compression',
      'linkTypes',
      'packets',
      'ipPackets',
      'nonIpPackets',
      'first',
      'last',
      'days',
    ]);
    expect(lines[1]).toMatchObject({
      compression: 'gzip',
      first: '2024-03-09T00:00:00.000001000Z',
    });
  });

  it('exit 0 when every file is fine; human output; usage errors exit 2', async () => {
    const path = capture('ok.pcap', [[D0, 0, syn('192.0.2.1', 445)]]);
    expect((await runJson([path])).code).toBe(0);
    let out = '';
    const code = await runInspect([path], { out: (t) => (out += t), err: () => {} });
    expect(code).toBe(0);
    expect(out).toMatch(/Format:\s+pcap/);
    expect(out).toMatch(/Link types:\s+1 \(Ethernet\)/);
    expect(out).toMatch(/Packets:\s+1 \(IP 1, non-IP 0\)/);
    expect(out).toMatch(/2024-03-09\s+1\s+1/);
    expect(await runInspect([], { out: () => {}, err: () => {} })).toBe(2);
    expect(await runInspect(['--bogus', path], { out: () => {}, err: () => {} })).toBe(2);
  });

  it('- reads standard input (a pipe): the counts of the same file, gzipped or not', async () => {
    const path = capture('piped.pcap', [
      [D0, 0, syn('192.0.2.1', 445)],
      [D0 + DAY, 5, udp4('198.51.100.7', 53)],
      [D0 + DAY, 6, arp],
    ]);
    const fromFile = (await runJson([path])).lines[0]!;
    for (const bytes of [readFileSync(path), gzipSync(readFileSync(path))]) {
      const run = await finished(startScanline(['inspect', '--json', '-'], {}, bytes));
      expect(run, run.stderr).toMatchObject({ code: 0, signal: null });
      const line = JSON.parse(run.stdout) as InspectResult;
      expect(line.file).toBe('-');
      expect(line.packets).toBe(3);
      const compression = bytes[0] === 0x1f ? 'gzip' : null;
      expect({ ...line, file: path }).toEqual({ ...fromFile, compression });
    }
  });
});

describe('utc-time', () => {
  it('matches Date where Date works', () => {
    for (const sec of [
      0, -1, 86399, 86400, 951_782_399, 951_868_800, 4_107_542_399, -62_135_596_800,
      253_402_300_799,
    ]) {
      expect(isoNanos(sec, 7)).toBe(
        `${new Date(sec * 1000).toISOString().slice(0, 19)}.000000007Z`,
      );
      expect(dayKey(Math.floor(sec / DAY))).toBe(new Date(sec * 1000).toISOString().slice(0, 10));
    }
  });
});

describe.skipIf(!(hasTool('tshark') && hasScapy()))(
  'inspect equals counts made from tshark frames',
  () => {
    it('scapy captures of several link types', async () => {
      const dir = tmp.path('scapy');
      mkdirSync(dir);
      makeScapyCorpus(dir);
      for (const f of ['eth.pcap', 'eth-cut.pcap', 'sll2.pcap', 'null.pcap']) {
        const path = `${dir}/${f}`;
        const frames = tsharkFrames(path);
        const r = await inspectFile(path);
        expect(r.packets).toBe(frames.length);
        expect(r.ipPackets).toBe(frames.filter((x) => x.ipLayer !== 0).length);
        const ports = new Map<string, number>();
        for (const x of frames) {
          if (x.dstPort !== null)
            ports.set(
              `${x.transport}/${x.dstPort}`,
              (ports.get(`${x.transport}/${x.dstPort}`) ?? 0) + 1,
            );
        }
        const ours = new Map<string, number>();
        for (const d of Object.values(r.days)) {
          for (const [k, p] of Object.entries(d.ports)) ours.set(k, (ours.get(k) ?? 0) + p.packets);
        }
        expect(Object.fromEntries([...ours].sort())).toEqual(Object.fromEntries([...ports].sort()));
        const srcs = new Set(frames.map((x) => x.src).filter((s) => s !== null));
        const daySources = Object.values(r.days).reduce((n, d) => n + d.sources, 0);
        expect(daySources).toBeGreaterThanOrEqual(srcs.size);
      }
    });
  },
);
