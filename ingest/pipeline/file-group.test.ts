/**
 * A sensor's rotated captures: one capture of two days (the demo scenario's sensors,
 * merged by mergecap) cut by `editcap -c` into files as a sensor that rotates by size
 * leaves them. Ingested in one run, the files of one sensor are merged in memory and
 * committed together (FileGroup); against the same files committed one by one
 * (`--group 1`), on a real SQLite file and a real PostgreSQL server, every table is
 * identical (host rows included: they merge by the store's rules), and each file keeps
 * its own ledger row. Committed one by one in reverse order, the database is the same
 * again: a host's majority votes keep the heaviest file's, whatever the order. A copy
 * of one file in the same run is a duplicate; a file another process committed while
 * the group was read (the commit finds it in the ledger) leaves the others to be read
 * again, each alone. Files that share no day (one file per day) commit apart once a
 * group holds enough captures.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '../../lib/db/prisma';
import { ENGINES, freshDbsFor } from '../../tests/support/db';
import { mergedDemoCapture } from '../../tests/support/demo-capture';
import { type Dump, dumpAggregates } from '../../tests/support/dump';
import { ingestLines } from '../../tests/support/scanline-cli';
import { loadGeoDb } from '../enrich/geo-db';
import { openStore } from '../store';
import { ingestFiles } from './ingest-file';

const FILES = 6;

let dir = '';
let rotated = '';
let files: string[] = [];
let withCopy = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'scanline-group-'));
  const capture = await mergedDemoCapture(dir, '2020-08-30', '2020-08-31');
  const packets = Number(
    execFileSync('capinfos', ['-M', '-c', '-T', '-r', capture], { encoding: 'utf8' })
      .trim()
      .split('\t')[1],
  );
  rotated = path.join(dir, 'rotated');
  mkdirSync(rotated);
  execFileSync('editcap', [
    '-c',
    String(Math.ceil(packets / FILES)),
    capture,
    path.join(rotated, 'sensor.pcap'),
  ]);
  files = readdirSync(rotated)
    .sort()
    .map((f) => path.join(rotated, f));
  withCopy = path.join(dir, 'with-copy');
  mkdirSync(withCopy);
  for (const f of files) copyFileSync(f, path.join(withCopy, path.basename(f)));
  copyFileSync(files[2]!, path.join(withCopy, 'zz-copy-of-the-third.pcap'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function ledger(url: string) {
  const rows = await getPrisma(url).ingestedFile.findMany({
    select: { path: true, status: true, packets: true, ipPackets: true, days: true, sha256: true },
  });
  return rows.sort((a, b) => a.path.localeCompare(b.path));
}

/** `scanline ingest` in one thread, a commit per file, in the order given. */
function oneCommitEach(url: string, inputs: string[]) {
  return ingestLines(['--db', url, '--sensor', 's', '--workers', '1', '--group', '1', ...inputs]);
}

