import { createHash } from 'node:crypto';
import { FileAggregator } from '../aggregate/file-aggregator';
import type { PacketRecord } from '../decode/packet-record';
import type { GeoDb } from '../enrich/geo-db';
import {
  type CaptureError,
  captureSource,
  readCaptureStream,
  rereadableSize,
  statCapture,
} from '../format/read-capture';
import type { LedgerRow, Store } from '../store';
import type { CommitItem, CommitResult } from '../store/types';
import { earlierPartOf } from './grown-file';
import { HashingStream } from './hashing-stream';
import { DEFAULT_BUFFER_BYTES, PartWriter } from './part-writer';
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
  /** Set when the file was written in that many parts (over the memory budget). */
  parts?: number;
}

export interface IngestFileOptions {
  onProgress?: (bytesRead: number, packets: number) => void;
  /**
   * Memory budget of a file's aggregates (bytes, default DEFAULT_BUFFER_BYTES): a file
   * that outgrows it is written in parts inside its transaction (see PartWriter).
   */
  bufferBytes?: number;
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
  /** Set when the rows are already written in an open transaction: commit through it. */
  parts: PartWriter | null;
}

/** Commits a prepared file that went out in parts (alone: its transaction is its own). */
async function commitParts(p: Prepared, parts: PartWriter): Promise<FileReport> {
  return p.report(await parts.commit(p.item.entry));
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
  if (prepared.parts) return commitParts(prepared, prepared.parts);
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
  const reports: FileReport[] = new Array(files.length);
  let waiting: { at: number; file: Prepared }[] = [];
  // A file written in parts commits alone: the files read before it commit first.
  const commitWaiting = async (): Promise<void> => {
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    const results = await store.commitFiles(batch.map((w) => w.file.item));
    batch.forEach((w, i) => {
      reports[w.at] = w.file.report(results[i]!);
    });
  };
  let bytesBefore = 0;
  let packetsBefore = 0;
  for (const [at, file] of files.entries()) {
    let r: FileReport | Prepared;
    try {
      r = await prepareFile(store, geo, file, {
        onProgress: (bytes, packets) =>
          opts.onProgress?.(bytesBefore + bytes, packetsBefore + packets),
        ...(opts.bufferBytes === undefined ? {} : { bufferBytes: opts.bufferBytes }),
        beforeParts: commitWaiting,
      });
    } catch (err) {
      r = failedReport(file, err);
    }
    if (!('item' in r)) reports[at] = r;
    else if (r.parts) reports[at] = await commitParts(r, r.parts);
    else waiting.push({ at, file: r });
    bytesBefore += file.size ?? ('item' in r ? r.item.entry.size : r.bytes);
    packetsBefore += 'item' in r ? r.item.entry.packets : r.packets;
    opts.onProgress?.(bytesBefore, packetsBefore);
  }
  await commitWaiting();
  return reports;
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
  opts: IngestFileOptions & { beforeParts?: () => Promise<void> },
): Promise<FileReport | Prepared> {
  const started = performance.now();
  // Standard input or a named pipe: read once (and it is no file that grows).
  const size = rereadableSize(path, await statCapture(path));
  if (size !== null && (await store.findFileByPath(path, size))) {
    const sha = await sha256File(path);
    if (await store.hasFile(sha)) return duplicate(path, sensor, started);
  }
  const counted = size === null ? null : await earlierPartOf(store, path, size, sensorId);

  const agg = new FileAggregator(geo);
  const parts = new PartWriter(
    store,
    agg,
    sensorId,
    opts.bufferBytes ?? DEFAULT_BUFFER_BYTES,
    opts.beforeParts,
  );
  try {
    return await readAndAggregate(
      { path, sensor, sensorId },
      size,
      counted,
      geo,
      agg,
      parts,
      started,
      opts,
    );
  } catch (e) {
    await parts.rollback().catch(() => {});
    throw e;
  }
}

