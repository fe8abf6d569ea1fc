/**
 * gzip decompression into the CaptureParser with node:zlib (the inflate work runs in the libuv
 * threadpool). The point of this file is the damaged case: what wiretap (tshark) delivers before
 * a cut or corrupt spot, we deliver too.
 *
 * - Output is taken with 'data' events and parsed as it comes.
 * - node:zlib drops the output of the one inflate call that fails. So the last 8 input bytes
 *   (the gzip trailer: CRC-32 and length) are always written on their own: a bad CRC then fails a
 *   call that has no output, and every decompressed byte has been parsed.
 * - A corrupt deflate stream fails mid-data. When the input can be read again (a file), the
 *   decompression is replayed up to the failing spot, then fed in 4 KiB and finally 1-byte steps,
 *   so that only the output of the very input byte where zlib gave up can be missing (at most one
 *   match, usually nothing), as wiretap keeps everything before it.
 * - A stream that ends early (cut file) ends with "unexpected end of file" after all output.
 */
import { createGunzip, type Gunzip } from 'node:zlib';
import type { CaptureParser } from './capture-parser';
import type { ReadOptions } from './types';

const CHUNK = 1 << 20;
const TRAILER = 8;

/** A plain Uint8Array view (Buffers are a subclass; one array class keeps reads monomorphic). */
export function view(b: Uint8Array): Uint8Array {
  return b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Reads compressed bytes [from, to) again (files); used to replay after a data error. */
export type Reread = (from: number, to: number) => Promise<Uint8Array>;

interface ErrorInfo {
  code: string | undefined;
  message: string;
}

function errorInfo(e: unknown): ErrorInfo {
  return {
    code: (e as { code?: string } | null)?.code,
    message: e instanceof Error ? e.message : String(e),
  };
}

/** Resolves when the stream can take more input, or is finished / destroyed / failed. */
function writable(z: Gunzip): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      z.off('drain', done);
      z.off('close', done);
      z.off('error', done);
      resolve();
    };
    z.on('drain', done);
    z.on('close', done);
    z.on('error', done);
  });
}

/** Writes and waits until zlib has processed the bytes; false when it failed. */
function writeProcessed(z: Gunzip, b: Uint8Array): Promise<boolean> {
  return new Promise((resolve) => {
    if (z.destroyed) {
      resolve(false);
      return;
    }
    // A zlib error destroys the stream without always calling the write callback.
    const fail = () => {
      z.off('error', fail);
      z.off('close', fail);
      resolve(false);
    };
    z.on('error', fail);
    z.on('close', fail);
    z.write(b, (err) => {
      z.off('error', fail);
      z.off('close', fail);
      resolve(!err);
    });
  });
}

export class GzipInput {
  /** Decompressed bytes handed to the parser. */
  private delivered = 0;
  /** An exception thrown by the consumer (through the parser), rethrown to the caller. */
  private consumerError: unknown = null;
  private total: number;
  /** Held-back tail of the compressed input (at most TRAILER bytes). */
  private tail = new Uint8Array(0);

  constructor(
    private readonly parser: CaptureParser,
    private readonly opts: ReadOptions,
    initialTotal: number,
    private readonly reread: Reread | null,
  ) {
    this.total = initialTotal;
  }

