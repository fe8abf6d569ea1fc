import type { FileAggregator } from '../aggregate/file-aggregator';
import type { Store } from '../store';
import { DEFAULT_CACHE_BYTES } from '../store/sqlite-store';
import type { CommitResult, FileTransaction, LedgerEntry } from '../store/types';

/** Default memory budget of one file's aggregates before they are written out in parts. */
export const DEFAULT_BUFFER_BYTES = 512 * 2 ** 20;

/**
 * The SQLite writer's page cache for a budget: 3/4 of it, at most 384 MB (the default
 * budget's), so a small budget bounds the whole process, not only the aggregates.
 */
export function cacheBytesFor(bufferBytes: number): number {
  return Math.min(DEFAULT_CACHE_BYTES, Math.round((bufferBytes * 3) / 4));
}

/** Rows read before the current file and not committed yet (the group, see ingestFiles). */
export interface WaitingRows {
  heldBytes(): number;
  /** Commits them (nothing held afterwards). */
  commit(): Promise<void>;
}

const NOTHING_WAITING: WaitingRows = { heldBytes: () => 0, commit: async () => {} };

/**
 * Bounds the memory of one file's ingest: when the aggregator holds more than the budget
 * between two chunks of the file, its rows so far are written into one transaction opened
 * for the file (Store.beginFile) and freed; the rest follows at the end, then the ledger
 * row and the commit. A file that fits the budget is never written in parts (it commits
 * with its group, see ingestFiles), so only big files hold the commit lock while they are
 * read. When the file and the group waiting before it are over the budget together, the
 * group commits first.
 *
 * Finished days go first, and once the file is in parts each day is written as soon as
 * it is finished (big.pcap: peak RSS 2.29 -> 1.89 GB, docs/BENCHMARKS.md): holding it
 * for the budget only holds more rows at once. The day in progress is cut only when it
 * alone is over the budget (its later packets start new tables, and the store merges the
 * parts: the same rows, but merging costs about twice the writing).
 */
export class PartWriter {
  private tx: FileTransaction | null = null;
  private error: unknown = null;
  private parts = 0;
  private readonly abort = new AbortController();

  constructor(
    private readonly store: Store,
    private readonly agg: FileAggregator,
    private readonly sensorId: number,
    private readonly budgetBytes: number,
    /** The rows of the files read before this one, waiting for their commit. */
    private readonly waiting: WaitingRows = NOTHING_WAITING,
  ) {}

  /** Aborts the read when a write fails (the reason is the write's error). */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get inParts(): boolean {
    return this.tx !== null;
  }

  /** Parts written so far (the rest at finish() included). */
  get partCount(): number {
    return this.parts;
  }

  /** The chunks of `source`, each let through once the aggregator is back under budget. */
  async *gate<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
    for await (const chunk of source) {
      // Errors are not thrown here: the reader would report them as I/O errors.
      const failed = (e: unknown) => {
        this.error = e;
        this.abort.abort(e);
      };
      const held = this.agg.heldBytes();
      if (this.error !== null) {
        // The read stops at the abort.
      } else if (held > this.budgetBytes || (this.tx !== null && this.agg.finishedBytes() > 0)) {
        await this.writePart().catch(failed);
      } else if (held + this.waiting.heldBytes() > this.budgetBytes) {
        // Together over the budget: the files before this one commit now.
        await this.waiting.commit().catch(failed);
      }
      yield chunk;
    }
  }

  /** After the read: writes what is left if the file went out in parts. */
  async finish(): Promise<void> {
    if (this.error !== null) throw this.error;
    if (this.tx === null) return;
    this.agg.closeOpenDays();
    const rest = this.agg.takeRows();
    if (rest) {
      await this.tx.write(rest);
      this.parts++;
    }
  }

  /** Commits a file written in parts. */
  async commit(entry: LedgerEntry): Promise<CommitResult> {
    if (this.tx === null) throw new Error('PartWriter.commit: nothing was written in parts');
    return this.tx.commit(entry);
  }

  async rollback(): Promise<void> {
    await this.tx?.rollback();
  }

  private async writePart(): Promise<void> {
    if (this.agg.heldBytes() - this.agg.finishedBytes() > this.budgetBytes) {
      this.agg.closeOpenDays();
    }
    const rows = this.agg.takeRows();
    if (rows === null) return;
    if (this.tx === null) {
      await this.waiting.commit();
      this.tx = await this.store.beginFile(this.sensorId, this.agg.daysSeen());
    }
    await this.tx.write(rows);
    this.parts++;
  }
}
