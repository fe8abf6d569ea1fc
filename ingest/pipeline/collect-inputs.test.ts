/**
 * Which files a directory ingest takes: captures by name or by their first bytes, as
 * real tools leave them (tcpdump -C rotation appends digits to the name), links to
 * files, compressed names reported rather than dropped, everything else named.
 */
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readCapture } from '../format/read-capture';
import { hasTool, run, tempDir } from '../format/test-support/tools';
import { CAPTURE_NAME } from './capture-names';
import { collectInputs } from './collect-inputs';

const FIXTURES = path.resolve(__dirname, '../../tests/real-tools/fixtures');

async function packetsOf(file: string): Promise<number> {
  const r = await readCapture(file, () => {});
  expect(r.error).toBeNull();
  return r.packets;
}

describe('collectInputs on a sensor directory', () => {
  const tmp = tempDir('scanline-inputs-');
  afterAll(() => tmp.remove());

  it('takes every file of a tcpdump -C rotation, and captures without a capture name', async () => {
    if (!hasTool('tcpdump')) throw new Error('tcpdump is required (apt-get install tcpdump)');
    const source = tmp.path('bulk.pcap');
    writeFileSync(source, gunzipSync(readFileSync(path.join(FIXTURES, 'lo-bulk.pcap.gz'))));
    const spool = tmp.path('spool');
    const sensor = path.join(spool, 's1');
    mkdirSync(sensor, { recursive: true });
    // tcpdump drops root to its own user before writing: let it reach and write here.
    for (const d of [tmp.dir, spool]) chmodSync(d, 0o755);
    chmodSync(sensor, 0o777);
    run('tcpdump', ['-r', source, '-w', path.join(sensor, 'dump.pcap'), '-C', '1']);
    copyFileSync(path.join(FIXTURES, 'lo-nmap.pcap'), path.join(sensor, 'capture-20200827'));
    const elsewhere = tmp.path('elsewhere.pcapng');
    copyFileSync(path.join(FIXTURES, 'tshark-lo.pcapng'), elsewhere);
    symlinkSync(elsewhere, path.join(sensor, 'linked'));
    symlinkSync(spool, path.join(sensor, 'loop')); // a link to a directory is not followed
    writeFileSync(path.join(sensor, 'old.pcap.zst'), Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0]));
    writeFileSync(path.join(sensor, 'notes.txt'), 'sensor notes\n');
    writeFileSync(path.join(sensor, 'dump.pcap3.part'), ''); // still being written

    const skipped: string[] = [];
    const inputs = await collectInputs([spool], undefined, 'default', (f) => skipped.push(f));
    const names = inputs.map((i) => path.relative(spool, i.path));
    expect(names).toEqual([
      's1/capture-20200827',
      's1/dump.pcap',
      's1/dump.pcap1',
      's1/dump.pcap2',
      's1/linked',
      's1/old.pcap.zst',
    ]);
    expect(inputs.every((i) => i.sensor === 's1')).toBe(true);
    expect(skipped).toEqual([path.join(sensor, 'notes.txt')]);

    // Nothing of the capture is left out: the rotated files hold every packet.
    const rotated = inputs.filter((i) => /dump\.pcap/.test(i.path));
    let sum = 0;
    for (const f of rotated) sum += await packetsOf(f.path);
    expect(sum).toBe(await packetsOf(source));
    expect(sum).toBeGreaterThan(2000);
  });
});

describe('capture names', () => {
  it('matches capture extensions with rotation digits and compression suffixes', () => {
    for (const n of [
      'a.pcap',
      'a.PCAPNG',
      'a.pcap12',
      'a.cap',
      'a.dmp.gz',
      'a.ntar',
      'a.pcap1.gz',
      'a.pcapng.zst',
      'a.pcap.lz4',
    ]) {
      expect(CAPTURE_NAME.test(n), n).toBe(true);
    }
    for (const n of ['a.txt', 'a.pcap.bak', 'pcap', 'a.gz', 'a.pcapx', 'a.pcap.gz.1']) {
      expect(CAPTURE_NAME.test(n), n).toBe(false);
    }
  });

  it('- is standard input, once: with its sensor, or the default', async () => {
    expect(await collectInputs(['-'], 'east')).toEqual([{ path: '-', sensor: 'east' }]);
    expect(await collectInputs(['-'], undefined)).toEqual([{ path: '-', sensor: 'default' }]);
    await expect(collectInputs(['-', '-'], 'east')).rejects.toThrow(
      '-: standard input can be read once',
    );
  });
});
