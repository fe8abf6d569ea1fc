/**
 * The distributed ingest on the test PostgreSQL server: files are enqueued with
 * `scanline queue add` (pg-boss creates its schema itself), two `scanline worker`
 * processes drain the queue, and the database equals a single-pass ingest of the same
 * files: counters identical, sketches identical byte for byte (the sketch is
 * order-independent). A file enqueued twice is a no-op the second time (ledger), and
 * a job that throws (its file is missing) is retried, then recorded as failed.
 * `queue add --watch` queues the captures a spool already holds, one job each.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectPrisma, getPrisma } from '../../lib/db/prisma';
import { type ChildRun, childRun } from '../../tests/support/child-run';
import { freshDb, type TestDb } from '../../tests/support/db';
import { type Dump, dumpAggregates } from '../../tests/support/dump';
import { runIngest } from '../cli/ingest-command';
import { runQueue } from '../cli/queue-command';
import { simulate } from '../simulate/simulate-command';
import {
  assertQueueUrl,
  enqueueFiles,
  INGEST_QUEUE,
  openQueue,
  QUEUE_SCHEMA,
  queueCounts,
} from './ingest-queue';

const MAIN = path.resolve(__dirname, '../cli/main.ts');
const ROOT = path.resolve(__dirname, '../..');

let dir = '';
let files: string[] = [];
const dbs: TestDb[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'scanline-queue-'));
  const sim = await simulate({
    scenario: '2020-q3',
    outDir: path.join(dir, 'sim'),
    scale: 'test',
    from: '2020-08-30',
    to: '2020-09-01',
  });
  files = sim.files.map((f) => path.join(dir, 'sim', f.path));
});

afterAll(async () => {
  for (const db of dbs) {
    await disconnectPrisma(db.url);
    await db.cleanup();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The aggregate dump keyed by sensor name (workers may create the sensors in any order). */
async function dumpByName(url: string): Promise<Dump> {
  const names = new Map(
    (await getPrisma(url).sensor.findMany()).map((r) => [String(r.id), r.name]),
  );
  const out: Dump = {};
  for (const [table, rows] of Object.entries(await dumpAggregates(url))) {
    out[table] = {};
    for (const [key, v] of Object.entries(rows)) {
      const [id, ...rest] = key.split('|');
      out[table][[names.get(id!) ?? `?${id}`, ...rest].join('|')] = v;
    }
  }
  return out;
}

/** A `scanline worker` process, bounded by --exit-after-s and a kill timer. */
function worker(url: string): Promise<ChildRun> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      MAIN,
      'worker',
      '--db',
      url,
      '--concurrency',
      '1',
      '--until-empty',
      '--poll-s',
      '0.5',
      '--no-detect',
      '--exit-after-s',
      '50',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return childRun(child, { timeoutMs: 55_000 });
}

describe('distributed ingest through the pg-boss queue', () => {
  it('refuses a SQLite URL with a clear message', () => {
    expect(() => assertQueueUrl('file:./var/x.db')).toThrow(/needs PostgreSQL/);
  });

  it('two worker processes give the same aggregates as one pass', async () => {
    const single = await freshDb('postgres');
    const queued = await freshDb('postgres');
    dbs.push(single, queued);
    expect(files.length).toBeGreaterThanOrEqual(6);

    // DIR/<sensor>/... layout on both sides.
    const sensorDir = path.join(dir, 'sim');
    expect(await runIngest(['--db', single.url, '--workers', '1', '--no-detect', sensorDir])).toBe(
      0,
    );

    // Every file, one of them twice, and a file that does not exist.
    expect(await runQueue(['add', '--db', queued.url, sensorDir])).toBe(0);
    const boss = await openQueue(queued.url, { supervise: false });
    try {
      const first = files[0]!;
      const sensor = path.basename(path.dirname(first));
      await enqueueFiles(boss, [{ path: first, sensor }]);
      await enqueueFiles(boss, [{ path: path.join(dir, 'missing.pcap'), sensor }], {
        retryLimit: 1,
        retryDelaySeconds: 1,
      });
      expect((await queueCounts(boss)).created).toBe(files.length + 2);

      const runs = await Promise.all([worker(queued.url), worker(queued.url)]);
      for (const r of runs) {
        // One worker may see the missing file's failure (exit code 1), the other not.
        expect(r.stderr).not.toMatch(/Error: |scanline queue: /);
        expect([0, 1]).toContain(r.code);
      }
      const out = runs.map((r) => r.stdout).join('\n');
      // Both processes took jobs.
      expect(runs.every((r) => /^stored /m.test(r.stdout))).toBe(true);
      expect(out.match(/^stored /gm)).toHaveLength(files.length);
      expect(out.match(/^duplicate /gm)).toHaveLength(1);

      const counts = await queueCounts(boss);
      expect(counts).toMatchObject({ created: 0, retry: 0, active: 0, failed: 1 });
      expect(counts.completed).toBe(files.length + 1);
      const failed = await boss
        .getDb()
        .executeSql(
          `SELECT retry_count FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND state = 'failed'`,
          [INGEST_QUEUE],
        );
      expect(failed.rows).toEqual([{ retry_count: 1 }]);
    } finally {
      await boss.stop({ graceful: false, wait: true, timeout: 5000 });
    }

    const ledger = await getPrisma(queued.url).ingestedFile.count();
    expect(ledger).toBe(files.length);
    const [a, b] = [await dumpByName(single.url), await dumpByName(queued.url)];
    expect(Object.keys(a.host ?? {}).length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
  });

  it('queue add --prefixes records them when it queues; the jobs do not carry them', async () => {
    const db = await freshDb('postgres');
    dbs.push(db);
    const add = ['add', '--db', db.url, '--sensor', 'edge', '--prefixes', '192.0.2.0/24'];
    expect(await runQueue([...add, files[0]!])).toBe(0);
    const sensor = await getPrisma(db.url).sensor.findUnique({ where: { name: 'edge' } });
    expect(sensor?.prefixes).toBe('192.0.2.0/24');
    const boss = await openQueue(db.url, { supervise: false });
    try {
      const jobs = await boss
        .getDb()
        .executeSql(`SELECT data FROM ${QUEUE_SCHEMA}.job WHERE name = $1`, [INGEST_QUEUE]);
      expect(jobs.rows).toEqual([{ data: { path: files[0], sensor: 'edge' } }]);
    } finally {
      await boss.stop({ graceful: false, wait: true, timeout: 5000 });
    }
  });

  it('queue add --watch: the captures already in a spool are queued, each once', async () => {
    const db = await freshDb('postgres');
    dbs.push(db);
    const spool = path.join(dir, 'sim');
    const add = ['add', '--db', db.url, '--watch', spool, '--settle-ms', '300'];
    expect(await runQueue([...add, '--exit-after-s', '2'])).toBe(0);
    const boss = await openQueue(db.url, { supervise: false });
    try {
      expect((await queueCounts(boss)).created).toBe(files.length);
      const queued = await boss
        .getDb()
        .executeSql(`SELECT data->>'path' AS path FROM ${QUEUE_SCHEMA}.job WHERE name = $1`, [
          INGEST_QUEUE,
        ]);
      expect(queued.rows.map((r: { path: string }) => r.path).sort()).toEqual([...files].sort());
    } finally {
      await boss.stop({ graceful: false, wait: true, timeout: 5000 });
    }
  });
});