async function readAndAggregate(
  { path, sensor, sensorId }: BatchFile,
  /** null for a stream (pipe, character device), which cannot be read a second time. */
  size: number | null,
  /** The ledger row of this file at an earlier size: its records are counted already. */
  counted: LedgerRow | null,
  geo: GeoDb,
  agg: FileAggregator,
  parts: PartWriter,
  started: number,
  opts: IngestFileOptions,
): Promise<FileReport | Prepared> {
  // The records counted when the file was smaller are skipped (grown-file.ts); the
  // common case keeps the plain callback.
  const earlier = counted?.packets ?? 0;
  let skip = earlier;
  const onPacket =
    counted === null
      ? (rec: PacketRecord) => agg.add(rec)
      : (rec: PacketRecord) => {
          if (skip > 0) skip--;
          else agg.add(rec);
        };
  const hashing = new HashingStream();
  const content = createHash('sha256');
  const source = captureSource(path);
  source.on('error', (err) => hashing.destroy(err));
  // A stream's identity covers the bytes after damage too: they are read, not re-read.
  const read =
    size === null
      ? drainedOnStop(source.pipe(hashing), () => !parts.signal.aborted)
      : source.pipe(hashing);
  const result = await readCaptureStream(parts.gate(read), path, onPacket, {
    onProgress: opts.onProgress,
    onDecompressed: (chunk) => content.update(chunk),
    signal: parts.signal,
  });
  await parts.finish();
  const whole = size === null || hashing.bytes === size;
  const complete = whole && result.error === null;
  const sha = whole ? hashing.digest() : await sha256File(path);
  const bytes = size ?? hashing.bytes;
  // The capture's identity whatever its compression; unknown for a damaged compressed
  // file (its decompression stopped at the damage).
  const contentSha = result.compression === null ? sha : complete ? content.digest('hex') : null;
  source.destroy();

  const base = {
    path,
    sensor,
    packets: result.packets - Math.min(earlier, result.packets),
    bytes,
    error: result.error,
  };
  if (result.error && result.packets === 0) {
    await parts.rollback();
    return {
      ...base,
      outcome: 'failed',
      seconds: elapsed(started),
      message: `${path}: ${result.error.message} (record ${result.error.record}, byte offset ${result.error.offset})`,
    };
  }

  // Empty when the file went out in parts (PartWriter.finish took the rest). First: it
  // adds the packets still batched in the aggregator, which ipPackets then counts.
  const aggregates = agg.finish();
  const item: CommitItem = {
    entry: {
      sha256: sha,
      contentSha256: contentSha,
      path,
      size: bytes,
      status: complete ? 'complete' : 'partial',
      format: result.format ?? 'unknown',
      compression: result.compression ?? 'none',
      linkTypes: result.linkTypes,
      packets: result.packets,
      ipPackets: agg.ipPackets + (counted?.ipPackets ?? 0),
      first: result.firstSec < 0 ? null : { sec: result.firstSec, nsec: result.firstNsec },
      last: result.lastSec < 0 ? null : { sec: result.lastSec, nsec: result.lastNsec },
      error: result.error,
      datasets: geo.datasets,
      durationMs: Math.round(performance.now() - started),
    },
    sensorId,
    aggregates,
  };
  const inParts = parts.partCount > 0 ? { parts: parts.partCount } : {};
  const partNote = parts.partCount > 0 ? `, written in ${parts.partCount} parts` : '';
  const report = (committed: CommitResult): FileReport => {
    if (committed === 'duplicate') return duplicate(path, sensor, started);
    const seconds = elapsed(started);
    if (result.error) {
      return {
        ...base,
        outcome: 'partial',
        seconds,
        ...inParts,
        message: `${path}: ${result.error.message} (record ${result.error.record}, byte offset ${result.error.offset}); kept ${result.packets} packets before the damage${partNote}`,
      };
    }
    return {
      ...base,
      outcome: 'stored',
      seconds,
      ...inParts,
      message:
        counted === null
          ? `${path}: ${result.packets} packets, sensor ${sensor}${partNote}`
          : `${path}: ${base.packets} new packets (it has grown: its first ${earlier} were counted at ${counted.size} bytes), sensor ${sensor}${partNote}`,
    };
  };
  return { item, report, parts: parts.inParts ? parts : null };
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

/**
 * The chunks of a stream; when the reader stops early at damage, the rest is still read
 * (and so hashed by the stream's own transform) before the stream is released. Not
 * after a failure (`drain` false): a live pipe may not end for a long time.
 */
async function* drainedOnStop<T>(
  stream: AsyncIterable<T>,
  drain: () => boolean,
): AsyncGenerator<T> {
  const it = stream[Symbol.asyncIterator]();
  let ended = false;
  try {
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    ended = true;
  } finally {
    if (!ended && drain()) {
      // A read error here leaves the hash over what was read (the file is partial anyway).
      await (async () => {
        while (!(await it.next()).done);
      })().catch(() => {});
    }
    await it.return?.();
  }
}
