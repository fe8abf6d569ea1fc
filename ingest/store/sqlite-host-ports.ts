/**
 * daily_host_port rows for the host rows of new days, by one statement per day sorted by
 * the table's key, instead of the `daily_host_port_insert` row trigger (set aside meanwhile,
 * sqlite-trigger-aside.ts). The trigger expands each row's ports with json_each and inserts
 * them one at a time in host order: measured 12-16 s per 624k host rows, two thirds of the
 * host phase (docs/BENCHMARKS.md).
 */
import type { SqliteDatabase } from '../../lib/db/raw';
import { TriggerAside } from './sqlite-trigger-aside';

export const HOST_PORT_TRIGGER = 'daily_host_port_insert';

export class HostPortWriter {
  private constructor(
    private readonly db: SqliteDatabase,
    private readonly aside: TriggerAside,
  ) {}

  /** Sets the trigger aside; finish() must run before the transaction commits. Null without the trigger. */
  static begin(db: SqliteDatabase): HostPortWriter | null {
    const aside = TriggerAside.begin(db, HOST_PORT_TRIGGER);
    return aside ? new HostPortWriter(db, aside) : null;
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
    this.aside.restore();
    return n;
  }
}
