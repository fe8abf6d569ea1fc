/**
 * One ingest worker thread (started by IngestPool through ts-worker-boot.mjs): it opens
 * its own store connection and GeoDb, and runs the ordinary pipeline (`ingestFiles`:
 * hash + decode + aggregate each file in one pass, then one commit with the ledger
 * rows) for each batch of files the main thread sends. Commits of several threads or processes
 * serialise in the store (SQLite BEGIN IMMEDIATE, PostgreSQL advisory lock), so the
 * threads only share the database. Nothing but small messages crosses the thread
 * boundary: progress, and the file's FileReport.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadGeoDb } from '../enrich/geo-db';
import { openStore, type Store } from '../store';
import { ingestFiles } from './ingest-file';
import type { FromThread, ThreadData, ToThread } from './ingest-pool';
import { cacheBytesFor, DEFAULT_BUFFER_BYTES } from './part-writer';

const port = parentPort;
if (!port) throw new Error('ingest-thread.ts runs as a worker thread (see IngestPool)');
const data = workerData as ThreadData;

const send = (m: FromThread) => port.postMessage(m);

let store: Store | null = null;
let queue: Promise<void> = Promise.resolve();

async function handle(m: ToThread): Promise<void> {
  if (m.type === 'close') {
    await store?.close();
    store = null;
    port?.close();
    return;
  }
  try {
    store ??= await openStore(data.url, {
      ...(data.busyTimeoutMs ? { busyTimeoutMs: data.busyTimeoutMs } : {}),
      cacheBytes: cacheBytesFor(data.bufferBytes ?? DEFAULT_BUFFER_BYTES),
    });
    const reports = await ingestFiles(store, loadGeoDb(), m.files, {
      ...(data.bufferBytes === undefined ? {} : { bufferBytes: data.bufferBytes }),
      onProgress: (bytes, packets) => send({ type: 'progress', id: m.id, bytes, packets }),
    });
    send({ type: 'done', id: m.id, reports });
  } catch (e) {
    send({ type: 'error', id: m.id, message: e instanceof Error ? e.message : String(e) });
  }
}

// One batch at a time per thread, in arrival order.
port.on('message', (m: ToThread) => {
  queue = queue.then(() => handle(m));
});
send({ type: 'ready' });
