/**
 * `scanline inspect [--json] <file|dir>...`: decode captures and print their counts (no
 * database). Directories are walked recursively in sorted order; inside them, hidden entries
 * are skipped and a file is taken when its name looks like a capture (.pcap, .pcapng, .cap,
 * .dmp, .ntar, optionally .gz) or its first bytes are a pcap / pcapng / gzip magic. Files named
 * explicitly are always inspected.
 *
 * --json prints exactly one JSON object per file per line. The exit code is 0 when every file
 * was read without error, 1 when any file is damaged or unreadable (all files are still done),
 * 2 for a usage error.
 */

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startsLikeCapture } from '../format/capture-parser';
import { inspectFile } from '../inspect/inspect-file';
import { renderText } from '../inspect/render-text';
import { CAPTURE_NAME, firstBytes, walkCaptures } from '../pipeline/capture-names';

const USAGE = `usage: scanline inspect [--json] <file|directory>...

Reads pcap / pcapng captures (optionally gzip-compressed) and prints, per file, the format,
link types, packet counts, first / last packet time and per-UTC-day counts (IP packets,
distinct sources, destination ports, TCP flags and windows). - reads standard input.

  --json   one JSON object per file per line
  -h, --help`;

export interface InspectIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: InspectIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

/** Besides captures (capture-names.ts), inspect reads any gzip file: it is a diagnostic. */
async function takenByInspect(path: string, name: string): Promise<boolean> {
  if (CAPTURE_NAME.test(name) || /\.gz$/i.test(name)) return true;
  const head = await firstBytes(path);
  return startsLikeCapture(head) || (head[0] === 0x1f && head[1] === 0x8b);
}

/** Expands the arguments into the files to inspect, in order (directories sorted, recursively). */
export async function collectFiles(args: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const a of args) {
    const s = await stat(a).catch(() => null);
    if (s?.isDirectory()) {
      const how = { ignore: /^\./, take: takenByInspect, onSkip: () => {} };
      for (const rel of await walkCaptures(a, how)) files.push(join(a, rel));
    } else files.push(a); // a missing file is reported by inspectFile
  }
  return files;
}

export async function runInspect(argv: string[], io: InspectIo = defaultIo): Promise<number> {
  let json = false;
  const paths: string[] = [];
  let options = true;
  for (const a of argv) {
    if (options && a === '--') {
      options = false;
    } else if (options && a === '--json') {
      json = true;
    } else if (options && (a === '-h' || a === '--help')) {
      io.out(`${USAGE}\n`);
      return 0;
    } else if (options && a.startsWith('-') && a !== '-') {
      io.err(`scanline inspect: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else {
      paths.push(a);
    }
  }
  if (paths.length === 0) {
    io.err(`${USAGE}\n`);
    return 2;
  }
  const files = await collectFiles(paths);
  let failed = false;
  let first = true;
  for (const f of files) {
    const r = await inspectFile(f);
    if (!r.ok) failed = true;
    if (json) {
      io.out(`${JSON.stringify(r)}\n`);
    } else {
      io.out(`${first ? '' : '\n'}${renderText(r)}\n`);
    }
    first = false;
  }
  return failed ? 1 : 0;
}
