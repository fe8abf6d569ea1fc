/**
 * The benchmark database: a SQLite file under var/bench/ holding the synthetic /16 year
 * (synth.ts), one committed "file" per day through the real store (ingest/store), then
 * the anomaly detectors run once over every day, as `scanline ingest` does after an
 * ingest. The file is named after the scale, so a rerun with the same flags reuses it:
 * days already in the ledger are skipped (an interrupted seed resumes), and a finished
 * seed is recorded in a JSON file beside it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { warmAfterIngest } from '@/ingest/cli/warm-command';
import { openStore } from '@/ingest/store';
import { detectPending, detectPresetPeriods } from '@/lib/anomalies/run';
import { disconnectPrisma, getPrisma } from '@/lib/db';
import { deployMigrations } from '@/lib/db/migrations';
import { openSqlite } from '@/lib/db/raw';
import { projectRoot } from '@/lib/db/url';
import { Synth, type SynthOptions, synthKey } from './synth';

export const SENSOR = 'slash16';
/** RFC 2544 benchmarking space: dark by definition (the simulator's /16 uses it too). */
export const SENSOR_PREFIX = '198.18.0.0/16';

export interface SeedInfo {
  key: string;
  days: number;
  first: string;
  last: string;
  /** Rows per table (all sensors, i.e. sensor and rollup rows). */
  rows: Record<string, number>;
  packets: number;
  /** Mean distinct sources per day (aggregates). */
  sourcesPerDay: number;
  hostRowsPerDay: number;
  /** Seconds to write every day (null when the seed was resumed). */
  seedSeconds: number | null;
  detectSeconds: number;
  anomalies: number;
  fileBytes: number;
  /** Set when measured before the seed finished (--partial): the days stored so far, no anomaly detection. */
  partial?: boolean;
  /** --partial --detected: `scanline detect` has been run over the days stored so far. */
  detected?: boolean;
}

export interface Seeded {
  url: string;
  file: string;
  info: SeedInfo;
  /** False when the cached file was complete and nothing was written. */
  seededNow: boolean;
  /**
   * Seconds `scanline warm` took to make the missing month caches, as after an ingest
   * (a few when a cached file's are made already); null for --partial.
   */
  warmSeconds: number | null;
}

/** The month caches an ingest makes after detection (ingest/cli/warm-command.ts). */
async function warm(url: string, log: (line: string) => void): Promise<number> {
  log('making the month caches (as after an ingest)...');
  return (await warmAfterIngest(url, { log })).seconds;
}

/** The tables a seed fills day by day. */
export const DAILY_TABLES = [
  'daily_total',
  'daily_port',
  'daily_country',
  'daily_country_port',
  'daily_window',
  'daily_tag',
  'daily_host',
];
const TABLES = [...DAILY_TABLES, 'anomaly'];

function fileSize(file: string): number {
  let n = 0;
  for (const s of ['', '-wal']) if (existsSync(file + s)) n += statSync(file + s).size;
  return n;
}

