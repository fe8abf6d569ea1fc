/**
 * Which files in a directory are captures: by name, or else by their first bytes.
 *
 * Names: .pcap, .pcapng, .cap, .dmp, .ntar, each optionally followed by digits (what
 * `tcpdump -C` appends to its rotated files: dump.pcap, dump.pcap1, dump.pcap2, ...),
 * optionally compressed (.gz; .zst and .lz4 are taken too, so that they are reported
 * as unsupported instead of skipped without a word).
 * Contents: any magic the parser reads (classic pcap and its variants, pcapng), whatever
 * the name (`tcpdump -w` to a name of your own).
 */
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { compareText } from '../../lib/compare-text';
import { startsLikeCapture } from '../format/capture-parser';

export const CAPTURE_NAME = /\.(pcap|pcapng|cap|dmp|ntar)\d*(\.(gz|zst|lz4))?$/i;

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

export interface CaptureWalk {
  /** Entries never looked at (not even reported as skipped). */
  ignore: RegExp;
  take(file: string, name: string): Promise<boolean>;
  onSkip(file: string): void;
}

/**
 * The files under root that `take` accepts, as paths relative to root, each directory's
 * entries in name order. A link to a file counts as the file (a spool of links to the
 * sensor's captures); links to directories are not followed (no loops).
 */
export async function walkCaptures(root: string, how: CaptureWalk, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => compareText(a.name, b.name));
  const files: string[] = [];
  for (const e of entries) {
    if (how.ignore.test(e.name)) continue;
    const child = rel ? path.join(rel, e.name) : e.name;
    const full = path.join(root, child);
    if (e.isDirectory()) {
      files.push(...(await walkCaptures(root, how, child)));
      continue;
    }
    const file = e.isSymbolicLink() ? (await stat(full).catch(() => null))?.isFile() : e.isFile();
    if (!file) continue;
    if (await how.take(full, e.name)) files.push(child);
    else how.onSkip(full);
  }
  return files;
}
