/**
 * daily_host_port rows for the host rows of a new (day, sensor) pair, by one statement
 * sorted by the table's key, instead of the `daily_host_port_insert` row trigger (set
 * aside meanwhile, sqlite-trigger-aside.ts). The trigger expands each row's ports with
 * json_each and inserts them one at a time in host order: measured 12-16 s per 624k host
 * rows, two thirds of the host phase (docs/BENCHMARKS.md). Rows a merge already wrote
 * (through the update trigger) are the same rows and are left alone.
 */
import type { DerivedRows } from './sqlite-trigger-aside';

export const HOST_PORTS: DerivedRows = {
  trigger: 'daily_host_port_insert',
  fill: `INSERT OR IGNORE INTO daily_host_port (port, day, packets, ip, sensor_id, country, asn)
    SELECT j.key, h.day, h.packets, h.ip, h.sensor_id, h.country, h.asn
    FROM daily_host AS h, json_each(h.ports) AS j
    WHERE h.day = ? AND h.sensor_id = ?
    ORDER BY 1, 2, 3, 4, 5`,
};