describe.each(ENGINES)('rotated captures of one sensor on %s', { timeout: 300_000 }, (engine) => {
  const fresh = freshDbsFor(engine);
  let oneByOne: Dump;
  let oneByOneLedger: Awaited<ReturnType<typeof ledger>>;

  it('merged in one commit and committed one by one: the same database', async () => {
    expect(files).toHaveLength(FILES);
    const single = await fresh();
    const apart = await oneCommitEach(single.url, [rotated]);
    expect(apart.code, apart.stderr).toBe(0);
    expect(apart.lines.map((l) => l.outcome)).toEqual(Array(FILES).fill('stored'));
    oneByOne = await dumpAggregates(single.url);
    oneByOneLedger = await ledger(single.url);
    // The files share days and hosts: merging is what the group saves.
    expect(new Set(oneByOneLedger.map((r) => r.days)).size).toBeLessThan(FILES);
    expect(Object.keys(oneByOne.host ?? {}).length).toBeGreaterThan(3000);

    const grouped = await fresh();
    const run = await ingestLines(
      ['--db', grouped.url, '--sensor', 's', '--workers', '1', rotated],
      {
        SCANLINE_STORE_TIMING: '1',
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines.map((l) => l.outcome)).toEqual(Array(FILES).fill('stored'));
    expect(run.stderr).toContain(`store ${FILES} merged file(s)`);
    expect(await dumpAggregates(grouped.url)).toEqual(oneByOne);
    expect(await ledger(grouped.url)).toEqual(oneByOneLedger);
  });

  it('committed one by one in reverse order: the same database', async () => {
    const db = await fresh();
    const reversed = [...files].reverse();
    const run = await oneCommitEach(db.url, reversed);
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines.map((l) => l.file)).toEqual(reversed);
    const dump = await dumpAggregates(db.url);
    expect(dump).toEqual(oneByOne);
  });

  it('a copy of one of them in the same run: a duplicate, nothing counted twice', async () => {
    const db = await fresh();
    const run = await ingestLines(['--db', db.url, '--sensor', 's', '--workers', '1', withCopy]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines.at(-1)).toMatchObject({ outcome: 'duplicate' });
    expect(run.lines.filter((l) => l.outcome === 'stored')).toHaveLength(FILES);
    expect(await dumpAggregates(db.url)).toEqual(oneByOne);
  });

  it('one committed by another process while the group was read: the others again, alone', async () => {
    // The reference: the fourth file first, then the others one by one, in order.
    const reference = await fresh();
    for (const args of [[files[3]!], ['--group', '1', ...files.filter((_, i) => i !== 3)]]) {
      const run = await ingestLines([
        '--db',
        reference.url,
        '--sensor',
        's',
        '--workers',
        '1',
        ...args,
      ]);
      expect(run.code, run.stderr).toBe(0);
    }
    const db = await fresh();
    const store = await openStore(db.url);
    const geo = loadGeoDb();
    try {
      const sensorId = await store.ensureSensor('s');
      const batch = files.map((p) => ({ path: p, sensor: 's', sensorId }));
      const [first] = await ingestFiles(store, geo, [batch[3]!]);
      expect(first?.outcome).toBe('stored');
      // As if the other process's commit came after this run's reads: only the commit
      // itself finds the file in the ledger.
      const racing = Object.assign(Object.create(store) as typeof store, {
        hasFile: async () => null,
        findFileByPath: async () => null,
      });
      const reports = await ingestFiles(racing, geo, batch);
      expect(reports.map((r) => r.outcome)).toEqual([
        'stored',
        'stored',
        'stored',
        'duplicate',
        'stored',
        'stored',
      ]);
    } finally {
      await store.close();
    }
    expect(await dumpAggregates(db.url)).toEqual(await dumpAggregates(reference.url));
    expect(await ledger(db.url)).toEqual(oneByOneLedger);
  });

  it('files that share no day: apart once the group holds enough, else together', async () => {
    const perDay = readdirSync(path.join(dir, 'sim'), { recursive: true })
      .map(String)
      .filter((f) => f.startsWith('osa1/') && f.endsWith('.pcap'))
      .sort()
      .map((f) => path.join(dir, 'sim', f));
    expect(perDay).toHaveLength(2);
    const commitsFor = async (unsharedGroupBytes?: number) => {
      const db = await fresh();
      const store = await openStore(db.url);
      const sizes: number[] = [];
      try {
        const sensorId = await store.ensureSensor('osa1');
        const counting = Object.assign(Object.create(store) as typeof store, {
          commitMerged: (...args: Parameters<typeof store.commitMerged>) => {
            sizes.push(args[0].length);
            return store.commitMerged(...args);
          },
        });
        const batch = perDay.map((p) => ({ path: p, sensor: 'osa1', sensorId }));
        const reports = await ingestFiles(counting, loadGeoDb(), batch, {
          ...(unsharedGroupBytes === undefined ? {} : { unsharedGroupBytes }),
        });
        expect(reports.map((r) => r.outcome)).toEqual(['stored', 'stored']);
      } finally {
        await store.close();
      }
      return { sizes, dump: await dumpAggregates(db.url) };
    };
    const together = await commitsFor();
    const apart = await commitsFor(1);
    expect(together.sizes).toEqual([2]);
    expect(apart.sizes).toEqual([1, 1]);
    expect(apart.dump).toEqual(together.dump);
  });

  it('a commit that fails: its files are failed, saying why, and nothing is recorded', async () => {
    const db = await fresh();
    const store = await openStore(db.url);
    try {
      const sensorId = await store.ensureSensor('s');
      const failing = Object.assign(Object.create(store) as typeof store, {
        commitMerged: async () => {
          throw new Error('disk I/O error');
        },
      });
      const batch = files.map((p) => ({ path: p, sensor: 's', sensorId }));
      const reports = await ingestFiles(failing, loadGeoDb(), batch);
      expect(reports.map((r) => r.outcome)).toEqual(Array(FILES).fill('failed'));
      expect(reports[0]!.message).toBe(`${files[0]}: disk I/O error`);
    } finally {
      await store.close();
    }
    expect(await ledger(db.url)).toEqual([]);
    expect(await getPrisma(db.url).dailyPort.count()).toBe(0);
  });
});
