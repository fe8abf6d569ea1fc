/**
 * Malformed packets, judged by tshark: every intact, uncompressed corpus capture with its
 * packet headers mutated (tests/real-tools/mutate.ts, fixed seeds) must give the same
 * counts from `scanline inspect --json` as from tshark. The mutations found the LLC,
 * 802.3 / PPPoE length, Credits tag and IPv6 routing header rules in ingest/decode.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from './corpus';
import { countsOf, type InspectRun, pool, runInspect } from './inspect-run';
import { mutateCapture } from './mutate';
import { type Counts, tsharkCounts } from './tshark-counts';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIR = join(tmpdir(), `scanline-mutations-${process.pid}`);
const SEEDS = [1, 2];

const INTACT = CORPUS.filter((e) => !e.damaged && e.compression === null);
/** Mutated copies (big-endian captures are not walked by the mutator and are left out). */
const FILES = INTACT.flatMap((e) =>
  SEEDS.map((seed) => ({
    name: `${seed}-${e.file}`,
    path: join(DIR, `${seed}-${e.file}`),
    data: mutateCapture(readFileSync(join(HERE, 'fixtures', e.file)), seed),
  })),
).filter((f): f is { name: string; path: string; data: Buffer } => f.data !== null);

describe('inspect --json vs tshark on mutated corpus captures', () => {
  let ours: InspectRun;
  const theirs = new Map<string, Counts>();

  beforeAll(async () => {
    mkdirSync(DIR, { recursive: true });
    for (const f of FILES) writeFileSync(f.path, f.data);
    const paths = FILES.map((f) => f.path);
    [ours] = await Promise.all([
      runInspect(paths),
      pool(paths, Math.max(2, availableParallelism()), async (path) => {
        theirs.set(path, await tsharkCounts(path));
      }),
    ]);
  }, 300_000);

  afterAll(() => rmSync(DIR, { recursive: true, force: true }));

  it('mutates most of the corpus', () => {
    expect(FILES.length).toBeGreaterThan(INTACT.length * SEEDS.length * 0.8);
  });

  it.each(FILES.map((f) => [f.name, f.path]))('%s', (_name, path) => {
    const o = ours.lines.get(path);
    expect(o, 'no inspect line').toBeDefined();
    expect(o!.ok).toBe(true);
    expect(countsOf(o!)).toEqual(countsOf(theirs.get(path)!));
  });
});
