/**
 * Distinct sources over several rows: the rows' SourceSketch blobs merged, then
 * estimated. (Summing daily `sources` would count a host seen on two days twice.)
 */
import 'server-only';
import { SourceSketch } from '@/ingest/aggregate/source-sketch';
import { bytes } from './db';

/** Merges serialized sketches per key and returns each key's distinct-source estimate. */
export class SketchMerger<K> {
  private readonly sketches = new Map<K, SourceSketch>();

  add(key: K, blob: unknown): void {
    const cur = this.sketches.get(key);
    if (cur) cur.mergeSerialized(bytes(blob));
    else this.sketches.set(key, SourceSketch.deserialize(bytes(blob)));
  }

  /** Merges a sketch built here (which the merger may keep and change). */
  addSketch(key: K, sketch: SourceSketch): void {
    const cur = this.sketches.get(key);
    if (cur) cur.merge(sketch);
    else this.sketches.set(key, sketch);
  }

  estimate(key: K): number {
    const s = this.sketches.get(key);
    return s ? Math.round(s.estimate()) : 0;
  }

  keys(): IterableIterator<K> {
    return this.sketches.keys();
  }
}
