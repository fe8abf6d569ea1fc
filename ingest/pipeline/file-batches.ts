/**
 * Groups consecutive input files into commit batches (see ingestFiles): small files
 * share one transaction, so the index pages that neighbouring days and sensors touch are
 * written once per batch rather than once per file (a sensor writing one small file per
 * hour or day is the common case). A batch holds at most BATCH_BYTES of captures, whose
 * aggregates wait in memory for the commit, and BATCH_FILES files; a file of
 * BATCH_BYTES or more is a batch of its own.
 */
export const BATCH_BYTES = 16 * 1024 * 1024;
export const BATCH_FILES = 64;

/** Index ranges [start, end) of `sizes`, in order, covering every file once. */
export function fileBatches(
  sizes: readonly number[],
  maxBytes = BATCH_BYTES,
  maxFiles = BATCH_FILES,
): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < sizes.length; i++) {
    const size = sizes[i]!;
    if (i > start && (bytes + size > maxBytes || i - start >= maxFiles)) {
      out.push([start, i]);
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < sizes.length) out.push([start, sizes.length]);
  return out;
}
