/**
 * The distributed ingest's spool: a pg-boss job queue in the same PostgreSQL database
 * as the aggregates (schema `scanline_queue`, created and migrated by pg-boss itself on
 * first use, no network needed). One job per capture file: `{ path, sensor, prefixes? }`.
 * `scanline queue add` enqueues, `scanline worker` (any number, on any machine that
 * sees the files at the same path) takes jobs and runs the ordinary per-file ingest.
 *
 * Delivery: pg-boss hands each job to one worker (SKIP LOCKED). A job whose handler
 * throws is retried (RETRY_LIMIT times, exponential backoff); a job whose worker died is
 * retried once it expires (`expireMinutes` after it started). Running a file twice is
 * harmless: the store's ledger (sha256) turns the second commit into a no-op.
 */
import PgBoss from 'pg-boss';
import { engineOf, redactUrl } from '../../lib/db/url';

export const INGEST_QUEUE = 'scanline-ingest';
export const QUEUE_SCHEMA = 'scanline_queue';
export const RETRY_LIMIT = 3;
export const RETRY_DELAY_S = 10;
/** A job still active this long after it started is taken as lost and retried. */
export const DEFAULT_EXPIRE_MINUTES = 120;

export interface IngestJob {
  /** Absolute path (workers on other machines must see the file at the same path). */
  path: string;
  sensor: string;
  /**
   * Comma-separated CIDRs to record for the sensor: set by earlier versions' `queue add
   * --prefixes` (which now records them when it queues) and still honoured.
   */
  prefixes?: string;
}

export interface QueueCounts {
  created: number;
  retry: number;
  active: number;
  completed: number;
  cancelled: number;
  failed: number;
}

export function assertQueueUrl(url: string): void {
  if (engineOf(url) !== 'postgres') {
    throw new Error(
      `the job queue needs PostgreSQL (pg-boss): DATABASE_URL / --db must be postgres://... (got ${redactUrl(url)}). On SQLite, use scanline ingest --workers N.`,
    );
  }
}

export interface OpenQueueOptions {
  /** How often an idle worker polls for jobs (s, at least 0.5). */
  pollingIntervalSeconds?: number;
  /** Run pg-boss maintenance (expiry of lost jobs, archiving) in this process. */
  supervise?: boolean;
}

/** Starts pg-boss on `url` (creating its schema if needed) and the ingest queue. */
export async function openQueue(url: string, opts: OpenQueueOptions = {}): Promise<PgBoss> {
  assertQueueUrl(url);
  const boss = new PgBoss({
    connectionString: url,
    schema: QUEUE_SCHEMA,
    application_name: 'scanline-queue',
    max: 4,
    supervise: opts.supervise ?? true,
    schedule: false,
    pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2,
  });
  const errors: Error[] = [];
  boss.on('error', (e) => {
    errors.push(e);
    console.error(`scanline queue: ${e.message}`);
  });
  await boss.start();
  if (!(await boss.getQueue(INGEST_QUEUE))) {
    try {
      await boss.createQueue(INGEST_QUEUE, {
        name: INGEST_QUEUE,
        retryLimit: RETRY_LIMIT,
        retryDelay: RETRY_DELAY_S,
        retryBackoff: true,
        expireInSeconds: DEFAULT_EXPIRE_MINUTES * 60,
      });
    } catch (e) {
      // Another process created it at the same moment.
      if (!(await boss.getQueue(INGEST_QUEUE))) throw e;
    }
  }
  return boss;
}

export interface EnqueueOptions {
  /** A running job older than this is taken as lost and retried. */
  expireMinutes?: number;
  retryLimit?: number;
  /** Seconds before the first retry (doubling after each further failure). */
  retryDelaySeconds?: number;
}

/** Enqueues one job per file; returns how many were enqueued. */
export async function enqueueFiles(
  boss: PgBoss,
  jobs: readonly IngestJob[],
  opts: EnqueueOptions = {},
): Promise<number> {
  const BATCH = 1000;
  for (let at = 0; at < jobs.length; at += BATCH) {
    await boss.insert(
      jobs.slice(at, at + BATCH).map((data) => ({
        name: INGEST_QUEUE,
        data,
        retryLimit: opts.retryLimit ?? RETRY_LIMIT,
        retryDelay: opts.retryDelaySeconds ?? RETRY_DELAY_S,
        retryBackoff: true,
        expireInSeconds: Math.round((opts.expireMinutes ?? DEFAULT_EXPIRE_MINUTES) * 60),
      })),
    );
  }
  return jobs.length;
}

/** Jobs of the ingest queue by state (archived jobs not included). */
export async function queueCounts(boss: PgBoss): Promise<QueueCounts> {
  const counts: QueueCounts = {
    created: 0,
    retry: 0,
    active: 0,
    completed: 0,
    cancelled: 0,
    failed: 0,
  };
  const r = await boss
    .getDb()
    .executeSql(
      `SELECT state::text AS state, count(*)::int AS n FROM ${QUEUE_SCHEMA}.job WHERE name = $1 GROUP BY state`,
      [INGEST_QUEUE],
    );
  for (const row of r.rows as { state: keyof QueueCounts; n: number }[]) {
    if (row.state in counts) counts[row.state] = row.n;
  }
  return counts;
}

/** Jobs still to do: waiting, waiting for a retry, or running. */
export function outstanding(c: QueueCounts): number {
  return c.created + c.retry + c.active;
}
