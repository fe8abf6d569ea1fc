/**
 * Distributed ingest on PostgreSQL through a pg-boss job queue (ingest/queue):
 *
 *   scanline queue add [--sensor NAME] [--prefixes CIDR,...] FILES/DIRS...
 *   scanline queue add --watch DIR [--sensor NAME] [--settle-ms N] [--exit-after-s N]
 *   scanline queue status
 *   scanline worker [--concurrency N] [--until-empty] [--exit-after-s N] [--no-detect]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type PgBoss from 'pg-boss';
import { databaseUrl } from '../../lib/db/url';
import { STDIN } from '../format/read-capture';
import { collectCommandInputs, type InputFile } from '../pipeline/collect-inputs';
import type { FileReport } from '../pipeline/ingest-file';
import { coreCount, IngestPool } from '../pipeline/ingest-pool';
import { watchSpool } from '../pipeline/watch-spool';
import {
  assertQueueUrl,
  DEFAULT_EXPIRE_MINUTES,
  enqueueFiles,
  INGEST_QUEUE,
  type IngestJob,
  openQueue,
  outstanding,
  queueCounts,
} from '../queue/ingest-queue';
import { openStore } from '../store';
import { detectAfterIngest } from './detect-command';
import { Summary } from './ingest-command';
import { checkExitAfter, checkSpoolArgs } from './sensor-args';
import { warmAfterIngest } from './warm-command';

const QUEUE_USAGE = `usage: scanline queue add [--sensor NAME] [--prefixes CIDR,...] [--expire-minutes N] [--db URL] <files or dirs>...
       scanline queue add --watch DIR [--sensor NAME] [--settle-ms N] [--exit-after-s N]
       scanline queue status [--db URL] [--json]

Enqueues capture files (absolute path + sensor) in the PostgreSQL job queue that
'scanline worker' processes (pg-boss, schema scanline_queue in the same database).
Directories are read as DIR/<sensor>/... unless --sensor is given, as for ingest.
--watch enqueues the files a sensor closes in its spool directory.
Workers must see the files at the same path. PostgreSQL only.`;

const WORKER_USAGE = `usage: scanline worker [--concurrency N] [--db URL] [--until-empty] [--exit-after-s N] [--poll-s S] [--json] [--no-detect]

Takes capture files from the PostgreSQL job queue ('scanline queue add') and ingests
each with the ordinary per-file pipeline, N files at once on N worker threads
(default: one per core). Run any number of workers, on any number of machines.
A job that fails (an exception) is retried with backoff; a file already in the
ledger is a no-op. Runs until SIGINT/SIGTERM (finishing the files in hand), or
--until-empty: until no job is waiting or running. After a batch, when the queue is
empty, the anomaly detectors run and the dashboard's month caches are made (--no-detect
skips both). PostgreSQL only.`;

export async function runQueue(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'add') return queueAdd(rest);
  if (sub === 'status') return queueStatus(rest);
  console.error(QUEUE_USAGE);
  return sub === undefined || sub === '--help' || sub === '-h' ? 0 : 2;
}

async function queueAdd(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      sensor: { type: 'string' },
      prefixes: { type: 'string' },
      db: { type: 'string' },
      'expire-minutes': { type: 'string', default: String(DEFAULT_EXPIRE_MINUTES) },
      watch: { type: 'string' },
      'settle-ms': { type: 'string', default: '2000' },
      'exit-after-s': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || (positionals.length === 0 && !values.watch)) {
    console.error(QUEUE_USAGE);
    return values.help ? 0 : 2;
  }
  const checked = checkSpoolArgs(values);
  if ('error' in checked) {
    console.error(`scanline queue add: ${checked.error}`);
    return 2;
  }
  const url = values.db ?? databaseUrl();
  assertQueueUrl(url);
  const expire = Number(values['expire-minutes']);
  if (!(expire >= 1 && expire < 24 * 60)) {
    console.error('scanline queue add: --expire-minutes must be between 1 and 1439');
    return 2;
  }
  if (checked.prefixes !== undefined && values.sensor !== undefined) {
    // Recorded now, not carried by the jobs: a job taken later must not undo a later
    // `scanline sensors set`.
    const store = await openStore(url);
    try {
      await store.ensureSensor(values.sensor, checked.prefixes);
    } finally {
      await store.close();
    }
  }
  const job = (input: InputFile): IngestJob => ({
    path: path.resolve(input.path),
    sensor: input.sensor,
  });
  const boss = await openQueue(url, { supervise: false });
  try {
    if (values.watch) {
      let n = 0;
      await watchSpool({
        dir: values.watch,
        sensor: values.sensor,
        settleMs: Number(values['settle-ms']),
        exitAfterMs: values['exit-after-s'] ? Number(values['exit-after-s']) * 1000 : undefined,
        onFiles: async (inputs) => {
          try {
            await enqueueFiles(boss, inputs.map(job), { expireMinutes: expire });
          } catch (err) {
            // The database is down, say: the same files are offered again after a wait.
            console.error(
              `not queued (${(err as Error).message}): ${inputs.length} file(s), taken again after a wait`,
            );
            return inputs.map((input) => input.path);
          }
          n += inputs.length;
          for (const input of inputs) {
            console.log(`queued    ${input.path} (sensor ${input.sensor})`);
          }
          return [];
        },
      });
      console.log(`${n} files queued`);
      return 0;
    }
    let inputs: InputFile[];
    try {
      // A queued file is read later by a worker process: it needs a path.
      if (positionals.includes(STDIN)) throw new Error('-: standard input cannot be queued');
      inputs = await collectCommandInputs(positionals, values.sensor);
    } catch (err) {
      console.error(`scanline queue add: ${(err as Error).message}`);
      return 2;
    }
    const n = await enqueueFiles(boss, inputs.map(job), { expireMinutes: expire });
    console.log(`${n} files queued on ${INGEST_QUEUE}`);
    return 0;
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 5000 });
  }
}

async function queueStatus(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const url = values.db ?? databaseUrl();
  assertQueueUrl(url);
  const boss = await openQueue(url, { supervise: false });
  try {
    const c = await queueCounts(boss);
    if (values.json) console.log(JSON.stringify(c));
    else
      console.log(
        `${INGEST_QUEUE}: ${c.created} waiting, ${c.retry} to retry, ${c.active} running, ${c.completed} done, ${c.failed} failed, ${c.cancelled} cancelled`,
      );
    return 0;
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 5000 });
  }
}

export async function runWorker(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      concurrency: { type: 'string' },
      db: { type: 'string' },
      'until-empty': { type: 'boolean', default: false },
      'exit-after-s': { type: 'string' },
      'poll-s': { type: 'string', default: '2' },
      json: { type: 'boolean', default: false },
      'no-detect': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.error(WORKER_USAGE);
    return 0;
  }
  const url = values.db ?? databaseUrl();
  assertQueueUrl(url);
  const concurrency = values.concurrency === undefined ? coreCount() : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1024) {
    console.error('scanline worker: --concurrency must be a positive integer');
    return 2;
  }
  const exitError = checkExitAfter(values['exit-after-s']);
  if (exitError !== null) {
    console.error(`scanline worker: ${exitError}`);
    return 2;
  }
  const pollS = Math.max(0.5, Number(values['poll-s']) || 2);
  const exitAfterMs = values['exit-after-s'] ? Number(values['exit-after-s']) * 1000 : undefined;

  const store = await openStore(url);
  const pool = new IngestPool({ url, size: concurrency });
  const summary = new Summary(values.json, true);
  let boss: PgBoss | null = null;
  let running = 0;
  let storedSinceDetect = 0;
  const sensorIds = new Map<string, Promise<number>>();
  const sensorId = (job: IngestJob): Promise<number> => {
    const key = `${job.sensor}\u0000${job.prefixes ?? ''}`;
    let id = sensorIds.get(key);
    if (!id) {
      id = store.ensureSensor(job.sensor, job.prefixes);
      id.catch(() => sensorIds.delete(key));
      sensorIds.set(key, id);
    }
    return id;
  };

  /** Runs the detectors when this worker stored files and the queue has drained. */
  const detectIfDrained = async (left: number): Promise<void> => {
    if (values['no-detect'] || storedSinceDetect === 0 || running > 0 || left > 0) return;
    storedSinceDetect = 0;
    const t0 = performance.now();
    try {
      const found = await detectAfterIngest(url);
      console.log(
        `anomaly detection: ${found} anomalies in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      const warm = await warmAfterIngest(url);
      console.log(`month caches: ${warm.months} months in ${warm.seconds.toFixed(1)} s`);
    } catch (e) {
      console.error(`scanline worker: after the ingest: ${(e as Error).message}`);
    }
  };

  const handle = async ([job]: PgBoss.Job<IngestJob>[]): Promise<object> => {
    if (!job) return {};
    running++;
    let report: FileReport;
    try {
      const [only] = await pool.run([
        { path: job.data.path, sensor: job.data.sensor, sensorId: await sensorId(job.data) },
      ]);
      report = only!;
      // Failed without a capture error: an exception (database, missing file), retried.
      if (report.outcome === 'failed' && report.error === null) throw new Error(report.message);
    } catch (e) {
      // An exception (database, missing file, thread crash): pg-boss retries the job.
      summary.log({
        path: job.data.path,
        sensor: job.data.sensor,
        outcome: 'failed',
        packets: 0,
        bytes: 0,
        seconds: 0,
        error: null,
        message: `${job.data.path}: ${(e as Error).message} (job ${job.id}, will be retried while retries remain)`,
      });
      throw e;
    } finally {
      running--;
    }
    summary.log(report);
    if (report.outcome === 'stored' || report.outcome === 'partial') storedSinceDetect++;
    // A damaged file with nothing readable is reported, not retried: it would fail again.
    return {
      outcome: report.outcome,
      packets: report.packets,
      seconds: report.seconds,
      message: report.message,
    };
  };

  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const started = Date.now();
  try {
    boss = await openQueue(url, { pollingIntervalSeconds: pollS });
    for (let i = 0; i < concurrency; i++) {
      await boss.work<IngestJob>(
        INGEST_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: pollS },
        handle,
      );
    }
    console.log(
      `worker: ${concurrency} thread(s) on ${INGEST_QUEUE}${values['until-empty'] ? ' until the queue is empty' : ''}`,
    );
    // Bounded by --exit-after-s, a signal, or (with --until-empty) an empty queue.
    let idleChecks = 0;
    while (!stopping) {
      if (exitAfterMs !== undefined && Date.now() - started >= exitAfterMs) break;
      await new Promise((r) => setTimeout(r, values['until-empty'] ? 250 : 1000));
      // `active` counts a job until pg-boss has recorded its completion.
      const left = outstanding(await queueCounts(boss));
      await detectIfDrained(left);
      idleChecks = left === 0 && running === 0 ? idleChecks + 1 : 0;
      // Twice in a row: a job fetched between the count and `running++` is not missed.
      if (values['until-empty'] && idleChecks >= 2) break;
    }
    await boss.offWork(INGEST_QUEUE);
    // Files in hand finish (offWork stops fetching, not running handlers).
    const deadline = Date.now() + 24 * 3600_000;
    while (running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await detectIfDrained(0);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await boss?.stop({ graceful: true, wait: true, timeout: 30_000 }).catch(() => {});
    await pool.close();
    await store.close();
  }
  return summary.finish();
}
