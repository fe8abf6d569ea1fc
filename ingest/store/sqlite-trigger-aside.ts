/**
 * Setting an insert trigger aside for a bulk write, inside the writer's transaction.
 *
 * Row triggers keep derived tables (monthly rollups, daily_host_port) equal to the daily
 * rows whoever writes them, but they run once per row, in the order the rows come. For a
 * big write to (day, sensor) pairs with no rows yet, the writer drops the trigger, inserts
 * the rows, fills the derived table with one grouped statement per pair, and creates the
 * trigger again before the transaction ends. Other connections only see the schema
 * before or after the transaction, so the trigger is never missing for them; a rollback
 * or crash restores it with everything else.
 */
import type { SqliteDatabase } from '../../lib/db/raw';

/** From this many rows in one write to new (day, sensor) pairs; below it the triggers run (dropping one re-parses the schema). */
export const BULK_DERIVED_MIN = 4096;

/** An insert trigger, and the statement that derives the same rows for one (day, sensor) pair (parameters: day, sensor id). */
export interface DerivedRows {
  trigger: string;
  fill: string;
}

export class TriggerAside {
  private constructor(
    private readonly db: SqliteDatabase,
    private readonly derived: DerivedRows,
    private readonly sql: string,
  ) {}

  /** Drops the trigger (inside a transaction) and keeps its SQL; null when there is no such trigger. */
  static begin(db: SqliteDatabase, derived: DerivedRows): TriggerAside | null {
    if (!db.inTransaction) throw new Error('TriggerAside.begin: not inside a transaction');
    const row = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
      .get(derived.trigger) as { sql: string } | undefined;
    if (row === undefined) return null;
    db.exec(`DROP TRIGGER "${derived.trigger}"`);
    return new TriggerAside(db, derived, row.sql);
  }

  /**
   * Derives the rows of these pairs, which had no rows before this transaction, creates
   * the trigger again exactly as it was, and returns the number of rows the fill wrote.
   */
  finish(pairs: readonly (readonly [day: string, sensorId: number])[]): number {
    const fill = this.db.prepare(this.derived.fill);
    let n = 0;
    for (const [day, sid] of pairs) n += fill.run(day, sid).changes;
    this.db.exec(this.sql);
    return n;
  }
}
