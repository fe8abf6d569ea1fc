/**
 * The store across processes: two processes committing at once, and a process killed
 * (SIGKILL) in the middle of a commit. Workers are real Node processes running
 * tests/support/commit-worker.ts with tsx, against a real SQLite file and a real
 * PostgreSQL server.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { childRun } from '../../tests/support/child-run';
import { fileArg, fileInput, type WorkerFile } from '../../tests/support/commit-worker';
import { ENGINES, freshDbsFor } from '../../tests/support/db';
import { type Dump, dumpAggregates, rollupMismatches, sensorRows } from '../../tests/support/dump';
import { openStore, ROLLUP_SENSOR_ID } from '.';
import { SKETCH_TABLES } from './codec';

const WORKER = path.resolve(__dirname, '../../tests/support/commit-worker.ts');

function runWorker(
  url: string,
  sensor: string,
  files: WorkerFile[],
  env: Record<string, string> = {},
) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', WORKER, url, sensor, ...files.map(fileArg)],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return childRun(child);
}

/** Commits files in this process (the reference). */
async function commitHere(url: string, sensor: string, files: WorkerFile[]): Promise<number> {
  const store = await openStore(url);
  try {
    const id = await store.ensureSensor(sensor);
    for (const f of files) {
      const { entry, aggregates } = fileInput(f);
      expect(await store.commitFile(entry, id, aggregates)).toBe('stored');
    }
    return id;
  } finally {
    await store.close();
  }
}

async function sensorIds(url: string): Promise<Map<string, number>> {
  const { getPrisma } = await import('../../lib/db/prisma');
  const rows = await getPrisma(url).sensor.findMany();
  return new Map(rows.map((r) => [r.name, r.id]));
}

async function ledger(url: string): Promise<string[]> {
  const { getPrisma } = await import('../../lib/db/prisma');
  const rows = await getPrisma(url).ingestedFile.findMany({ select: { sha256: true } });
  return rows.map((r) => r.sha256).sort();
}

/** Rows written by one commit of `f` (sketch rows for the sensor and the rollup, hosts). */
function rowsOf(f: WorkerFile): number {
  const { aggregates } = fileInput(f);
  let n = aggregates.hosts.length;
  for (const t of SKETCH_TABLES) n += 2 * t.rows(aggregates).length;
  return n;
}

describe.each(ENGINES)('store processes on %s', (engine) => {
  const fresh = freshDbsFor(engine);

  it('two processes committing at once give the same totals as one after the other', async () => {
    const w1: WorkerFile[] = [0, 1, 2].map((i) => ({
      sha256: `w1-${i}`,
      seed: 100 + i,
      packets: 6000,
    }));
    const w2: WorkerFile[] = [0, 1, 2].map((i) => ({
      sha256: `w2-${i}`,
      seed: 200 + i,
      packets: 6000,
    }));
    const [db, ref] = [await fresh(), await fresh()];

    const startAt = String(Date.now() + 3000);
    const runs = await Promise.all([
      runWorker(db.url, 'w1', w1, { SCANLINE_TEST_START_AT: startAt }),
      runWorker(db.url, 'w2', w2, { SCANLINE_TEST_START_AT: startAt }),
    ]);
    for (const r of runs) expect(r, r.stderr).toMatchObject({ code: 0, signal: null });
    for (const r of runs) {
      expect(
        r.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).result),
      ).toEqual(['stored', 'stored', 'stored']);
    }

    await commitHere(ref.url, 'w1', w1);
    await commitHere(ref.url, 'w2', w2);

    const [got, want] = [await dumpAggregates(db.url), await dumpAggregates(ref.url)];
    const [gotIds, wantIds] = [await sensorIds(db.url), await sensorIds(ref.url)];
    for (const name of ['w1', 'w2']) {
      expect(sensorRows(got, gotIds.get(name)!)).toEqual(sensorRows(want, wantIds.get(name)!));
    }
    expect(sensorRows(got, ROLLUP_SENSOR_ID)).toEqual(sensorRows(want, ROLLUP_SENSOR_ID));
    expect(await ledger(db.url)).toEqual([...w1, ...w2].map((f) => f.sha256).sort());
  });

  it('a process killed mid-commit leaves the database as before; a re-run completes it', async () => {
    const a: WorkerFile = { sha256: 'file-a', seed: 300, packets: 8000 };
    const b: WorkerFile = { sha256: 'file-b', seed: 301, packets: 8000 };
    const [db, ref] = [await fresh(), await fresh()];
    await commitHere(db.url, 's', [a]);
    const before: Dump = await dumpAggregates(db.url);

    // Killed early (first rows written) and late (every row written, ledger row not yet).
    for (const after of [1, rowsOf(b)]) {
      const run = await runWorker(db.url, 's', [b], {
        SCANLINE_TEST_CRASH_AFTER_ROWS: String(after),
      });
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(run.stdout).toBe('');
      expect(await dumpAggregates(db.url)).toEqual(before);
      expect(await ledger(db.url)).toEqual(['file-a']);
    }

    const rerun = await runWorker(db.url, 's', [b]);
    expect(rerun, rerun.stderr).toMatchObject({ code: 0, signal: null });
    expect(JSON.parse(rerun.stdout).result).toBe('stored');
    await commitHere(ref.url, 's', [a, b]);
    expect(await dumpAggregates(db.url)).toEqual(await dumpAggregates(ref.url));
    expect(await ledger(db.url)).toEqual(['file-a', 'file-b']);
  });

  if (engine === 'sqlite') {
    it('a process killed while the host-port trigger is set aside leaves it in place', async () => {
      const b: WorkerFile = { sha256: 'file-b', seed: 302, packets: 8000 };
      const [db, ref] = [await fresh(), await fresh()];
      const trigger = async () =>
        (await import('../../lib/db/prisma'))
          .getPrisma(db.url)
          .$queryRawUnsafe<{ sql: string }[]>(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'daily_host_port_insert'",
          );
      const before = await trigger();
      expect(before).toHaveLength(1);
      // Every aggregate and host row written: the port rows and the trigger are next.
      const run = await runWorker(db.url, 's', [b], {
        SCANLINE_TEST_CRASH_AFTER_ROWS: String(rowsOf(b)),
        SCANLINE_TEST_BULK_DERIVED_MIN: '0',
      });
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(await dumpAggregates(db.url)).toEqual({});
      expect(await trigger()).toEqual(before);
      const rerun = await runWorker(db.url, 's', [b], { SCANLINE_TEST_BULK_DERIVED_MIN: '0' });
      expect(rerun, rerun.stderr).toMatchObject({ code: 0, signal: null });
      await commitHere(ref.url, 's', [b]);
      expect(await dumpAggregates(db.url)).toEqual(await dumpAggregates(ref.url));
      expect(await rollupMismatches(db.url)).toEqual([]);
      expect(await trigger()).toEqual(before);
    });
  }
});
