import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCaptureFile } from './capture-reader';
import { newTcpFields, PacketBuilder } from './packet-builder';
import { PcapngWriter, PcapWriter, splitTicks } from './pcap-writer';
import { hasTshark, tshark } from './test-tools';

const dir = mkdtempSync(path.join(tmpdir(), 'scanline-pcap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeSome(file: string, format: 'pcap' | 'pcapng', resolution: 'us' | 'ns'): void {
  const b = new PacketBuilder(Uint8Array.of(2, 0, 0, 0, 0, 1), Uint8Array.of(2, 0, 0, 0, 0, 2));
  // A tiny buffer forces many flushes.
  const w =
    format === 'pcap'
      ? new PcapWriter(file, { resolution, bufferSize: 1 << 16 })
      : new PcapngWriter(file, { resolution, bufferSize: 1 << 16, interfaceName: 'tyo1' });
  const f = newTcpFields();
  for (let i = 0; i < 3000; i++) {
    f.src = (0x01020304 + i) >>> 0;
    f.dst = 0xc0000210 + (i % 8);
    f.dstPort = i % 1024;
    f.seq = i;
    w.write(1598486400 + i, 123_456_789, b.buf, b.tcp(f));
  }
  w.close();
}

describe('capture writers', () => {
  it('splits 64-bit tick counts exactly', () => {
    const [hi, lo] = splitTicks(1598486400, 1e9, 999_999_999);
    expect(BigInt(hi) * 4294967296n + BigInt(lo)).toBe(1598486400n * 1_000_000_000n + 999_999_999n);
  });

  it.each([
    ['pcap', 'us'],
    ['pcap', 'ns'],
    ['pcapng', 'us'],
    ['pcapng', 'ns'],
  ] as const)('writes %s (%s) that reads back', (format, res) => {
    const file = path.join(dir, `t-${res}.${format}`);
    writeSome(file, format, res);
    const seen: Array<[number, number, number]> = [];
    const n = readCaptureFile(file, (p) => seen.push([p.tsSec, p.tsNsec, p.dstPort]));
    expect(n).toBe(3000);
    expect(seen[2999]).toEqual([
      1598486400 + 2999,
      res === 'ns' ? 123_456_789 : 123_456_000,
      2999 % 1024,
    ]);
    if (format === 'pcap') {
      const magic = readFileSync(file).readUInt32LE(0);
      expect(magic).toBe(res === 'ns' ? 0xa1b23c4d : 0xa1b2c3d4);
    }
  });

  it.skipIf(!hasTshark())('writes files tshark reads without complaint', () => {
    for (const f of ['t-us.pcap', 't-ns.pcap', 't-us.pcapng', 't-ns.pcapng']) {
      const out = tshark([
        '-r',
        path.join(dir, f),
        '-T',
        'fields',
        '-e',
        'frame.time_epoch',
        '-e',
        'tcp.dstport',
      ]);
      const lines = out.trim().split('\n');
      expect(lines).toHaveLength(3000);
      expect(lines[1]).toMatch(/^1598486401\.123456\d{3}\t1$/);
    }
    expect(
      execFileSync('capinfos', ['-M', path.join(dir, 't-ns.pcapng')], { encoding: 'utf8' }),
    ).toMatch(/Number of packets:\s+3000/);
  });
});
