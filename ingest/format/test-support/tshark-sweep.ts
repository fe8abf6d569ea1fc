/**
 * Sweeps: many synthetic frames of one link type, decoded by us and by tshark, compared frame
 * by frame on what both sides know (tools.ts `comparable`).
 */
import { writeFileSync } from 'node:fs';
import { pcapFile } from './capture-bytes';
import { comparable, type FrameView, ourFrames, type TempDir, tsharkFramesAsync } from './tools';

export interface SweepResult {
  /** The frames that differ and are not allowed, as "label: ours ..., tshark ...", first 20. */
  differ: string[];
  /** tshark's view of every frame (for checks that the sweep reached what it tests). */
  theirs: FrameView[];
}

/**
 * Writes `frames` as a pcap of `linkType` in `dir`, decodes it both ways, and lists the frames
 * that differ, except those `allowed` (documented differences). `label(i)` names frame i.
 */
export async function sweepWithTshark(
  dir: TempDir,
  name: string,
  linkType: number,
  frames: readonly (readonly number[])[],
  label: (i: number) => string,
  allowed: (ours: FrameView, theirs: FrameView, i: number) => boolean = () => false,
): Promise<SweepResult> {
  const records = frames.map((f, i) => ({
    sec: 1_700_000_000 + i,
    frac: 0,
    data: Uint8Array.from(f),
  }));
  const file = dir.path(`${name.replace(/\W+/g, '-')}.pcap`);
  writeFileSync(file, pcapFile(records, { linkType }));
  const [ours, theirs] = await Promise.all([ourFrames(file), tsharkFramesAsync(file)]);
  if (ours.length !== frames.length || theirs.length !== frames.length) {
    throw new Error(`${name}: ${ours.length} and ${theirs.length} frames of ${frames.length}`);
  }
  const differ: string[] = [];
  for (let i = 0; i < frames.length && differ.length < 20; i++) {
    const a = comparable(ours[i]!);
    const b = comparable(theirs[i]!);
    if (JSON.stringify(a) === JSON.stringify(b) || allowed(a, b, i)) continue;
    differ.push(`${label(i)}: ours ${show(a)}, tshark ${show(b)}`);
  }
  return { differ, theirs };
}

/**
 * The distinct keys (sorted) of the cases in which tshark found an IP source: which ways to IP
 * a sweep reached, so that a broken header cannot pass as "no differences".
 */
export function keysWithSource<T>(
  cases: readonly T[],
  theirs: readonly FrameView[],
  key: (c: T) => string,
): string[] {
  return [...new Set(cases.filter((_, i) => theirs[i]!.src !== null).map(key))].sort();
}

function show(f: FrameView): string {
  return `ip${f.ipLayer} ${f.src ?? '-'} ${f.transport ?? '-'}/${f.dstPort ?? '-'}`;
}

/** Roofnet and 6LoWPAN, which tshark follows to IP and the decoder does not (README). */
export const notDecodedEthertype = (v: number) => (v >= 0x0641 && v <= 0x0645) || v === 0xa0ed;
