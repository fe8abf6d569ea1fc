/**
 * `scanline ingest --workers 2` (worker threads, one group of whole files each, each
 * thread with its own store connection) against `--workers 1` (in this thread) on the
 * same captures: the aggregate tables are identical, byte for byte, sketches included,
 * on a real SQLite file and a real PostgreSQL server; so are groups of one file (one
 * transaction per file) and of two. The captures are a few days of the
 * simulator's test scale (two sensors, so threads commit into the same days and the
 * same rollup rows at once) plus a damaged capture, which must be recorded as partial
 * by a thread just as in a single-threaded run.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectPrisma, getPrisma } from '../../lib/db/prisma';
import { ENGINES, freshDb, type TestDb } from '../../tests/support/db';
import { dumpAggregates } from '../../tests/support/dump';
import { runIngest } from '../cli/ingest-command';
import { simulate } from '../simulate/simulate-command';

const FIXTURES = path.resolve(__dirname, '../../tests/real-tools/fixtures');

let dir = '';
let files = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'scanline-parallel-'));
  const sim = await simulate({
    scenario: '2020-q3',
    outDir: path.join(dir, 'sim'),
    scale: 'test',
    from: '2020-08-31',
    to: '2020-09-01',
  });
  // A damaged capture: kept as partial, and the run's exit code is 1.
  mkdirSync(path.join(dir, 'sim', 'lab'));
  copyFileSync(
    path.join(FIXTURES, 'damaged-cut-in-record-data.pcap'),
    path.join(dir, 'sim', 'lab', 'damaged.pcap'),
  );
  files = sim.files.length + 1;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function ledger(url: string) {
  const rows = await getPrisma(url).ingestedFile.findMany({
    select: { sha256: true, path: true, status: true, packets: true, days: true },
    orderBy: { sha256: 'asc' },
  });
  return rows.map((r) => ({ ...r, packets: Number(r.packets) }));
}

describe.each(ENGINES)('ingest --workers on %s', (engine) => {
  const dbs: TestDb[] = [];
  afterAll(async () => {
    for (const db of dbs) {
      await disconnectPrisma(db.url);
      await db.cleanup();
    }
  });

  it('2 worker threads give the same database as 1, whatever the commit groups', async () => {
    const one = await freshDb(engine);
    const two = await freshDb(engine);
    const pairs = await freshDb(engine);
    dbs.push(one, two, pairs);
    const input = path.join(dir, 'sim');
    const args = (url: string, n: number, group: number) => [
      ...['--db', url, '--workers', String(n), '--group', String(group), '--no-detect'],
    ];
    // The captures are small: by default they would all share one group (one thread).
    expect(await runIngest([...args(one.url, 1, 64), input])).toBe(1);
    expect(await runIngest([...args(two.url, 2, 1), input])).toBe(1);
    expect(await runIngest([...args(pairs.url, 2, 2), input])).toBe(1);

    const [a, b, c] = [await ledger(one.url), await ledger(two.url), await ledger(pairs.url)];
    expect(a).toHaveLength(files);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(a.filter((r) => r.status === 'partial')).toHaveLength(1);

    const [dumpOne, dumpTwo] = [await dumpAggregates(one.url), await dumpAggregates(two.url)];
    expect(Object.keys(dumpOne.host ?? {}).length).toBeGreaterThan(1000);
    expect(Object.keys(dumpOne.total ?? {}).length).toBeGreaterThan(4);
    expect(dumpTwo).toEqual(dumpOne);
    expect(await dumpAggregates(pairs.url)).toEqual(dumpOne);

    // Again with threads: every file is a duplicate, nothing changes.
    expect(await runIngest([...args(two.url, 2, 1), input])).toBe(0);
    expect(await dumpAggregates(two.url)).toEqual(dumpOne);
  });
});
