import { createHash } from 'node:crypto';
import { FileAggregator } from '../aggregate/file-aggregator';
import type { AggregatorRows } from '../aggregate/rows';
import type { PacketRecord } from '../decode/packet-record';
import type { GeoDb } from '../enrich/geo-db';
import {
  captureSource,
  readCaptureStream,
  rereadableSize,
  statCapture,
} from '../format/read-capture';
import type { LedgerRow, Store } from '../store';
import { daysOf } from '../store/codec';
import type { CommitResult } from '../store/types';
import { clockNote } from './clock-note';
import type { FileGroup, GroupMember } from './file-group';
import { duplicateReport, elapsed, type FileReport } from './file-report';
import { earlierPartOf } from './grown-file';
import { HashingStream } from './hashing-stream';
import { PartWriter, type WaitingRows } from './part-writer';
import { prefixFilter } from './prefix-filter';
import { sha256File } from './sha256-file';

export interface BatchFile {
  path: string;
  sensor: string;
  sensorId: number;
  /** Its size in bytes, if known (progress of the files skipped without reading). */
  size?: number;
}

/** A file read and aggregated, waiting for its group's commit (or its own, in parts). */
export interface ReadFile {
  member: GroupMember;
  aggregates: AggregatorRows;
  /** Set when the rows are already written in an open transaction: commit through it. */
  parts: PartWriter | null;
}

export interface ReadOptions {
  onProgress?: (bytesRead: number, packets: number) => void;
  bufferBytes: number;
  /** The files read before this one and not committed (commits before this file's parts). */
  waiting: WaitingRows;
  /** The files read before this one, not committed yet: the same content is a duplicate. */
  group: FileGroup | null;
}

/**
 * Reads one capture and aggregates it, computing the file's SHA-256 (and the capture's,
 * when compressed) in the same pass. Returns its rows, ledger entry and report, or a
 * final report: already in the ledger or the group (by path and content before
 * reading, or by content after), or nothing readable. A file that outgrows the memory
 * budget is written in parts inside its own transaction (PartWriter).
 */
export async function readFile(
  store: Store,
  geo: GeoDb,
  { path, sensor, sensorId }: BatchFile,
  at: number,
  opts: ReadOptions,
): Promise<FileReport | ReadFile> {
  const started = performance.now();
  // Standard input or a named pipe: read once (and it is no file that grows).
  const size = rereadableSize(path, await statCapture(path));
  if (size !== null && (await store.findFileByPath(path, size))) {
    const sha = await sha256File(path, size);
    if (await store.hasFile(sha)) return duplicateReport(path, sensor, started);
  }
  // The records counted when the file was smaller are skipped (grown-file.ts); the
  // common case keeps the plain callback.
  const latest = size === null ? null : await store.findFileByPath(path);
  const counted = size === null ? null : await earlierPartOf(latest, path, size, sensorId);
  const prefixes = await store.sensorPrefixes(sensorId);
  const agg = new FileAggregator(geo);
  const parts = new PartWriter(store, agg, sensorId, opts.bufferBytes, opts.waiting);
  try {
    return await readAndAggregate({
      store,
      geo,
      path,
      sensor,
      at,
      opts,
      size,
      counted,
      basedOn: size === null ? undefined : (latest?.id ?? null),
      prefixes,
      agg,
      parts,
      started,
    });
  } catch (e) {
    await parts.rollback().catch(() => {});
    throw e;
  }
}

interface Reading {
  store: Store;
  geo: GeoDb;
  path: string;
  sensor: string;
  at: number;
  opts: ReadOptions;
  /** null for a stream (pipe, character device), which cannot be read a second time. */
  size: number | null;
  /** The ledger row of this file at an earlier size: its records are counted already. */
  counted: LedgerRow | null;
  /** LedgerEntry.basedOn: the latest ledger row of the path when it was looked up. */
  basedOn: number | null | undefined;
  /** The sensor's prefixes as stored ('': every packet counts). */
  prefixes: string;
  agg: FileAggregator;
  parts: PartWriter;
  started: number;
}

