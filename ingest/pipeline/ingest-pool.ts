/**
 * A pool of ingest worker threads (node:worker_threads), one job (a batch of whole
 * files, see file-batches.ts) per thread at a time. Each thread runs the same pipeline
 * as a single-threaded ingest (ingestFiles) with its own store connection
 * (ingest-thread.ts), so per-file atomicity and the sha256 ledger behave the same, and
 * commits serialise in the store. Aggregates never cross threads: only progress and
 * the FileReports do.
 *
 * A thread that dies (an uncaught error, out of memory) fails the files it held and is
 * replaced on the next job.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileReport } from './ingest-file';

export interface ThreadData {
  /** Database URL: each thread opens its own store on it. */
  url: string;
  busyTimeoutMs?: number;
  /** Memory budget of a file's aggregates (IngestFileOptions.bufferBytes). */
  bufferBytes?: number;
  /** file: URL of ingest-thread.ts (for ts-worker-boot.mjs). */
  entry: string;
}

export interface PoolFile {
  path: string;
  sensor: string;
  sensorId: number;
}

export type ToThread = { type: 'files'; id: number; files: PoolFile[] } | { type: 'close' };

export type FromThread =
  | { type: 'ready' }
  | { type: 'progress'; id: number; bytes: number; packets: number }
  | { type: 'done'; id: number; reports: FileReport[] }
  | { type: 'error'; id: number; message: string };

export interface PoolOptions {
  url: string;
  /** Number of threads (at least 1). */
  size: number;
  busyTimeoutMs?: number;
  bufferBytes?: number;
}

interface Pending {
  files: PoolFile[];
  onProgress?: (bytes: number, packets: number) => void;
  resolve: (r: FileReport[]) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The batch this thread works on. */
  job: { id: number; pending: Pending } | null;
  dead: boolean;
}

/** Cores available to this process (os.availableParallelism where Node has it). */
export function coreCount(): number {
  return typeof os.availableParallelism === 'function'
    ? os.availableParallelism()
    : os.cpus().length;
}

/** The default --workers: one per core, never more than there are files, at least 1. */
export function defaultWorkers(files: number): number {
  return Math.max(1, Math.min(coreCount(), files));
}

export class IngestPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: PoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1)
      throw new Error(`worker count must be a positive integer (got ${opts.size})`);
  }

  get size(): number {
    return this.opts.size;
  }

  /**
   * Ingests a batch of files (one commit) on a free thread, queued while all are busy;
   * progress counts bytes and packets over the batch. Reports are in `files` order.
   */
  run(
    files: PoolFile[],
    onProgress?: (bytes: number, packets: number) => void,
  ): Promise<FileReport[]> {
    if (this.closed) return Promise.reject(new Error('IngestPool is closed'));
    return new Promise<FileReport[]>((resolve, reject) => {
      this.waiting.push({ files, onProgress, resolve, reject });
      this.dispatch();
    });
  }

  /** Lets running files finish, then stops every thread. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.waiting.splice(0)) p.reject(new Error('IngestPool closed'));
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.dead) return resolve();
            s.worker.once('exit', () => resolve());
            // An idle thread stops now, a busy one after its file (see the message handler).
            if (!s.job) s.worker.postMessage({ type: 'close' } satisfies ToThread);
          }),
      ),
    );
    this.slots.length = 0;
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = this.slots.find((s) => !s.dead && !s.job);
      if (!slot) {
        const live = this.slots.filter((s) => !s.dead);
        if (live.length >= this.opts.size) return;
        slot = this.spawn();
      }
      const pending = this.waiting.shift()!;
      const id = this.nextId++;
      slot.job = { id, pending };
      slot.worker.postMessage({ type: 'files', id, files: pending.files } satisfies ToThread);
    }
  }

  private spawn(): Slot {
    // Replace dead slots rather than growing the list.
    for (let i = this.slots.length - 1; i >= 0; i--)
      if (this.slots[i]!.dead) this.slots.splice(i, 1);
    const data: ThreadData = {
      url: this.opts.url,
      busyTimeoutMs: this.opts.busyTimeoutMs,
      ...(this.opts.bufferBytes === undefined ? {} : { bufferBytes: this.opts.bufferBytes }),
      entry: new URL('./ingest-thread.ts', import.meta.url).href,
    };
    const worker = new Worker(new URL('./ts-worker-boot.mjs', import.meta.url), {
      workerData: data,
    });
    const slot: Slot = { worker, job: null, dead: false };
    worker.on('message', (m: FromThread) => {
      const job = slot.job;
      if (m.type === 'ready' || !job || m.id !== job.id) return;
      if (m.type === 'progress') {
        job.pending.onProgress?.(m.bytes, m.packets);
        return;
      }
      slot.job = null;
      if (m.type === 'done') job.pending.resolve(m.reports);
      else job.pending.reject(new Error(m.message));
      if (this.closed) worker.postMessage({ type: 'close' } satisfies ToThread);
      else this.dispatch();
    });
    const die = (err: Error) => {
      if (slot.dead) return;
      slot.dead = true;
      const job = slot.job;
      slot.job = null;
      job?.pending.reject(err);
      if (!this.closed) this.dispatch();
    };
    worker.on('error', (e) => die(new Error(`ingest worker thread failed: ${e.message}`)));
    worker.on('exit', (code) =>
      die(new Error(`ingest worker thread exited (code ${code}) while ingesting`)),
    );
    this.slots.push(slot);
    return slot;
  }
}
