/**
 * `scanline simulate`: writes the synthetic telescope's captures for a scenario.
 *
 *   scanline simulate --scenario 2020-q3 --out var/captures/2020-q3 --scale demo
 *
 * Layout: <out>/<sensor>/<sensor>-YYYYMMDD[HH].pcap[ng], then <out>/scenario.json (the
 * scenario, seed, scale, sensors and their prefixes, files) and last <out>/.complete
 * (the parameters as JSON), so a caller can reuse a finished directory.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type GeoDb, loadGeoDb } from '../enrich/geo-db';
import { dayNumber } from './days';
import { type CaptureFormat, type FileInfo, type FilePer, generate } from './engine';
import type { TsResolution } from './pcap-writer';
import { ipv4ToString, isScaleName, parsePrefix, SCALES, type ScaleName } from './scales';
import type { Population, Scenario } from './scenario-types';
import { compileFull, SCENARIOS, scenarioByName } from './scenarios';

/** Bump when the bytes a given seed and arguments produce change. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 20200930;

export interface SimulateOptions {
  scenario: string;
  outDir: string;
  scale?: ScaleName;
  seed?: number;
  format?: CaptureFormat;
  per?: FilePer;
  resolution?: TsResolution;
  from?: string;
  to?: string;
  /** Return at once when <out>/.complete records the same parameters. */
  reuse?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  geo?: GeoDb;
}

export interface SimulateSummary {
  outDir: string;
  reused: boolean;
  files: FileInfo[];
  packets: number;
  bytes: number;
  seconds: number;
  params: CompleteParams;
}

export interface CompleteParams {
  generator: 'scanline-simulate';
  version: number;
  scenario: string;
  scale: ScaleName;
  seed: number;
  format: CaptureFormat;
  per: FilePer;
  resolution: TsResolution;
  from: string;
  to: string;
}

const USAGE = `usage: scanline simulate --scenario NAME [--out DIR] [options]

Writes synthetic darknet captures (real pcap / pcapng files) for a scenario.

options:
  --scenario NAME     ${Object.keys(SCENARIOS).join(', ')}
  --out DIR           output directory (default var/captures/<scenario>)
  --scale S           test | demo | sensor | slash16 (default demo)
  --seed N            run seed, a 32-bit integer (default ${DEFAULT_SEED})
  --format F          pcap | pcapng (default pcap)
  --per P             day | hour: one file per sensor per day or hour (default day)
  --ts R              us | ns timestamp resolution (default us)
  --from YYYY-MM-DD   first day (default the scenario's start)
  --to YYYY-MM-DD     last day (default the scenario's end)
  --reuse             do nothing if <out>/.complete records the same parameters
  --quiet             no per-day progress lines`;

const OUR_FILE = /^[a-z0-9-]+-\d{8}(\d{2})?\.pcap(ng)?$/;

function sameParams(a: CompleteParams, b: CompleteParams): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Empties a previous run's files from `dir`; refuses a non-empty directory that is not ours. */
function prepareOutDir(dir: string): void {
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir);
  if (entries.length === 0) return;
  const ours = entries.includes('scenario.json') || entries.includes('.complete');
  if (!ours) throw new Error(`refusing to write into ${dir}: not empty and not a simulate output`);
  rmSync(path.join(dir, '.complete'), { force: true });
  rmSync(path.join(dir, 'scenario.json'), { force: true });
  for (const e of entries) {
    const sub = path.join(dir, e);
    if (!statSync(sub).isDirectory()) continue;
    for (const f of readdirSync(sub)) if (OUR_FILE.test(f)) rmSync(path.join(sub, f));
    if (readdirSync(sub).length === 0) rmSync(sub, { recursive: true });
  }
}

function describePopulation(p: Population): Record<string, unknown> {
  return {
    name: p.name,
    description: p.description,
    countries: p.countries,
    ...(p.asns ? { asns: p.asns } : {}),
    trend: p.trend,
    ...(p.active ? { active: p.active } : {}),
    ...(p.bursts ? { bursts: p.bursts } : {}),
    ports: p.ports,
    shape: p.shape,
    hosts: p.hosts,
  };
}

