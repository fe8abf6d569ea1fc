/**
 * Reads every aggregate back through the Prisma client (which also proves the ingest's
 * raw writes are what Prisma expects), normalised for comparisons: one object per
 * table, keyed by the row's key with the sensor id first.
 */

import { SourceSketch } from '../../ingest/aggregate/source-sketch';
import { getPrisma } from '../../lib/db/prisma';
import { engineOf } from '../../lib/db/url';

export interface SketchCell {
  packets: number;
  sources: number;
  /** The stored sketch's own estimate, rounded. */
  estimate: number;
  sketch: string;
}

export type Dump = Record<string, Record<string, unknown>>;

function cell(r: { packets: bigint; sources: number; sketch: Uint8Array }): SketchCell {
  return {
    packets: Number(r.packets),
    sources: r.sources,
    estimate: Math.round(SourceSketch.deserialize(r.sketch).estimate()),
    sketch: Buffer.from(r.sketch).toString('hex'),
  };
}

/** All aggregate tables of a database (hosts as plain objects, dates as ISO text). */
export async function dumpAggregates(url: string): Promise<Dump> {
  const p = getPrisma(url);
  const out: Dump = {};
  const put = (table: string, key: (string | number)[], value: unknown) => {
    out[table] ??= {};
    out[table][key.join('|')] = value;
  };
  for (const r of await p.dailyTotal.findMany()) put('total', [r.sensorId, r.day], cell(r));
  for (const r of await p.dailyPort.findMany())
    put('port', [r.sensorId, r.day, r.proto, r.port], cell(r));
  for (const r of await p.dailyCountry.findMany())
    put('country', [r.sensorId, r.day, r.country], cell(r));
  for (const r of await p.dailyCountryPort.findMany()) {
    put('countryPort', [r.sensorId, r.day, r.country, r.proto, r.port], cell(r));
  }
  for (const r of await p.dailyWindow.findMany()) {
    put('window', [r.sensorId, r.day, r.country, r.port, r.window], cell(r));
  }
  for (const r of await p.dailyTag.findMany())
    put('tag', [r.sensorId, r.day, r.tag, r.proto, r.port], cell(r));
  for (const r of await p.monthlyPort.findMany())
    put('monthlyPort', [r.sensorId, r.month, r.proto, r.port], Number(r.packets));
  for (const r of await p.monthlyCountry.findMany())
    put('monthlyCountry', [r.sensorId, r.month, r.country], Number(r.packets));
  for (const r of await p.monthlyCountryPort.findMany()) {
    put('monthlyCountryPort', [r.sensorId, r.month, r.country, r.proto, r.port], Number(r.packets));
  }
  for (const r of await p.dailyPortWindow.findMany()) {
    put('portWindow', [r.sensorId, r.port, r.day, r.window], {
      packets: Number(r.packets),
      sources: r.sources,
    });
  }
  for (const r of await p.dailyHost.findMany()) {
    const { sensorId, day, ip, ...rest } = r;
    put('host', [sensorId, day, ip], {
      ...Object.fromEntries(
        Object.entries(rest).map(([k, v]) => [
          k,
          typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v,
        ]),
      ),
      ports: JSON.parse(r.ports),
      fingerprints: JSON.parse(r.fingerprints),
    });
  }
  return out;
}

/** Only the rows of one sensor, keys without the sensor id. */
export function sensorRows(dump: Dump, sensorId: number): Dump {
  const out: Dump = {};
  for (const [table, rows] of Object.entries(dump)) {
    for (const [key, v] of Object.entries(rows)) {
      const [sid, ...rest] = key.split('|');
      if (Number(sid) !== sensorId) continue;
      out[table] ??= {};
      out[table][rest.join('|')] = v;
    }
  }
  return out;
}

const ROLLUPS = [
  ['monthly_port', 'daily_port', 'proto, port'],
  ['monthly_country', 'daily_country', 'country'],
  ['monthly_country_port', 'daily_country_port', 'country, proto, port'],
] as const;

/** daily_port_window against the rollup's daily_window summed over countries. */
const PORT_WINDOW_SUMS = `SELECT sensor_id, port, day, "window", CAST(SUM(packets) AS BIGINT) AS packets,
  CAST(SUM(sources) AS INTEGER) AS sources FROM daily_window WHERE sensor_id = 0
  GROUP BY sensor_id, port, day, "window"`;
const PORT_WINDOW_ROWS = `SELECT sensor_id, port, day, "window", packets, sources FROM daily_port_window`;

/** daily_host_port against the keys of each daily_host row's ports JSON. */
function hostPortsExpanded(url: string): string {
  const [key, keys] =
    engineOf(url) === 'sqlite'
      ? ['j.key', 'json_each(h.ports) AS j']
      : ['k', 'json_object_keys(h.ports::json) AS k'];
  return `SELECT ${key} AS port, h.day, h.packets, h.ip, h.sensor_id, h.country, h.asn
    FROM daily_host h, ${keys}`;
}
const HOST_PORT_ROWS = `SELECT port, day, packets, ip, sensor_id, country, asn FROM daily_host_port`;

/**
 * Rows where a table kept by triggers (the monthly rollups, daily_port_window,
 * daily_host_port) differs
 * from the sums of the rows it is kept from (both ways), on either engine: empty when the
 * triggers kept them equal.
 */
export async function rollupMismatches(url: string): Promise<unknown[]> {
  const p = getPrisma(url);
  const pairs: [table: string, sums: string, kept: string][] = ROLLUPS.map(
    ([monthly, daily, keys]) => [
      monthly,
      `SELECT sensor_id, substr(day, 1, 7) AS month, ${keys}, CAST(SUM(packets) AS BIGINT) AS packets
      FROM ${daily} GROUP BY sensor_id, substr(day, 1, 7), ${keys}`,
      `SELECT sensor_id, month, ${keys}, packets FROM ${monthly}`,
    ],
  );
  pairs.push(['daily_port_window', PORT_WINDOW_SUMS, PORT_WINDOW_ROWS]);
  pairs.push(['daily_host_port', hostPortsExpanded(url), HOST_PORT_ROWS]);
  const out: unknown[] = [];
  for (const [table, sums, kept] of pairs) {
    for (const [a, b] of [
      [sums, kept],
      [kept, sums],
    ]) {
      const rows = await p.$queryRawUnsafe<unknown[]>(
        `SELECT * FROM (${a}) x EXCEPT SELECT * FROM (${b}) y`,
      );
      out.push(...rows.map((r) => ({ table, ...(r as object) })));
    }
  }
  return out;
}
