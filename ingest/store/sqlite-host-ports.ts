/**
 * daily_host_port rows for the host rows of new days, written in key order by one
 * statement per day.
 *
 * The migration's row trigger `daily_host_port_insert` keeps daily_host_port equal to the
 * host rows whoever writes them, but it expands each row's ports with json_each and
 * inserts them one row at a time in host order: measured 12-16 s per 624k host rows, two
 * thirds of the host phase (docs/BENCHMARKS.md). For a big bulk the writer sets the
 * trigger aside inside its own transaction, fills the port rows of each new (day, sensor)
 * with one INSERT ... SELECT sorted by the table's key, and puts the trigger back before
 * the transaction ends. Other connections only see the schema before or after the
 * transaction, so the trigger is never missing for them; a rollback or crash restores it
 * with everything else.
 */
import type { SqliteDatabase } from '../../lib/db/raw';

export const HOST_PORT_TRIGGER = 'daily_host_port_insert';

/** Below this many new host rows the trigger writes them (dropping it costs a re-parse of the schema). */
export const BULK_HOST_PORTS_MIN = 4096;

export class HostPortWriter {
  private constructor(
    private readonly db: SqliteDatabase,
    private readonly triggerSql: string,
  ) {}

  /**
   * Sets the insert trigger aside (inside the caller's transaction) and returns a writer
   * that must be finished before the transaction commits; null when the trigger is absent.
   */
  static begin(db: SqliteDatabase): HostPortWriter | null {
    if (!db.inTransaction) throw new Error('HostPortWriter.begin: not inside a transaction');
    const row = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
      .get(HOST_PORT_TRIGGER) as { sql: string } | undefined;
    if (row === undefined) return null;
    db.exec(`DROP TRIGGER "${HOST_PORT_TRIGGER}"`);
    return new HostPortWriter(db, row.sql);
  }

  /**
   * Writes the port rows of every host row of these (day, sensor) pairs, which had no host
   * rows before this transaction, and restores the trigger. Rows a merge already wrote
   * (through the update trigger) are the same rows and are left alone.
   */
  finish(days: readonly string[], sensorId: number): number {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO daily_host_port (port, day, packets, ip, sensor_id, country, asn)
       SELECT j.key, h.day, h.packets, h.ip, h.sensor_id, h.country, h.asn
       FROM daily_host AS h, json_each(h.ports) AS j
       WHERE h.day = ? AND h.sensor_id = ?
       ORDER BY 1, 2, 3, 4, 5`,
    );
    let n = 0;
    for (const day of days) n += insert.run(day, sensorId).changes;
    this.db.exec(this.triggerSql);
    return n;
  }
}
