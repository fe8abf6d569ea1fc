/**
 * Splits the input files, in order, into batches: the unit of work of one ingestFiles
 * call (one worker thread's job). Within a batch, consecutive files of one sensor are
 * merged in memory and committed together (see ingestFiles; the memory budget bounds
 * each group), so a sensor's rotated captures and one-file-per-hour spools write their
 * shared rows once. A batch holds at most BATCH_BYTES of captures (so that several
 * threads find work) and BATCH_FILES files; a file of BATCH_BYTES or more is a batch of
 * its own.
 */
export const BATCH_BYTES = 256 * 1024 * 1024;
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
