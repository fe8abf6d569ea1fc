/**
 * The monthly rollups of a new (day, sensor) pair by one grouped UPSERT, instead of their
 * insert triggers (set aside meanwhile, sqlite-trigger-aside.ts). Each statement adds
 * what the trigger would add row by row: the pair's packets per key into its month.
 * Update and delete triggers stay in place, so merges into stored rows roll up as before.
 */
import type { DerivedRows } from './sqlite-trigger-aside';

function rollup(daily: string, monthly: string, keyCols: readonly string[]): DerivedRows {
  const keys = keyCols.map((k) => `"${k}"`).join(', ');
  return {
    trigger: `${daily}_rollup_insert`,
    fill: `INSERT INTO ${monthly} ("sensor_id", "month", ${keys}, "packets")
      SELECT "sensor_id", substr("day", 1, 7), ${keys}, SUM("packets")
      FROM ${daily} WHERE "day" = ? AND "sensor_id" = ?
      GROUP BY ${keys}
      ON CONFLICT ("sensor_id", "month", ${keys}) DO UPDATE SET "packets" = "packets" + excluded."packets"`,
  };
}

/** Daily table -> its monthly rollup (see the rollup migrations). */
export const MONTHLY_ROLLUPS: Readonly<Record<string, DerivedRows>> = {
  daily_port: rollup('daily_port', 'monthly_port', ['proto', 'port']),
  daily_country: rollup('daily_country', 'monthly_country', ['country']),
  daily_country_port: rollup('daily_country_port', 'monthly_country_port', [
    'country',
    'proto',
    'port',
  ]),
};
