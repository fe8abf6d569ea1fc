/** Shared shapes of the capture-file layer (re-exported by read-capture.ts). */

/**
 * Why reading stopped early. `record` is the 1-based number of the packet record that could not
 * be read (packets delivered + 1), or 0 when the file header itself is bad (not a capture,
 * empty, truncated header). `offset` is the byte offset, in the decompressed stream, where that
 * record / block / header starts.
 */
export interface CaptureError {
  message: string;
  record: number;
  offset: number;
}

export interface CaptureResult {
  file: string;
  format: 'pcap' | 'pcapng' | null;
  compression: 'gzip' | null;
  /** Distinct link types, in order of first appearance (pcap header, pcapng IDBs). */
  linkTypes: number[];
  /** All packet records read (IP or not). */
  packets: number;
  /** Bytes of (decompressed) capture consumed: the end of the last complete record or block. */
  bytes: number;
  /** Earliest / latest packet time stamp (min / max, not first / last record); -1 when no packets. */
  firstSec: number;
  firstNsec: number;
  lastSec: number;
  lastNsec: number;
  error: CaptureError | null;
  /** The error is the input ending early (a capture still being written looks so). */
  cutShort: boolean;
}

export interface ReadOptions {
  /** Called after each chunk read from the file (compressed bytes when gzip). */
  onProgress?: (compressedBytesRead: number, packets: number) => void;
  /** A compressed capture's bytes after decompression, in order, as they are parsed. */
  onDecompressed?: (chunk: Uint8Array) => void;
  signal?: AbortSignal;
}