async function readAndAggregate({
  store,
  geo,
  path,
  sensor,
  at,
  opts,
  size,
  counted,
  basedOn,
  prefixes,
  agg,
  parts,
  started,
}: Reading): Promise<FileReport | ReadFile> {
  const earlier = counted?.packets ?? 0;
  let skip = earlier;
  let outside = 0;
  const covers = prefixFilter(prefixes);
  const count =
    covers === null
      ? (rec: PacketRecord) => agg.add(rec)
      : (rec: PacketRecord) => {
          // Not IP: counted as such (ipVersion 0), as without prefixes.
          if (rec.ipVersion === 0 || covers(rec)) agg.add(rec);
          else outside++;
        };
  const onPacket =
    counted === null
      ? count
      : (rec: PacketRecord) => {
          if (skip > 0) skip--;
          else count(rec);
        };
  const hashing = new HashingStream();
  const content = createHash('sha256');
  const source = captureSource(path, size ?? undefined);
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
  // The read stops at damage: the rest of the file's first `size` bytes is hashed apart.
  const sha = whole ? hashing.digest() : await sha256File(path, size ?? undefined);
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
  // Checked now so that a file already in the ledger is not merged into the group (the
  // commit checks again inside its transaction, and a file found then costs a re-read).
  if (
    !parts.inParts &&
    (opts.group?.holds(sha, contentSha) ||
      (await store.hasFile(sha)) ||
      (contentSha !== null && contentSha !== sha && (await store.hasFile(contentSha))))
  ) {
    return duplicateReport(path, sensor, started);
  }

  // Empty when the file went out in parts (PartWriter.finish took the rest). First: it
  // adds the packets still batched in the aggregator, which ipPackets then counts.
  const aggregates = agg.finish();
  const entry = {
    sha256: sha,
    contentSha256: contentSha,
    path,
    size: bytes,
    status: complete ? ('complete' as const) : ('partial' as const),
    format: result.format ?? 'unknown',
    compression: result.compression ?? 'none',
    linkTypes: result.linkTypes,
    packets: result.packets,
    ipPackets: agg.ipPackets + (counted?.ipPackets ?? 0),
    outsidePackets: outside + (counted?.outsidePackets ?? 0),
    first: result.firstSec < 0 ? null : { sec: result.firstSec, nsec: result.firstNsec },
    last: result.lastSec < 0 ? null : { sec: result.lastSec, nsec: result.lastNsec },
    error: result.error,
    datasets: geo.datasets,
    durationMs: Math.round(performance.now() - started),
    ...(basedOn === undefined ? {} : { basedOn }),
    // In parts: the store knows the days of what it wrote.
    ...(parts.inParts ? {} : { days: daysOf(aggregates) }),
  };
  const report = (committed: Exclude<CommitResult, 'stale'>): FileReport => {
    if (committed === 'duplicate') return duplicateReport(path, sensor, started);
    const seconds = elapsed(started);
    const partCount = parts.partCount;
    const inParts = {
      ...(partCount > 0 ? { parts: partCount } : {}),
      ...(outside > 0 ? { outside } : {}),
    };
    const partNote =
      (partCount > 0 ? `, written in ${partCount} parts` : '') +
      outsideNote(outside, agg.ipPackets, prefixes) +
      clockNote(result.firstSec, result.lastSec, Date.now() / 1000);
    if (result.error) {
      const stillWritten = result.cutShort
        ? '; if the sensor is still writing it, the rest is counted once it has grown'
        : '';
      return {
        ...base,
        outcome: 'partial',
        seconds,
        ...inParts,
        ...(result.cutShort ? { cutShort: true } : {}),
        message: `${path}: ${result.error.message} (record ${result.error.record}, byte offset ${result.error.offset}); kept ${result.packets} packets before the damage${partNote}${stillWritten}`,
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
  return { member: { at, entry, report }, aggregates, parts: parts.inParts ? parts : null };
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

/** What the file's line says of the packets left out as outside the sensor's prefixes. */
function outsideNote(outside: number, counted: number, prefixes: string): string {
  if (outside === 0) return '';
  if (counted > 0)
    return `; ${outside} packets to addresses outside the sensor's prefixes not counted`;
  // Most likely a mistake: the wrong --sensor, or prefixes that need changing.
  return `; none of its ${outside} IP packets is to the sensor's prefixes (${prefixes}), so none was counted: check --sensor, or change the prefixes with scanline sensors set`;
}
