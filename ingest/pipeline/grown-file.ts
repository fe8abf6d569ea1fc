/**
 * A capture that grew after it was ingested: a periodic `scanline ingest DIR` ran while
 * the sensor was still writing the file. Its ledger row holds the records counted then;
 * the bytes it hashed are still the file's first bytes, so the ingest skips that many
 * records and counts only the rest (instead of counting the first part twice).
 */
import type { LedgerRow, Store } from '../store';
import { sha256File } from './sha256-file';

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
  return (await sha256File(path, prev.size)) === prev.sha256 ? prev : null;
}
