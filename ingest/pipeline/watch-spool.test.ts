/**
 * What the spool watcher hands over, and when: an empty file (just opened by the sensor)
 * is waited for; a file removed from the spool is forgotten, so the watcher's state does
 * not grow over a long watch and a new file of the same name, size and time is taken.
 */
import {
  copyFileSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../../tests/support/until';
import { tempDir } from '../format/test-support/tools';
import { watchSpool } from './watch-spool';

const FIXTURE = path.resolve(__dirname, '../../tests/real-tools/fixtures/lo-nmap.pcap');
const SETTLE_MS = 100;

describe('watchSpool', () => {
  const tmp = tempDir('scanline-watch-');
  afterAll(() => tmp.remove());

  it('waits for an empty file to have bytes, and takes a name again once it was removed', async () => {
    const sensor = tmp.path('spool/s1');
    mkdirSync(sensor, { recursive: true });
    const taken: { name: string; size: number }[] = [];
    const watching = watchSpool({
      dir: tmp.path('spool'),
      settleMs: SETTLE_MS,
      pollMs: 50,
      exitAfterMs: 10_000,
      onFiles: async (files) => {
        for (const f of files) taken.push({ name: path.basename(f.path), size: f.size });
        return [];
      },
    });
    const soon = { timeoutMs: 10_000, pollMs: 20 };
    const file = path.join(sensor, 'a.pcap');
    const size = statSync(FIXTURE).size;
    /** The capture, with a whole-second time, moved into the spool. */
    const place = () => {
      const staged = tmp.path('staged.pcap');
      copyFileSync(FIXTURE, staged);
      utimesSync(staged, 1_700_000_000, 1_700_000_000);
      renameSync(staged, file);
    };

    writeFileSync(file, '');
    await sleep(SETTLE_MS * 5);
    expect(taken).toEqual([]);
    place();
    await until('the file with bytes is taken', () => taken.length === 1, soon);

    rmSync(file);
    await sleep(SETTLE_MS * 3);
    // Another capture of the same name, size and time: a state kept for the removed
    // file would match it and leave it untaken.
    place();
    await until('the new file is taken', () => taken.length === 2, soon);
    await sleep(SETTLE_MS * 3);
    expect(taken).toEqual([
      { name: 'a.pcap', size },
      { name: 'a.pcap', size },
    ]);
    rmSync(sensor, { recursive: true });
    await watching;
  }, 30_000);
});
