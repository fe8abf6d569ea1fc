/**
 * The month caches (month_sketch, month_host_list) made ahead of the first request that
 * needs them. A ranking over a quarter or a year merges each ranked key's sketches over
 * the period; a whole month without a kept sketch is read from its ~30 daily rows, which
 * at /16 scale is most of a first request (a country's top ports over a year: 1.4 s,
 * 12 months of 25 ports x 30 days; one month of a port's 250 countries: 0.9 s), where
 * kept sketches answer in tens of milliseconds.
 *
 * So after an ingest (`scanline warm`, run by `scanline ingest`), every whole month of the
 * data gets the sketches of the keys the views rank: every country; the month's
 * `ports` busiest ports; each country's `portsPerCountry` busiest ports; the countries
 * of each of the `portsWithCountries` busiest ports; and the host lists of every host
 * and of the `hostCountries` busiest countries. A period's ranking that reaches keys
 * outside these makes their months as before. Months already warm (their kept rows
 * match the month's packet total) cost one read each. All-sensors scope only: the views'
 * default, and the only scope whose months are kept (month-sketches.ts).
 */
import 'server-only';
import { type DataSpan, monthOf } from '@/lib/api/period';
import type { Proto } from '@/lib/api/port-key';
import { dataExtent, num, Prisma, ROLLUP_SENSOR_ID, rows, type SensorScope } from './db';
import { getHosts } from './hosts';
import { periodSources, type SketchSource } from './month-sketches';
import { countrySketches, UNKNOWN_COUNTRY } from './top-countries';
import { portSketches } from './top-ports';

export interface WarmOptions {
  /** Busiest ports per month whose sketches are made (the Overview's ranking). */
  ports?: number;
  /** Busiest ports of each country (a country's top ports). */
  portsPerCountry?: number;
  /** Busiest ports whose countries' sketches are made (a port's top countries). */
  portsWithCountries?: number;
  /** Busiest countries whose host lists are made, besides every host's. */
  hostCountries?: number;
  /** Only these months ('YYYY-MM'); default every whole month of the data. */
  months?: string[];
  log?: (line: string) => void;
}

export const WARM_DEFAULTS = {
  ports: 100,
  portsPerCountry: 25,
  portsWithCountries: 25,
  hostCountries: 20,
} as const;

export interface WarmSummary {
  months: string[];
  /** Keys whose month sketch was asked for (kept or made), and host lists. */
  sketchKeys: number;
  hostLists: number;
  seconds: number;
}

const ALL: SensorScope = { ids: [ROLLUP_SENSOR_ID], names: [], combined: false };

/** Whole calendar months inside the data's extent that have data. */
export function wholeMonths(extent: DataSpan): string[] {
  return extent.months.filter((m) => {
    const p = monthOf(`${m}-01`);
    return p.from >= extent.from && p.to <= extent.to;
  });
}

async function busiestPorts(month: string, n: number): Promise<{ proto: Proto; port: number }[]> {
  const rs = await rows<{ proto: Proto; port: unknown }>(Prisma.sql`
    SELECT proto, port FROM monthly_port
    WHERE sensor_id = ${ROLLUP_SENSOR_ID} AND month = ${month} AND proto IN ('tcp', 'udp')
    ORDER BY packets DESC, proto, port LIMIT ${n}`);
  return rs.map((r) => ({ proto: r.proto, port: num(r.port) }));
}

async function countriesByPackets(month: string): Promise<string[]> {
  const rs = await rows<{ country: string }>(Prisma.sql`
    SELECT country FROM monthly_country
    WHERE sensor_id = ${ROLLUP_SENSOR_ID} AND month = ${month} AND country <> ${UNKNOWN_COUNTRY}
    ORDER BY packets DESC, country`);
  return rs.map((r) => r.country);
}

async function portsOfCountry(month: string, country: string, n: number): Promise<string[]> {
  const rs = await rows<{ proto: string; port: unknown }>(Prisma.sql`
    SELECT proto, port FROM monthly_country_port
    WHERE sensor_id = ${ROLLUP_SENSOR_ID} AND country = ${country} AND month = ${month}
      AND proto IN ('tcp', 'udp')
    ORDER BY packets DESC, proto, port LIMIT ${n}`);
  return rs.map((r) => `${num(r.port)}/${r.proto}`);
}

async function countriesOfPort(month: string, port: { proto: Proto; port: number }) {
  const rs = await rows<{ country: string }>(Prisma.sql`
    SELECT country FROM monthly_country_port
    WHERE sensor_id = ${ROLLUP_SENSOR_ID} AND proto = ${port.proto} AND port = ${port.port}
      AND month = ${month} AND country <> ${UNKNOWN_COUNTRY}`);
  return rs.map((r) => r.country);
}

/** Makes the missing month caches of the whole months (see the top of the file). */
export async function warmMonthCaches(opts: WarmOptions = {}): Promise<WarmSummary> {
  const o = { ...WARM_DEFAULTS, ...opts };
  const started = performance.now();
  const extent = await dataExtent();
  const months = opts.months ?? (extent ? wholeMonths(extent) : []);
  let sketchKeys = 0;
  let hostLists = 0;
  for (const month of months) {
    const t = performance.now();
    const period = monthOf(`${month}-01`);
    const countries = await countriesByPackets(month);
    const ports = await busiestPorts(month, Math.max(o.ports, o.portsWithCountries));
    const keysBefore = sketchKeys;
    const sketch = async (src: SketchSource, keys: string[]) => {
      if (keys.length === 0) return;
      await periodSources(src, period, ALL, keys);
      sketchKeys += keys.length;
    };
    await sketch(countrySketches(ALL), countries);
    await sketch(
      portSketches(ALL),
      ports.slice(0, o.ports).map((p) => `${p.port}/${p.proto}`),
    );
    for (const country of countries) {
      await sketch(
        portSketches(ALL, country),
        await portsOfCountry(month, country, o.portsPerCountry),
      );
    }
    for (const port of ports.slice(0, o.portsWithCountries)) {
      await sketch(countrySketches(ALL, port), await countriesOfPort(month, port));
    }
    const hostSlices = [undefined, ...countries.slice(0, o.hostCountries)];
    for (const country of hostSlices) {
      // A whole month's ranking makes the month's list first (hosts.ts), and then reads it.
      await getHosts(
        { period, country, limit: 50, scope: ALL },
        { monthLists: { background: false } },
      );
      hostLists++;
    }
    opts.log?.(
      `warm ${month}: ${sketchKeys - keysBefore} month sketches, ${hostSlices.length} host lists in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  return { months, sketchKeys, hostLists, seconds: (performance.now() - started) / 1000 };
}
