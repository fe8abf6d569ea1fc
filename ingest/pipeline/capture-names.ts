/**
 * Which files in a directory are captures: by name, or else by their first bytes.
 *
 * Names: .pcap, .pcapng, .cap, .dmp, .ntar, each optionally followed by digits (what
 * `tcpdump -C` appends to its rotated files: dump.pcap, dump.pcap1, dump.pcap2, ...),
 * optionally compressed (.gz; .zst and .lz4 are taken too, so that they are reported
 * as unsupported instead of skipped without a word).
 * Contents: a classic pcap magic (either byte order, micro- or nanoseconds, modified)
 * or a pcapng section header, whatever the name (`tcpdump -w` to a name of your own).
 */
import { open } from 'node:fs/promises';

export const CAPTURE_NAME = /\.(pcap|pcapng|cap|dmp|ntar)\d*(\.(gz|zst|lz4))?$/i;

const MAGICS = new Set([
  0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0xa1b2cd34, 0x34cdb2a1, 0x0a0d0d0a,
]);

/** The first 4 bytes of a file (fewer for a shorter one; none when unreadable). */
export async function firstBytes(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r').catch(() => null);
  if (fh === null) return new Uint8Array(0);
  try {
    const b = new Uint8Array(4);
    const { bytesRead } = await fh.read(b, 0, 4, 0);
    return b.subarray(0, bytesRead);
  } catch {
    return new Uint8Array(0);
  } finally {
    await fh.close().catch(() => {});
  }
}

/** The bytes start a classic pcap or pcapng file. */
export function startsLikeCapture(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  return MAGICS.has(((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0);
}

/** A directory entry to read as a capture: by its name, else by its first bytes. */
export async function isCaptureFile(path: string, name: string): Promise<boolean> {
  return CAPTURE_NAME.test(name) || startsLikeCapture(await firstBytes(path));
}

/** One line about directory files not taken as captures (null when there are none). */
export function skippedLine(skipped: readonly string[]): string | null {
  if (skipped.length === 0) return null;
  const shown = skipped.slice(0, 3).join(', ');
  const more = skipped.length > 3 ? `, and ${skipped.length - 3} more` : '';
  return `skipped   ${skipped.length} file(s) neither named nor shaped like a capture: ${shown}${more}`;
}