function scenarioJson(s: Scenario): Record<string, unknown> {
  return {
    name: s.name,
    title: s.title,
    description: s.description,
    start: s.start,
    end: s.end,
    referenceUnitPackets: s.referenceUnitPackets,
    populations: s.populations.map(describePopulation),
    noise: s.noise
      ? {
          seed: s.noise.seed,
          perCountry: s.noise.perCountry,
          restUnits: s.noise.rest.units,
          restCountries: Object.keys(s.noise.rest.countries).length,
        }
      : null,
  };
}

/** Generates a scenario's captures (the programmatic form of the command). */
export async function simulate(o: SimulateOptions): Promise<SimulateSummary> {
  const scenario = scenarioByName(o.scenario);
  const scale = SCALES[o.scale ?? 'demo'];
  const seed = (o.seed ?? DEFAULT_SEED) >>> 0;
  const from = o.from ?? scenario.start;
  const to = o.to ?? scenario.end;
  const fromDay = dayNumber(from);
  const toDay = dayNumber(to);
  if (fromDay < dayNumber(scenario.start) || toDay > dayNumber(scenario.end) || fromDay > toDay) {
    throw new Error(`--from/--to must lie within ${scenario.start} .. ${scenario.end}`);
  }
  const params: CompleteParams = {
    generator: 'scanline-simulate',
    version: GENERATOR_VERSION,
    scenario: scenario.name,
    scale: scale.name,
    seed,
    format: o.format ?? 'pcap',
    per: o.per ?? 'day',
    resolution: o.resolution ?? 'us',
    from,
    to,
  };
  const outDir = o.outDir;
  const marker = path.join(outDir, '.complete');
  if (o.reuse && existsSync(marker)) {
    try {
      const prev = JSON.parse(readFileSync(marker, 'utf8')) as CompleteParams;
      if (sameParams(prev, params)) {
        o.log?.(`${outDir}: up to date (${scenario.name}, scale ${scale.name}, seed ${seed})`);
        return { outDir, reused: true, files: [], packets: 0, bytes: 0, seconds: 0, params };
      }
    } catch {
      // An unreadable marker: regenerate.
    }
  }
  prepareOutDir(outDir);
  mkdirSync(outDir, { recursive: true });
  // Marks the directory as ours at once, so a run that fails half-way can be redone.
  writeFileSync(
    path.join(outDir, 'scenario.json'),
    `${JSON.stringify({ generator: 'scanline-simulate', version: GENERATOR_VERSION, params, incomplete: true })}\n`,
  );
  const geo = o.geo ?? loadGeoDb();
  const compiled = compileFull(scenario);
  o.log?.(
    `simulate ${scenario.name}: ${from} .. ${to}, scale ${scale.name} ` +
      `(${scale.sensors.length} sensors, ${scale.sensors.map((s) => s.prefix).join(' ')}), seed ${seed}, ` +
      `${params.format} per ${params.per}, ${compiled.subpops.length} source groups`,
  );
  const width = String(toDay - fromDay + 1).length;
  const result = generate({
    compiled,
    scale,
    seed,
    outDir,
    geo,
    format: params.format,
    per: params.per,
    resolution: params.resolution,
    fromDay,
    toDay,
    onDay: (d) =>
      o.log?.(
        `[${String(d.index).padStart(width)}/${d.count}] ${d.day}  ${d.files} files  ` +
          `${d.packets.toLocaleString('en-US')} packets  ${(d.bytes / 1e6).toFixed(2)} MB`,
      ),
  });

  // Named hosts (fixed-size populations, e.g. the DDoS victims), for reports and tests.
  const named = new Map<
    string,
    { country: string; asns: readonly number[]; hosts: number; populations: string[] }
  >();
  for (const sp of compiled.subpops) {
    if (sp.fixedHosts < 0) continue;
    const e = named.get(sp.pool) ?? {
      country: sp.country,
      asns: sp.asns ?? [],
      hosts: 0,
      populations: [],
    };
    e.hosts = Math.max(e.hosts, sp.fixedHosts);
    e.populations.push(sp.population);
    named.set(sp.pool, e);
  }
  const manifest = {
    generator: 'scanline-simulate',
    version: GENERATOR_VERSION,
    params,
    scenario: scenarioJson(scenario),
    scale: {
      name: scale.name,
      description: scale.description,
      unitPackets: scale.unitPackets,
      hostFactor: scale.hostFactor,
    },
    sensors: scale.sensors.map((s) => {
      const { size } = parsePrefix(s.prefix);
      return { name: s.name, prefix: s.prefix, monitored: [s.prefix], addresses: size };
    }),
    namedHosts: [...named.entries()].map(([pool, e]) => ({
      pool,
      country: e.country,
      asns: e.asns.map((asn) => ({ asn, org: geo.asOrg(asn) })),
      populations: e.populations,
      addresses: result.pools.drawn(pool, e.hosts).map(ipv4ToString),
    })),
    totals: { files: result.files.length, packets: result.packets, bytes: result.bytes },
    files: result.files,
  };
  writeFileSync(path.join(outDir, 'scenario.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(marker, `${JSON.stringify(params)}\n`);
  o.log?.(
    `wrote ${result.files.length} files, ${result.packets.toLocaleString('en-US')} packets, ` +
      `${(result.bytes / 1e6).toFixed(1)} MB in ${result.seconds.toFixed(1)} s ` +
      `(${Math.round(result.packets / Math.max(result.seconds, 1e-3)).toLocaleString('en-US')} packets/s) -> ${outDir}`,
  );
  return {
    outDir,
    reused: false,
    files: result.files,
    packets: result.packets,
    bytes: result.bytes,
    seconds: result.seconds,
    params,
  };
}

export async function runSimulate(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        out: { type: 'string' },
        scale: { type: 'string' },
        seed: { type: 'string' },
        format: { type: 'string' },
        per: { type: 'string' },
        ts: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        reuse: { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    console.error(`simulate: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const fail = (msg: string): number => {
    console.error(`simulate: ${msg}\n${USAGE}`);
    return 2;
  };
  const scenario = values.scenario as string | undefined;
  if (!scenario) return fail('--scenario is required');
  if (!SCENARIOS[scenario]) return fail(`unknown scenario '${scenario}'`);
  const scale = (values.scale as string | undefined) ?? 'demo';
  if (!isScaleName(scale)) return fail(`unknown scale '${scale}'`);
  const seedText = values.seed as string | undefined;
  const seed = seedText === undefined ? DEFAULT_SEED : Number(seedText);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    return fail('--seed must be an integer 0..4294967295');
  const format = (values.format as string | undefined) ?? 'pcap';
  if (format !== 'pcap' && format !== 'pcapng') return fail('--format must be pcap or pcapng');
  const per = (values.per as string | undefined) ?? 'day';
  if (per !== 'day' && per !== 'hour') return fail('--per must be day or hour');
  const ts = (values.ts as string | undefined) ?? 'us';
  if (ts !== 'us' && ts !== 'ns') return fail('--ts must be us or ns');
  for (const k of ['from', 'to'] as const) {
    const v = values[k] as string | undefined;
    if (v !== undefined) {
      try {
        dayNumber(v);
      } catch {
        return fail(`--${k} must be a YYYY-MM-DD day`);
      }
    }
  }
  const outDir = (values.out as string | undefined) ?? path.join('var', 'captures', scenario);
  const quiet = values.quiet === true;
  await simulate({
    scenario,
    outDir,
    scale,
    seed,
    format,
    per,
    resolution: ts,
    from: values.from as string | undefined,
    to: values.to as string | undefined,
    reuse: values.reuse === true,
    log: (line) => {
      if (!quiet || !line.startsWith('[')) console.log(line);
    },
  });
  return 0;
}
