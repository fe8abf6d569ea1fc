import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { FileAggregator } from '../aggregate/file-aggregator';
import type { GeoDb } from '../enrich/geo-db';
import { type CaptureError, readCaptureStream } from '../format/read-capture';
import type { Store } from '../store';
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

  const aggregates = agg.finish();
  const committed = await store.commitFile(
    {
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
    aggregates,
  );
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
