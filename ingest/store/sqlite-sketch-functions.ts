import type { SqliteDatabase } from '../../lib/db/raw';
import { SourceSketch } from '../aggregate/source-sketch';
import { type StoredSketch, storedSketch } from './codec';

/**
 * SQL functions for the SQLite store's UPSERTs: `scanline_sketch_merge(a, b)` is the
 * serialized union of two serialized sketches, `scanline_sketch_sources(a, b)` its
 * estimate. An UPSERT's SET evaluates both on the same pair, so the last merge is kept
 * and the second call reuses it.
 */
export function registerSketchFunctions(db: SqliteDatabase): void {
  let lastA: Buffer | null = null;
  let lastB: Buffer | null = null;
  let last: StoredSketch | null = null;
  const merged = (a: Buffer, b: Buffer): StoredSketch => {
    if (last !== null && lastA!.equals(a) && lastB!.equals(b)) return last;
    const s = SourceSketch.deserialize(a);
    s.merge(SourceSketch.deserialize(b));
    last = storedSketch(s);
    lastA = a;
    lastB = b;
    return last;
  };
  const opts = { deterministic: true, directOnly: true };
  db.function('scanline_sketch_merge', opts, (a: unknown, b: unknown) => {
    return merged(a as Buffer, b as Buffer).bytes;
  });
  db.function('scanline_sketch_sources', opts, (a: unknown, b: unknown) => {
    return merged(a as Buffer, b as Buffer).sources;
  });
}
