/**
 * The monthly rollups of new (day, sensor) pairs by one grouped UPSERT per pair, instead
 * of their insert triggers (set aside meanwhile, sqlite-trigger-aside.ts). Each statement
 * adds what the trigger would add row by row: the pair's packets per key into its month.
 * Update and delete triggers stay in place, so merges into stored rows roll up as before.
 */
import type { SqliteDatabase } from '../../lib/db/raw';
import { TriggerAside } from './sqlite-trigger-aside';

interface Rollup {
  trigger: string;
  monthly: string;
  keys: readonly string[];
}

/** Daily table -> its insert trigger and monthly table (see the rollup migrations). */
const ROLLUPS: Readonly<Record<string, Rollup>> = {
  daily_port: {
    trigger: 'daily_port_rollup_insert',
    monthly: 'monthly_port',
    keys: ['proto', 'port'],
  },
  daily_country: {
    trigger: 'daily_country_rollup_insert',
    monthly: 'monthly_country',
    keys: ['country'],
  },
  daily_country_port: {
    trigger: 'daily_country_port_rollup_insert',
    monthly: 'monthly_country_port',
    keys: ['country', 'proto', 'port'],
  },
};

export class MonthlyRollupWriter {
  private constructor(
    private readonly db: SqliteDatabase,
    private readonly rollup: Rollup,
    private readonly aside: TriggerAside,
    private readonly daily: string,
  ) {}

  /** Sets the table's rollup trigger aside; null for a table without one (or without the trigger). */
  static begin(db: SqliteDatabase, daily: string): MonthlyRollupWriter | null {
    const rollup = ROLLUPS[daily];
    if (rollup === undefined) return null;
    const aside = TriggerAside.begin(db, rollup.trigger);
    return aside ? new MonthlyRollupWriter(db, rollup, aside, daily) : null;
  }

  /** Rolls up the rows of these (day, sensor) pairs, which had no rows before, and restores the trigger. */
  finish(pairs: readonly (readonly [day: string, sensorId: number])[]): void {
    const keys = this.rollup.keys.map((k) => `"${k}"`).join(', ');
    const upsert = this.db.prepare(
      `INSERT INTO ${this.rollup.monthly} ("sensor_id", "month", ${keys}, "packets")
       SELECT "sensor_id", substr("day", 1, 7), ${keys}, SUM("packets")
       FROM ${this.daily} WHERE "day" = ? AND "sensor_id" = ?
       GROUP BY ${keys}
       ON CONFLICT ("sensor_id", "month", ${keys}) DO UPDATE SET "packets" = "packets" + excluded."packets"`,
    );
    for (const [day, sid] of pairs) upsert.run(day, sid);
    this.aside.restore();
  }
}
