/**
 * Malformed packets, judged by tshark: every intact, uncompressed corpus capture with its
 * packet headers mutated (tests/real-tools/mutate.ts, fixed seeds) must give the same
 * counts from `scanline inspect --json` as from tshark. The mutations found the LLC,
 * 802.3 / PPPoE length, Credits tag and IPv6 routing header rules in ingest/decode.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from './corpus';
import { mutateCapture } from './mutate';
import { type Counts, tsharkCounts } from './tshark-counts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const DIR = join(tmpdir(), `scanline-mutations-${process.pid}`);
const SEEDS = [1, 2];

const INTACT = CORPUS.filter((e) => !e.damaged && e.compression === null);
/** Mutated copies (big-endian captures are not walked by the mutator and are left out). */
const FILES = INTACT.flatMap((e) =>
  SEEDS.map((seed) => ({
    name: `${seed}-${e.file}`,
    data: mutateCapture(readFileSync(join(HERE, 'fixtures', e.file)), seed),
  })),
).filter((f): f is { name: string; data: Buffer } => f.data !== null);

const countsOf = (c: Counts): Counts => ({
  packets: c.packets,
  ipPackets: c.ipPackets,
  nonIpPackets: c.nonIpPackets,
  first: c.first,
  last: c.last,
  days: c.days,
});

describe('inspect --json vs tshark on mutated corpus captures', () => {
  const written = FILES.map((f) => f.name);
  const ours = new Map<string, Counts & { ok: boolean }>();
  const theirs = new Map<string, Counts>();

  beforeAll(async () => {
    mkdirSync(DIR, { recursive: true });
    for (const f of FILES) writeFileSync(join(DIR, f.name), f.data);
    const stdout = await new Promise<string>((res, rej) =>
      execFile(
        join(ROOT, 'node_modules/.bin/tsx'),
        ['ingest/cli/main.ts', 'inspect', '--json', ...written.map((n) => join(DIR, n))],
        { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
        (err, out) => (err && typeof err.code !== 'number' ? rej(err) : res(out)),
      ),
    );
    for (const line of stdout.split('\n')) {
      if (line.trim() === '') continue;
      const j = JSON.parse(line) as Counts & { ok: boolean; file: string };
      ours.set(j.file, j);
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.max(2, availableParallelism()) }, async () => {
        while (next < written.length) {
          const name = written[next++]!;
          theirs.set(name, await tsharkCounts(join(DIR, name)));
        }
      }),
    );
  }, 300_000);

  afterAll(() => rmSync(DIR, { recursive: true, force: true }));

  it('mutates most of the corpus', () => {
    expect(FILES.length).toBeGreaterThan(INTACT.length * SEEDS.length * 0.8);
  });

  it.each(FILES.map((f) => [f.name]))('%s', (name) => {
    const o = ours.get(join(DIR, name));
    expect(o, 'no inspect line').toBeDefined();
    expect(o!.ok).toBe(true);
    expect(countsOf(o!)).toEqual(countsOf(theirs.get(name)!));
  });
});
