/**
 * daily_port_window rows for a new (day, sensor 0) pair of daily_window by one grouped
 * statement, instead of the `daily_window_port_sum_insert` row trigger (set aside
 * meanwhile, sqlite-trigger-aside.ts), which upserts the port's window row once per
 * country. Only the all-sensors rollup has these sums (the trigger's WHEN), so the fill
 * of another sensor's pair writes nothing.
 */
import type { DerivedRows } from './sqlite-trigger-aside';

export const PORT_WINDOW_SUMS: DerivedRows = {
  trigger: 'daily_window_port_sum_insert',
  fill: `INSERT INTO daily_port_window (sensor_id, port, day, "window", packets, sources)
    SELECT sensor_id, port, day, "window", SUM(packets), SUM(sources)
    FROM daily_window
    WHERE day = ? AND sensor_id = ? AND sensor_id = 0
    GROUP BY port, "window"
    ORDER BY port, "window"
    ON CONFLICT (sensor_id, port, day, "window") DO UPDATE SET
      packets = packets + excluded.packets, sources = sources + excluded.sources`,
};
