/**
 * A capture that grew after it was ingested: a periodic `scanline ingest DIR` ran while
 * the sensor was still writing the file. Its ledger row holds the records counted then;
 * the bytes it hashed are still the file's first bytes, so the ingest skips that many
 * records and counts only the rest (instead of counting the first part twice).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { LedgerRow, Store } from '../store';

/** SHA-256 hex of the first `length` bytes of a file. */
async function sha256Prefix(path: string, length: number): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1 << 20 });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The latest ledger row of this path and sensor when the file is that capture grown
 * (uncompressed, smaller then, the same first bytes); else null.
 */
export async function earlierPartOf(
  store: Store,
  path: string,
  size: number,
  sensorId: number,
): Promise<LedgerRow | null> {
  const prev = await store.findFileByPath(path);
  if (!prev || prev.sensorId !== sensorId || prev.compression !== 'none') return null;
  if (prev.size <= 0 || prev.size >= size) return null;
  return (await sha256Prefix(path, prev.size)) === prev.sha256 ? prev : null;
}