  /**
   * Decompresses `head` then `source` into the parser. Returns the source error (an I/O
   * failure) if any; decompression errors become the parser's error.
   */
  async run(
    source: AsyncIterator<Uint8Array | string>,
    head: Uint8Array[],
    sourceDone: boolean,
    toBytes: (v: Uint8Array | string) => Uint8Array,
  ): Promise<{ inputError: unknown; aborted: boolean }> {
    const parser = this.parser;
    const signal = this.opts.signal;
    const gunzip = createGunzip({ chunkSize: CHUNK });
    let zlibError: unknown = null;
    let inputError: unknown = null;
    let aborted = false;
    const finished = new Promise<void>((resolve) => {
      gunzip.on('data', (out: Buffer) => this.deliver(gunzip, view(out)));
      gunzip.on('error', (e) => {
        zlibError = e;
        resolve();
      });
      gunzip.on('end', resolve);
      gunzip.on('close', resolve);
    });
    const feed = async (c: Uint8Array) => {
      // Keep the last TRAILER bytes back until more input (or the end) comes.
      const all = this.tail.length === 0 ? c : concat(this.tail, c);
      const cut = all.length - TRAILER;
      if (cut <= 0) {
        this.tail = all.slice();
        return;
      }
      this.tail = all.slice(cut);
      if (!gunzip.write(all.subarray(0, cut))) await writable(gunzip);
    };
    const pump = (async () => {
      try {
        for (const h of head) await feed(h);
        if (!sourceDone) {
          for (;;) {
            if (parser.stopped || gunzip.destroyed) return;
            if (signal?.aborted) {
              aborted = true;
              gunzip.destroy();
              return;
            }
            const r = await source.next();
            if (r.done) break;
            const c = toBytes(r.value);
            this.total += c.length;
            this.opts.onProgress?.(this.total, parser.packets);
            if (gunzip.destroyed) return;
            await feed(c);
          }
        }
        if (gunzip.destroyed) return;
        // The trailer on its own, then the end.
        if (this.tail.length > 0 && !(await writeProcessed(gunzip, this.tail))) return;
        if (!gunzip.destroyed) gunzip.end();
      } catch (e) {
        inputError = e;
        gunzip.destroy();
      }
    })();
    await finished;
    const consumed = gunzip.bytesWritten;
    if (!gunzip.destroyed) gunzip.destroy();
    await pump;
    if (this.consumerError !== null) throw this.consumerError;
    if (inputError !== null || aborted || parser.stopped) return { inputError, aborted };
    if (zlibError !== null) {
      const info = errorInfo(zlibError);
      if (info.code === 'Z_BUF_ERROR') {
        parser.failExternal('gzip: compressed data cut short (unexpected end of file)');
      } else {
        if (this.reread !== null) await this.recover(consumed);
        parser.failExternal(`gzip: corrupt compressed data (${info.message})`, false);
      }
      return { inputError, aborted };
    }
    parser.end();
    return { inputError, aborted };
  }

  private deliver(z: Gunzip, out: Uint8Array): void {
    if (this.parser.stopped || this.consumerError !== null) return;
    this.delivered += out.length;
    try {
      if (!this.parser.push(out)) z.destroy();
    } catch (e) {
      // Thrown by onPacket: stop, and let the caller see it (not an event-handler crash).
      this.consumerError = e;
      z.destroy();
    }
  }

  /**
   * Replays the decompression up to `consumed` compressed bytes (what the successful inflate
   * calls took), then feeds the following bytes in 4 KiB steps, and the failing step again in
   * 1-byte steps, parsing the output that the failed call had dropped.
   */
  private async recover(consumed: number): Promise<void> {
    let start = consumed;
    for (const step of [4096, 1]) {
      if (this.parser.stopped) return;
      const failedAt = await this.replay(start, step);
      if (this.consumerError !== null) throw this.consumerError;
      if (failedAt < 0) return;
      start = failedAt;
    }
  }

  /**
   * One replay: decompress [0, start) in big writes, then `step`-byte writes until zlib fails.
   * Output beyond what was delivered goes to the parser. Returns the compressed offset where the
   * failing write began (or -1 when nothing failed or the input ran out).
   */
  private async replay(start: number, step: number): Promise<number> {
    const reread = this.reread!;
    const z = createGunzip({ chunkSize: 16384 });
    let out = 0;
    z.on('error', () => {});
    z.on('data', (c: Buffer) => {
      const end = out + c.length;
      if (end > this.delivered && !this.parser.stopped && this.consumerError === null) {
        const from = this.delivered - out;
        this.delivered = end;
        try {
          this.parser.push(view(from > 0 ? c.subarray(from) : c));
        } catch (e) {
          this.consumerError = e;
          z.destroy();
        }
      }
      out = end;
    });
    try {
      for (let p = 0; p < start; ) {
        const n = Math.min(CHUNK, start - p);
        const b = await reread(p, p + n);
        if (b.length === 0 || !(await writeProcessed(z, b))) return -1;
        p += n;
      }
      const window = await reread(start, start + Math.max(step * 1024, 1 << 16));
      for (let p = 0; p < window.length; p += step) {
        if (this.parser.stopped) return -1;
        if (!(await writeProcessed(z, window.subarray(p, p + step)))) return start + p;
      }
      return -1;
    } finally {
      z.destroy();
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
