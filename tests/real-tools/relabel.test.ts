/**
 * Every link-layer encapsulation editcap can write (`editcap -T`), each applied to real-tool
 * fixtures: the frames' bytes are read as that link type by `scanline inspect --json` and by
 * tshark, and the counts must be equal. Bytes that were never meant for the link type are a
 * cheap sweep of each of its dissectors' corners (it found five undecoded link types, a wrong
 * 802.3 length rule and a wrong IPv6 rule in SunATM). Encapsulations tshark cannot read back
 * from pcap are not judged.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { countsOf, pool, runInspect } from './inspect-run';
import { type TsharkReport, tsharkCounts } from './tshark-counts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const SOURCES = ['ethernet-encapsulations.pcap', 'raw-linktype101.pcap', 'llc-variants.pcap'];

function encapsulations(): string[] {
  const out = spawnSync('editcap', ['-T'], { encoding: 'utf8' });
  const text = `${out.stdout}${out.stderr}`;
  return [...text.matchAll(/^\s+(\S+) - /gm)].map((m) => m[1]!);
}

describe('every editcap encapsulation over real-tool fixtures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scanline-relabel-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('inspect counts what tshark counts', { timeout: 600_000 }, async () => {
    const encaps = encapsulations();
    expect(encaps.length).toBeGreaterThan(100);
    const files: string[] = [];
    for (const encap of encaps) {
      for (const source of SOURCES) {
        const file = join(dir, `${encap}--${source}`);
        const r = spawnSync('editcap', ['-F', 'pcap', '-T', encap, join(FIXTURES, source), file]);
        if (r.status === 0) files.push(file);
      }
    }
    const inspect = await runInspect(files);
    const reports = new Map<string, TsharkReport>();
    await pool(files, availableParallelism(), async (f) => {
      reports.set(f, await tsharkCounts(f));
    });
    const differ: string[] = [];
    let judged = 0;
    for (const f of files) {
      const t = reports.get(f)!;
      // A link type tshark does not read from pcap at all: nothing to judge.
      if (t.exitCode !== 0 && /unknown or unsupported/.test(t.error ?? '')) continue;
      judged++;
      const ours = inspect.lines.get(f);
      if (!ours || !isDeepStrictEqual(countsOf(ours), countsOf(t)))
        differ.push(f.slice(dir.length + 1));
    }
    expect(differ).toEqual([]);
    expect(judged).toBeGreaterThan(300);
  });
});
