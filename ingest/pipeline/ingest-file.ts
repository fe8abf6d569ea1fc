import type { GeoDb } from '../enrich/geo-db';
import type { Store } from '../store';
import type { CommitResult } from '../store/types';
import { FileGroup, UNSHARED_GROUP_BYTES } from './file-group';
import { type FileReport, failedReport } from './file-report';
import { DEFAULT_BUFFER_BYTES } from './part-writer';
import { type BatchFile, type ReadFile, readFile } from './read-file';

export type { FileOutcome, FileReport } from './file-report';
export { failedReport } from './file-report';
export type { BatchFile } from './read-file';

export interface IngestFileOptions {
  onProgress?: (bytesRead: number, packets: number) => void;
  /**
   * Memory budget of the aggregates held for a commit (bytes, default
   * DEFAULT_BUFFER_BYTES): a group of files commits once it holds more, and a file that
   * outgrows it alone is written in parts inside its own transaction (see PartWriter).
   */
  bufferBytes?: number;
  /**
   * Bytes of captures a group holds before a file that shares none of its days starts a
   * new group (default UNSHARED_GROUP_BYTES).
   */
  unsharedGroupBytes?: number;
  /** One file per commit (the way back when a group could not commit, see FileGroup). */
  alone?: boolean;
}

/**
 * Reads one capture, aggregates it and commits it in one transaction with its
 * ledger row. The SHA-256 of the file is computed in the same read pass; the same
 * content again is a no-op. A damaged file keeps the packets before the damage and
 * is recorded as partial; a file with nothing readable is not recorded.
 */
export async function ingestFile(
  store: Store,
  geo: GeoDb,
  path: string,
  sensor: string,
  sensorId: number,
  opts: IngestFileOptions = {},
): Promise<FileReport> {
  const [report] = await ingestFiles(store, geo, [{ path, sensor, sensorId }], opts);
  return report!;
}

/**
 * Ingests files in order. Consecutive files of one sensor are read and aggregated one
 * by one, their aggregates merged in memory, and committed together (FileGroup), so
 * rows that several files share are written once. A group commits when the sensor
 * changes, when it and the file being read hold more than the memory budget, before a
 * file that goes out in parts (which commits alone), before a file that shares none of
 * its days once it holds UNSHARED_GROUP_BYTES of captures, and at the end. Each file
 * stays all-or-nothing. Reports come back in input order; `onProgress` counts bytes and
 * packets over all the files. One file's problem (it cannot be read: a 'failed' report)
 * does not stop the others, nor does a failed commit (a database error: that group's
 * files are 'failed', none of them recorded).
 */
export async function ingestFiles(
  store: Store,
  geo: GeoDb,
  files: readonly BatchFile[],
  opts: IngestFileOptions = {},
): Promise<FileReport[]> {
  const budget = opts.bufferBytes ?? DEFAULT_BUFFER_BYTES;
  const unshared = opts.unsharedGroupBytes ?? UNSHARED_GROUP_BYTES;
  const reports: FileReport[] = new Array(files.length);
  const again: number[] = [];
  let group: FileGroup | null = null;
  const commit = async (): Promise<void> => {
    const g = group;
    group = null;
    if (g === null) return;
    const { done, again: more } = await g.commit(store);
    for (const { at, report } of done) reports[at] = report;
    again.push(...more);
  };
  let bytesBefore = 0;
  let packetsBefore = 0;
  for (const [at, file] of files.entries()) {
    const current: FileGroup | null = group;
    if (
      current !== null &&
      (opts.alone || current.sensorId !== file.sensorId || current.heldBytes() > budget)
    ) {
      await commit();
    }
    let r: FileReport | ReadFile;
    try {
      r = await readFile(store, geo, file, at, {
        onProgress: (bytes, packets) =>
          opts.onProgress?.(bytesBefore + bytes, packetsBefore + packets),
        bufferBytes: budget,
        waiting: { heldBytes: () => group?.heldBytes() ?? 0, commit },
        group,
      });
    } catch (err) {
      r = failedReport(file, err);
    }
    if (!('member' in r)) reports[at] = r;
    else if (r.parts) {
      const { member } = r;
      let committed: CommitResult | null = null;
      try {
        committed = await r.parts.commit(member.entry);
      } catch (err) {
        reports[at] = failedReport(file, err);
      }
      if (committed === 'stale') again.push(at);
      else if (committed !== null) reports[at] = member.report(committed);
    } else {
      const days = r.member.entry.days ?? [];
      if (group !== null && group.bytes >= unshared && !group.sharesDay(days)) {
        await commit();
      }
      group ??= new FileGroup(file.sensorId, file.sensor);
      group.add(r.member, r.aggregates);
    }
    bytesBefore += file.size ?? ('member' in r ? r.member.entry.size : r.bytes);
    packetsBefore += 'member' in r ? r.member.entry.packets : r.packets;
    opts.onProgress?.(bytesBefore, packetsBefore);
  }
  await commit();
  if (again.length > 0) {
    // Rare: another process committed a file of the group, or a part of a growing file,
    // while it was being read (see FileGroup.commit). These are read again, each alone.
    const redo = await ingestFiles(
      store,
      geo,
      again.map((at) => files[at]!),
      { ...opts, alone: true, onProgress: undefined },
    );
    again.forEach((at, k) => {
      reports[at] = redo[k]!;
    });
  }
  return reports;
}
