import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { FileAggregator } from '../aggregate/file-aggregator';
import type { GeoDb } from '../enrich/geo-db';
import { type CaptureError, readCaptureStream } from '../format/read-capture';
import type { Store } from '../store';
import type { CommitItem, CommitResult } from '../store/types';
import { HashingStream } from './hashing-stream';
import { sha256File } from './sha256-file';

export type FileOutcome = 'stored' | 'partial' | 'duplicate' | 'failed';

export interface FileReport {
  path: string;
  sensor: string;
  outcome: FileOutcome;
  packets: number;
  bytes: number;
  seconds: number;
  error: CaptureError | null;
  /** One line for the log. */
  message: string;
}

export interface IngestFileOptions {
  onProgress?: (bytesRead: number, packets: number) => void;
}

export interface BatchFile {
  path: string;
  sensor: string;
  sensorId: number;
  /** Its size in bytes, if known (progress of the files skipped without reading). */
  size?: number;
}

/** A file read and aggregated, waiting for its commit. */
interface Prepared {
  item: CommitItem;
  /** Its report once committed (the outcome decides the message). */
  report: (committed: CommitResult) => FileReport;
}

/**
 * Reads one capture, aggregates it and commits it in one transaction with its
 * ledger row. The SHA-256 of the file is computed in the same read pass; the same
 * content again is a no-op. A damaged file keeps the packets before the damage and
 * is recorded as partial; a file with nothing readable is not recorded.
 */
export async function ingestFile(
  store: Store,
  geo: GeoDb,
  path: string,
  sensor: string,
  sensorId: number,
  opts: IngestFileOptions = {},
): Promise<FileReport> {
  const prepared = await prepareFile(store, geo, { path, sensor, sensorId }, opts);
  if (!('item' in prepared)) return prepared;
  const [committed] = await store.commitFiles([prepared.item]);
  return prepared.report(committed!);
}

/**
 * Ingests files as one group: each is read and aggregated in turn, then all of them are
 * committed in one transaction (Store.commitFiles), so many small files pay for one
 * commit. Each file stays all-or-nothing. Reports come back in input order;
 * `onProgress` counts bytes and packets over the whole group. One file's problem (it
 * cannot be read: a 'failed' report) does not stop the others; a failed commit (a
 * database error) throws, and none of the group's files is recorded.
 */
export async function ingestFiles(
  store: Store,
  geo: GeoDb,
  files: readonly BatchFile[],
  opts: IngestFileOptions = {},
): Promise<FileReport[]> {
  const reports: (FileReport | Prepared)[] = [];
  let bytesBefore = 0;
  let packetsBefore = 0;
  for (const file of files) {
    let r: FileReport | Prepared;
    try {
      r = await prepareFile(store, geo, file, {
        onProgress: (bytes, packets) =>
          opts.onProgress?.(bytesBefore + bytes, packetsBefore + packets),
      });
    } catch (err) {
      r = failedReport(file, err);
    }
    reports.push(r);
    bytesBefore += file.size ?? ('item' in r ? r.item.entry.size : r.bytes);
    packetsBefore += 'item' in r ? r.item.entry.packets : r.packets;
    opts.onProgress?.(bytesBefore, packetsBefore);
  }
  const prepared = reports.filter((r): r is Prepared => 'item' in r);
  const results = prepared.length > 0 ? await store.commitFiles(prepared.map((p) => p.item)) : [];
  let next = 0;
  return reports.map((r) => ('item' in r ? r.report(results[next++]!) : r));
}

/** A 'failed' report for a file whose reading or commit threw. */
export function failedReport(file: { path: string; sensor: string }, err: unknown): FileReport {
  return {
    path: file.path,
    sensor: file.sensor,
    outcome: 'failed',
    packets: 0,
    bytes: 0,
    seconds: 0,
    error: null,
    message: `${file.path}: ${err instanceof Error ? err.message : String(err)}`,
  };
}

async function prepareFile(
  store: Store,
  geo: GeoDb,
  { path, sensor, sensorId }: BatchFile,
  opts: IngestFileOptions,
): Promise<FileReport | Prepared> {
  const started = performance.now();
  const info = await stat(path);
  const seen = await store.findFileByPath(path, info.size);
  if (seen) {
    const sha = await sha256File(path);
    if (await store.hasFile(sha)) return duplicate(path, sensor, started);
  }

  const agg = new FileAggregator(geo);
  const hashing = new HashingStream();
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  source.on('error', (err) => hashing.destroy(err));
  const result = await readCaptureStream(source.pipe(hashing), path, (rec) => agg.add(rec), {
    onProgress: opts.onProgress,
  });
  const complete = hashing.bytes === info.size && result.error === null;
  const sha = hashing.bytes === info.size ? hashing.digest() : await sha256File(path);
  source.destroy();

  const base = {
    path,
    sensor,
    packets: result.packets,
    bytes: info.size,
    error: result.error,
  };
  if (result.error && result.packets === 0) {
    return {
      ...base,
      outcome: 'failed',
      seconds: elapsed(started),
      message: `${path}: ${result.error.message} (record ${result.error.record}, byte offset ${result.error.offset})`,
    };
  }

  const item: CommitItem = {
    entry: {
      sha256: sha,
      path,
      size: info.size,
      status: complete ? 'complete' : 'partial',
      format: result.format ?? 'unknown',
      compression: result.compression ?? 'none',
      linkTypes: result.linkTypes,
      packets: result.packets,
      ipPackets: agg.ipPackets,
      first: result.firstSec < 0 ? null : { sec: result.firstSec, nsec: result.firstNsec },
      last: result.lastSec < 0 ? null : { sec: result.lastSec, nsec: result.lastNsec },
      error: result.error,
      datasets: geo.datasets,
      durationMs: Math.round(performance.now() - started),
    },
    sensorId,
    aggregates: agg.finish(),
  };
  const report = (committed: CommitResult): FileReport => {
    if (committed === 'duplicate') return duplicate(path, sensor, started);
    const seconds = elapsed(started);
    if (result.error) {
      return {
        ...base,
        outcome: 'partial',
        seconds,
        message: `${path}: ${result.error.message} (record ${result.error.record}, byte offset ${result.error.offset}); kept ${result.packets} packets before the damage`,
      };
    }
    return {
      ...base,
      outcome: 'stored',
      seconds,
      message: `${path}: ${result.packets} packets, sensor ${sensor}`,
    };
  };
  return { item, report };
}

function duplicate(path: string, sensor: string, started: number): FileReport {
  return {
    path,
    sensor,
    outcome: 'duplicate',
    packets: 0,
    bytes: 0,
    seconds: elapsed(started),
    error: null,
    message: `${path}: already ingested (same content), skipped`,
  };
}

function elapsed(started: number): number {
  return (performance.now() - started) / 1000;
}
