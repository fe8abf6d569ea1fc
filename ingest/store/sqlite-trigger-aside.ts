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

export class TriggerAside {
  private constructor(
    private readonly db: SqliteDatabase,
    private readonly sql: string,
  ) {}

  /** Drops the trigger (inside a transaction) and keeps its SQL; null when there is no such trigger. */
  static begin(db: SqliteDatabase, name: string): TriggerAside | null {
    if (!db.inTransaction) throw new Error('TriggerAside.begin: not inside a transaction');
    const row = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
      .get(name) as { sql: string } | undefined;
    if (row === undefined) return null;
    db.exec(`DROP TRIGGER "${name}"`);
    return new TriggerAside(db, row.sql);
  }

  /** Creates the trigger again, exactly as it was. */
  restore(): void {
    this.db.exec(this.sql);
  }
}
