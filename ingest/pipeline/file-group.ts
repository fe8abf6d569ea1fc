import { GroupRows } from '../aggregate/group-rows';
import type { AggregatorRows } from '../aggregate/rows';
import type { Store } from '../store';
import { mergedRefusals } from '../store/merged-refusals';
import type { CommitResult, LedgerEntry, MergedRefusal } from '../store/types';
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
  /** Its report once the group is committed (a stale member is read again instead). */
  report: (committed: Exclude<CommitResult, 'stale'>) => FileReport;
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

  /** True when a member has these bytes or this capture (the store's rule, mergedRefusals). */
  holds(sha256: string, contentSha256: string | null): boolean {
    const entries = [...this.members.map((m) => m.entry), { sha256, contentSha256 }];
    return mergedRefusals(entries, () => null).some((r) => r.at === this.members.length);
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
   * meanwhile), or stale (read before another process committed a part of the same
   * growing file, LedgerEntry.basedOn), nothing is written: the duplicates get their
   * reports, and the others come back as `again` (indexes `at`) to be read again, since
   * their rows cannot be told apart from the refused ones' any more.
   */
  async commit(
    store: Store,
  ): Promise<{ done: { at: number; report: FileReport }[]; again: number[] }> {
    if (this.members.length === 0) return { done: [], again: [] };
    const entries = this.members.map((m) => m.entry);
    let refused: Map<number, MergedRefusal['why']>;
    try {
      const result = await store.commitMerged(entries, this.sensorId, this.rows.result());
      refused = new Map(result.map((r) => [r.at, r.why]));
    } catch (err) {
      // A database error: nothing of the group was written.
      const failed = (m: GroupMember) =>
        failedReport({ path: m.entry.path, sensor: this.sensor }, err);
      return { done: this.members.map((m) => ({ at: m.at, report: failed(m) })), again: [] };
    }
    const done: { at: number; report: FileReport }[] = [];
    const again: number[] = [];
    for (const [i, m] of this.members.entries()) {
      if (refused.size === 0) done.push({ at: m.at, report: m.report('stored') });
      else if (refused.get(i) === 'duplicate') {
        done.push({ at: m.at, report: m.report('duplicate') });
      } else again.push(m.at);
    }
    return { done, again };
  }
}
