/**
 * Reading capture files and streams: the I/O around the CaptureParser core, gzip detection and
 * decompression (node:zlib, which runs in the libuv threadpool, off the main thread), and the
 * decoder. Bad input never throws: it ends as `error` in the result. I/O errors (missing file,
 * unreadable stream...) throw, with the file named in the message.
 */
import { createReadStream, fstatSync, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { decodePacket } from '../decode/decode-packet';
import { PacketRecord } from '../decode/packet-record';
import { CaptureParser } from './capture-parser';
import { GzipInput, type Reread, view } from './gzip-input';
import type { CaptureError, CaptureResult, ReadOptions } from './types';

export type { CaptureError, CaptureResult, ReadOptions } from './types';

/** Size of the reads from a file (two buffers of it alternate: one read while one parses). */
const READ_SIZE = 1 << 20;

/** An I/O failure (not a capture-format problem). `code` is the system error code, if any. */
export class CaptureIoError extends Error {
  readonly code: string | undefined;
  constructor(file: string, cause: unknown) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    super(msg.includes(file) ? msg : `${file}: ${msg}`, { cause });
    this.name = 'CaptureIoError';
    this.code = (cause as { code?: unknown } | null)?.code as string | undefined;
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

function makeParser(onPacket: (rec: PacketRecord) => void): CaptureParser {
  return new CaptureParser(onPacket, new PacketRecord(), decodePacket);
}

function result(file: string, parser: CaptureParser, compression: 'gzip' | null): CaptureResult {
  return {
    file,
    format: parser.format,
    compression,
    linkTypes: [...parser.linkTypes],
    packets: parser.packets,
    bytes: parser.consumed,
    firstSec: parser.firstSec,
    firstNsec: parser.firstNsec,
    lastSec: parser.lastSec,
    lastNsec: parser.lastNsec,
    error: parser.error,
    cutShort: parser.error !== null && parser.cutShort,
  };
}

/** `-` on a command line: the capture comes on standard input (a pipe, or a redirected file). */
export const STDIN = '-';

/**
 * The bytes of a capture file, or of standard input for STDIN: fd 0 itself, which works
 * in worker threads too, and for a socket (what Node gives a child for a pipe), which
 * /dev/stdin cannot open. Standard input is left open.
 *
 * `size`: read no further than this, the size the file had when its ingest began. A
 * sensor may still be appending to it: what it adds meanwhile is left for the next
 * ingest of the grown file (ingest/pipeline/grown-file.ts), so that the ledger's size,
 * hash and packets all describe the same first bytes.
 */
export function captureSource(path: string, size?: number, highWaterMark = 1 << 20): Readable {
  if (path === STDIN) return createReadStream('', { fd: 0, autoClose: false, highWaterMark });
  if (size === 0) return Readable.from([]);
  return createReadStream(path, { highWaterMark, end: size === undefined ? undefined : size - 1 });
}

/** stat of a capture file, or of standard input for STDIN. */
export function statCapture(path: string): Promise<Stats> {
  return path === STDIN ? Promise.resolve(fstatSync(0)) : stat(path);
}

/**
 * The size of a capture that can be read a second time (a regular file named by path),
 * or null for a stream (standard input, a named pipe): its size is what it carries.
 */
export function rereadableSize(path: string, info: Stats): number | null {
  return path !== STDIN && info.isFile() ? info.size : null;
}

/**
 * Reads a capture file (pcap / pcapng, optionally gzip-compressed), decoding every packet into
 * one reused PacketRecord passed to onPacket (copy what you keep). Throws only for I/O errors.
 */
export async function readCapture(
  path: string,
  onPacket: (rec: PacketRecord) => void,
  opts: ReadOptions = {},
): Promise<CaptureResult> {
  if (path === STDIN) return readCaptureStream(captureSource(path), path, onPacket, opts);
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new CaptureIoError(path, e);
  }
  try {
    const parser = makeParser(onPacket);
    let a = new Uint8Array(READ_SIZE);
    let b = new Uint8Array(READ_SIZE);
    let first = 0;
    try {
      // At least a few bytes to tell gzip (a pipe may hand over less at a time).
      for (;;) {
        const n = (await fh.read(a, first, READ_SIZE - first, null)).bytesRead;
        first += n;
        if (n === 0 || first >= 4) break;
      }
    } catch (e) {
      throw new CaptureIoError(path, e);
    }
    if (isGzip(a.subarray(0, first))) {
      // Sequential reads (no seeking: pipes work too); a fresh buffer per chunk, as zlib may
      // still hold the previous one.
      const chunks = fileChunks(fh, path, a.subarray(0, first));
      const reread: Reread = async (from, to) => {
        const buf = new Uint8Array(to - from);
        try {
          const { bytesRead } = await fh.read(buf, 0, buf.length, from);
          return buf.subarray(0, bytesRead);
        } catch {
          return new Uint8Array(0); // not seekable (a pipe): no replay
        }
      };
      await readGzip(chunks, [], parser, path, opts, 0, false, reread);
      return result(path, parser, 'gzip');
    }
    // Plain file: alternate two buffers so the next read runs while this chunk is parsed.
    let got = first;
    let total = 0;
    const signal = opts.signal;
    while (got > 0) {
      if (signal?.aborted) throw abortReason(signal);
      // Sequential (position null): one read in flight at a time, so the order holds.
      const next = fh.read(b, 0, READ_SIZE, null);
      next.catch(() => {}); // handled when awaited below
      total += got;
      parser.push(got === READ_SIZE ? a : a.subarray(0, got));
      opts.onProgress?.(total, parser.packets);
      if (parser.stopped) {
        await next.catch(() => {});
        break;
      }
      try {
        got = (await next).bytesRead;
      } catch (e) {
        throw new CaptureIoError(path, e);
      }
      const t = a;
      a = b;
      b = t;
    }
    parser.end();
    return result(path, parser, null);
  } finally {
    await fh.close().catch(() => {});
  }
}

async function* fileChunks(
  fh: FileHandle,
  path: string,
  first: Uint8Array,
): AsyncGenerator<Uint8Array> {
  yield first;
  for (;;) {
    const buf = new Uint8Array(READ_SIZE);
    let n: number;
    try {
      n = (await fh.read(buf, 0, READ_SIZE, null)).bytesRead;
    } catch (e) {
      throw new CaptureIoError(path, e);
    }
    if (n === 0) return;
    yield n === READ_SIZE ? buf : buf.subarray(0, n);
  }
}

/**
 * Reads a capture from a stream (e.g. a file read through a hashing transform) or any
 * async iterable of chunks. `name` is used in the result and in error messages. Gzip is
 * detected from the first bytes. Throws only when the stream itself fails (I/O) or
 * `signal` aborts (with its reason).
 */
export async function readCaptureStream(
  stream: NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>,
  name: string,
  onPacket: (rec: PacketRecord) => void,
  opts: ReadOptions = {},
): Promise<CaptureResult> {
  const parser = makeParser(onPacket);
  const it = (stream as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  const signal = opts.signal;
  // Collect the first two bytes to look for the gzip magic.
  const head: Uint8Array[] = [];
  let headLen = 0;
  let total = 0;
  let done = false;
  try {
    while (headLen < 2) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      const c = toBytes(r.value);
      if (c.length === 0) continue;
      head.push(c);
      headLen += c.length;
      total += c.length;
    }
  } catch (e) {
    throw new CaptureIoError(name, e);
  }
  const first = head.length === 1 ? head[0]! : concat(head, headLen);
  if (isGzip(first)) {
    opts.onProgress?.(total, 0);
    try {
      await readGzip(it, [first], parser, name, opts, total, done);
    } finally {
      await it.return?.();
    }
    return result(name, parser, 'gzip');
  }
  try {
    if (headLen > 0) {
      parser.push(first);
      opts.onProgress?.(total, parser.packets);
    }
    while (!done && !parser.stopped) {
      if (signal?.aborted) throw abortReason(signal);
      let r: IteratorResult<Uint8Array | string>;
      try {
        r = await it.next();
      } catch (e) {
        throw new CaptureIoError(name, e);
      }
      if (r.done) break;
      const c = toBytes(r.value);
      total += c.length;
      parser.push(c);
      opts.onProgress?.(total, parser.packets);
    }
  } finally {
    await it.return?.(); // stopped early (error or exception): release the stream
  }
  parser.end();
  return result(name, parser, null);
}

function toBytes(v: Uint8Array | string): Uint8Array {
  return typeof v === 'string' ? view(Buffer.from(v, 'latin1')) : view(v);
}

function concat(parts: Uint8Array[], len: number): Uint8Array {
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Decompresses a gzip stream into the parser (see gzip-input.ts). A source failure is rethrown
 * as an I/O error; an abort as the signal's reason.
 */
async function readGzip(
  source: AsyncIterator<Uint8Array | string>,
  head: Uint8Array[],
  parser: CaptureParser,
  name: string,
  opts: ReadOptions,
  initialTotal = 0,
  sourceDone = false,
  reread: Reread | null = null,
): Promise<void> {
  parser.onChunk = opts.onDecompressed ?? null;
  const g = new GzipInput(parser, opts, initialTotal, reread);
  const { inputError, aborted } = await g.run(source, head, sourceDone, toBytes);
  if (inputError !== null) throw new CaptureIoError(name, inputError);
  if (aborted && opts.signal) throw abortReason(opts.signal);
}

/** Convenience for tests and tools: the error of a result as one line. */
export function describeError(e: CaptureError): string {
  return `${e.message} (record ${e.record}, byte offset ${e.offset})`;
}
