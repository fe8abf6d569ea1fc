/**
 * Reads every aggregate back through the Prisma client (which also proves the ingest's
 * raw writes are what Prisma expects), normalised for comparisons: one object per
 * table, keyed by the row's key with the sensor id first.
 */

import { SourceSketch } from '../../ingest/aggregate/source-sketch';
import { getPrisma } from '../../lib/db/prisma';

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
