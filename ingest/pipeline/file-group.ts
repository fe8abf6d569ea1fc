import { GroupRows } from '../aggregate/group-rows';
import type { AggregatorRows } from '../aggregate/rows';
import type { Store } from '../store';
import { mergedDuplicates } from '../store/merged-duplicates';
import type { CommitResult, LedgerEntry } from '../store/types';
import { type FileReport, failedReport } from './file-report';

/**
 * A group commits before a file that shares none of its days once it holds this many
 * bytes of captures: merging has nothing to save then, and a commit of this size
 * already shares its index pages (the demo's 549 one-day files: 164 s one commit per
 * file, 96 s in groups of 16 MB, docs/BENCHMARKS.md); holding more only holds memory.
 */
export const UNSHARED_GROUP_BYTES = 16 * 1024 * 1024;

/** A file read into a group, waiting for the group's commit. */
export interface GroupMember {
  /** Its index in the caller's list. */
  at: number;
  entry: LedgerEntry;
  /** Its report once the group is committed (the outcome decides the message). */
  report: (committed: CommitResult) => FileReport;
}

/**
 * Files of one sensor whose aggregates are merged in memory and committed together
 * (Store.commitMerged): a sensor that rotates its capture (hourly, or by size) writes
 * files whose days, hosts and keys repeat, and merging them here writes each row once
 * instead of merging it into the stored row file after file (docs/BENCHMARKS.md). Each
 * file is still all or nothing: the group commits in one transaction with a ledger row
 * per file.
 */
export class FileGroup {
  readonly members: GroupMember[] = [];
  private readonly rows = new GroupRows();

  constructor(
    readonly sensorId: number,
    private readonly sensor: string,
  ) {}

  /** True when a member has these bytes or this capture (the store's rule, mergedDuplicates). */
  holds(sha256: string, contentSha256: string | null): boolean {
    const entries = [...this.members.map((m) => m.entry), { sha256, contentSha256 }];
    return mergedDuplicates(entries, () => false).includes(this.members.length);
  }

  /** Bytes of the members' captures. */
  get bytes(): number {
    return this.members.reduce((n, m) => n + m.entry.size, 0);
  }

  /** Bytes of the merged aggregates held (approximately). */
  heldBytes(): number {
    return this.rows.heldBytes();
  }

  /** True when one of `days` is a day the members have. */
  sharesDay(days: readonly string[]): boolean {
    return this.members.some((m) => m.entry.days?.some((d) => days.includes(d)));
  }

  add(member: GroupMember, aggregates: AggregatorRows): void {
    this.members.push(member);
    this.rows.add(aggregates);
  }

  /**
   * Commits the members; a database error fails them all (their reports say why). When
   * one of them turns out to be in the ledger already (another process committed it
   * meanwhile), nothing is written: the duplicates get their reports, and the others
   * come back as `again` (indexes `at`) to be read again, since their rows cannot be
   * told apart from the duplicates' any more. So does a member read before another
   * process committed a part of the same growing file (LedgerEntry.basedOn).
   */
  async commit(
    store: Store,
  ): Promise<{ done: { at: number; report: FileReport }[]; again: number[] }> {
    if (this.members.length === 0) return { done: [], again: [] };
    const entries = this.members.map((m) => m.entry);
    let dup: Set<number>;
    try {
      dup = new Set(await store.commitMerged(entries, this.sensorId, this.rows.result()));
    } catch (err) {
      // A database error: nothing of the group was written.
      const failed = (m: GroupMember) =>
        failedReport({ path: m.entry.path, sensor: this.sensor }, err);
      return { done: this.members.map((m) => ({ at: m.at, report: failed(m) })), again: [] };
    }
    const done: { at: number; report: FileReport }[] = [];
    const again: number[] = [];
    for (const [i, m] of this.members.entries()) {
      if (dup.size === 0) done.push({ at: m.at, report: m.report('stored') });
      else if (dup.has(i) && !(await readBeforeAnotherCommit(store, m.entry))) {
        done.push({ at: m.at, report: m.report('duplicate') });
      } else again.push(m.at);
    }
    return { done, again };
  }
}

/**
 * Whether a file the commit refused (as a 'duplicate') was refused as stale: read before
 * another process added a row of its path (LedgerEntry.basedOn), so it is read again.
 * The same content committed by another process under the same path is stale too; read
 * again, it is found in the ledger before it is read.
 */
export async function readBeforeAnotherCommit(store: Store, entry: LedgerEntry): Promise<boolean> {
  if (entry.basedOn === undefined) return false;
  const latest = await store.findFileByPath(entry.path);
  return (latest?.id ?? null) !== entry.basedOn;
}
