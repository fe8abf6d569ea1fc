/**
 * A capture that grew after it was ingested: a periodic `scanline ingest DIR` (or a
 * watched spool) took it while the sensor was still writing it. Its ledger row holds the
 * records counted then, over the bytes the file had when that ingest began (the read
 * stops there, see captureSource); those bytes are still the file's first bytes, so the
 * ingest skips that many records and counts only the rest (instead of counting the first
 * part twice). A gzip stream is written front to back too: its first bytes decompress to
 * the first records of the grown stream, so a compressed capture is treated the same.
 */
import type { LedgerRow } from '../store';
import { sha256File } from './sha256-file';

/**
 * `prev` (the latest ledger row of this path, Store.findFileByPath) when the file is that
 * capture grown (the same sensor, smaller then, the same first bytes); else null.
 */
export async function earlierPartOf(
  prev: LedgerRow | null,
  path: string,
  size: number,
  sensorId: number,
): Promise<LedgerRow | null> {
  if (!prev || prev.sensorId !== sensorId) return null;
  if (prev.size <= 0 || prev.size >= size) return null;
  return (await sha256File(path, prev.size)) === prev.sha256 ? prev : null;
}
