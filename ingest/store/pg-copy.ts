/**
 * COPY ... FROM STDIN in PostgreSQL's binary format, for bulk writes: no text escaping,
 * no hex for bytea, no number or timestamp parsing on either side. Several times cheaper
 * than array parameters (`unnest($1::text[], ...)`) at a million rows.
 *
 * Format (PostgreSQL docs, "COPY ... Binary Format"): signature, flags, header extension
 * length; per tuple an int16 field count and per field an int32 byte length (-1 = NULL)
 * and the value in the type's binary send format; an int16 -1 trailer.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PgType } from './codec';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01). */
const PG_EPOCH_MS = 946_684_800_000;
const CHUNK = 1 << 20;

class Writer {
  buf = Buffer.allocUnsafe(CHUNK);
  at = 0;
  readonly done: Buffer[] = [];

  ensure(n: number): void {
    if (this.at + n <= this.buf.length) return;
    if (this.at > 0) this.done.push(this.buf.subarray(0, this.at));
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK, n));
    this.at = 0;
  }

  int16(v: number): void {
    this.ensure(2);
    this.at = this.buf.writeInt16BE(v, this.at);
  }

  int32(v: number): void {
    this.ensure(4);
    this.at = this.buf.writeInt32BE(v, this.at);
  }

  field(type: PgType, v: unknown): void {
    if (v === null || v === undefined) {
      this.int32(-1);
      return;
    }
    switch (type) {
      case 'int4':
        this.ensure(8);
        this.at = this.buf.writeInt32BE(4, this.at);
        this.at = this.buf.writeInt32BE(Number(v), this.at);
        return;
      case 'int8':
        this.ensure(12);
        this.at = this.buf.writeInt32BE(8, this.at);
        this.at = this.buf.writeBigInt64BE(BigInt(v as number | bigint), this.at);
        return;
      case 'timestamp': {
        const ms = v instanceof Date ? v.getTime() : Date.parse(`${String(v).replace(' ', 'T')}Z`);
        this.ensure(12);
        this.at = this.buf.writeInt32BE(8, this.at);
        this.at = this.buf.writeBigInt64BE(BigInt(ms - PG_EPOCH_MS) * 1000n, this.at);
        return;
      }
      case 'bytea': {
        const b = v as Uint8Array;
        this.ensure(4 + b.byteLength);
        this.at = this.buf.writeInt32BE(b.byteLength, this.at);
        this.buf.set(b, this.at);
        this.at += b.byteLength;
        return;
      }
      case 'text': {
        const s = String(v);
        const max = s.length * 3;
        this.ensure(4 + max);
        const n = this.buf.write(s, this.at + 4, 'utf8');
        this.buf.writeInt32BE(n, this.at);
        this.at += 4 + n;
        return;
      }
    }
  }

  /** Buffers completed so far (the current one stays open). */
  take(): Buffer[] {
    return this.done.splice(0);
  }

  finish(): Buffer[] {
    const out = this.take();
    if (this.at > 0) out.push(this.buf.subarray(0, this.at));
    this.at = 0;
    return out;
  }
}

function* encode(types: readonly PgType[], rows: Iterable<readonly unknown[]>): Generator<Buffer> {
  const w = new Writer();
  w.ensure(SIGNATURE.length + 8);
  SIGNATURE.copy(w.buf, w.at);
  w.at += SIGNATURE.length;
  w.int32(0); // flags
  w.int32(0); // header extension length
  for (const row of rows) {
    w.int16(types.length);
    for (let i = 0; i < types.length; i++) w.field(types[i]!, row[i]);
    yield* w.take();
  }
  w.int16(-1);
  yield* w.finish();
}

/**
 * COPYs rows (values in `columns` order; int8 as number or bigint, timestamp as Date or
 * 'YYYY-MM-DD HH:MM:SS.mmm' UTC text, bytea as Uint8Array) into `table`.
 */
export async function copyRows(
  client: pg.PoolClient | pg.Client,
  table: string,
  columns: readonly (readonly [string, PgType])[],
  rows: Iterable<readonly unknown[]>,
): Promise<void> {
  const cols = columns.map(([c]) => `"${c}"`).join(', ');
  const stream = client.query(copyFrom(`COPY ${table} (${cols}) FROM STDIN (FORMAT binary)`));
  await pipeline(
    Readable.from(
      encode(
        columns.map(([, t]) => t),
        rows,
      ),
    ),
    stream,
  );
}