function fmtSeconds(s: number): string {
  if (s < 90) return `${s.toFixed(0)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Seeds (or reuses) the benchmark database for `opts`; `log` gets progress lines. */
export async function seedBenchDb(
  opts: SynthOptions,
  log: (line: string) => void,
  partial = false,
  detected = false,
): Promise<Seeded> {
  const key = synthKey(opts);
  const dir = path.join(projectRoot(), 'var', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `dashboard-${key}.db`);
  const infoFile = path.join(dir, `dashboard-${key}.json`);
  const url = `file:${file}`;
  // New migrations (e.g. an index added since the seed) apply to the cached file too.
  await deployMigrations(url);
  if (existsSync(infoFile)) {
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as SeedInfo;
    return { url, file, info, seededNow: false, warmSeconds: await warm(url, log) };
  }

  if (partial) {
    if (!existsSync(file)) throw new Error(`--partial: no seed started at ${file}`);
    log(
      `--partial: measuring the days seeded so far (no seeding${detected ? ', detection run by scanline detect' : ', no anomaly detection'})`,
    );
    const info = describe(file, key, opts, null, 0);
    return {
      url,
      file,
      info: { ...info, partial: true, detected },
      seededNow: false,
      warmSeconds: null,
    };
  }

  const synth = new Synth(opts);
  const store = await openStore(url);
  const t0 = performance.now();
  let written = 0;
  try {
    const sensorId = await store.ensureSensor(SENSOR, SENSOR_PREFIX);
    for (let d = 0; d < opts.days; d++) {
      const day = synth.dayOf(d);
      const sha256 = createHash('sha256')
        .update(`scanline-dashboard-bench|${key}|${day}`)
        .digest('hex');
      if (await store.hasFile(sha256)) continue;
      const t = performance.now();
      const s = synth.day(d);
      const built = performance.now() - t;
      const a = s.aggregates;
      const rows =
        a.ports.length +
        a.countries.length +
        a.countryPorts.length +
        a.windows.length +
        a.tags.length +
        1;
      const sec = Date.parse(`${day}T00:00:00Z`) / 1000;
      await store.commitFile(
        {
          sha256,
          path: `bench/${SENSOR}/${day}.pcap`,
          size: s.packets * 60,
          status: 'complete',
          format: 'pcap',
          compression: 'none',
          linkTypes: [1],
          packets: s.packets,
          ipPackets: s.packets,
          first: { sec, nsec: 0 },
          last: { sec: sec + 86399, nsec: 0 },
          error: null,
          datasets: { bench: `scanline-dashboard-bench@${key}` },
          durationMs: Math.round(performance.now() - t),
        },
        sensorId,
        a,
      );
      written++;
      const elapsed = (performance.now() - t0) / 1000;
      const eta = (elapsed / written) * (opts.days - d - 1);
      log(
        `seed ${day}: ${s.packets.toLocaleString('en')} packets, ${s.sources.toLocaleString('en')} sources, ${rows.toLocaleString('en')} aggregate rows x2 (rollup) + ${a.hosts.length.toLocaleString('en')} host rows; built ${(built / 1000).toFixed(1)} s, stored ${((performance.now() - t - built) / 1000).toFixed(1)} s; ETA ${fmtSeconds(eta)}`,
      );
    }
  } finally {
    await store.close();
  }
  const seedSeconds = (performance.now() - t0) / 1000;

  log('detecting anomalies over every day (as after an ingest)...');
  const td = performance.now();
  const prisma = getPrisma(url);
  await detectPending(prisma);
  await detectPresetPeriods(prisma);
  const detectSeconds = (performance.now() - td) / 1000;
  await disconnectPrisma(url);

  const info = describe(file, key, opts, written === opts.days ? seedSeconds : null, detectSeconds);
  writeFileSync(infoFile, `${JSON.stringify(info, null, 2)}\n`);
  return { url, file, info, seededNow: true, warmSeconds: await warm(url, log) };
}

/** Row counts and totals of a seeded file (its days: the distinct days stored). */
function describe(
  file: string,
  key: string,
  opts: SynthOptions,
  seedSeconds: number | null,
  detectSeconds: number,
): SeedInfo {
  const db = openSqlite(`file:${file}`);
  const counts: Record<string, number> = {};
  try {
    for (const t of TABLES) {
      counts[t] = (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    }
    const [tot] = db
      .prepare(
        'SELECT COUNT(*) AS days, MIN(day) AS first, MAX(day) AS last, SUM(packets) AS packets, AVG(sources) AS sources FROM daily_total WHERE sensor_id = 0',
      )
      .all() as { days: number; first: string; last: string; packets: number; sources: number }[];
    db.pragma('wal_checkpoint(TRUNCATE)');
    const days = tot!.days || opts.days;
    return {
      key,
      days,
      first: tot!.first,
      last: tot!.last,
      rows: counts,
      packets: Number(tot!.packets),
      sourcesPerDay: Math.round(Number(tot!.sources)),
      hostRowsPerDay: Math.round((counts.daily_host ?? 0) / days),
      seedSeconds,
      detectSeconds,
      anomalies: counts.anomaly ?? 0,
      fileBytes: fileSize(file),
    };
  } finally {
    db.close();
  }
}
