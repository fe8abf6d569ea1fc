/**
 * Store micro-benchmark: commits synthetic FileAggregates shaped like a 10M-packet
 * telescope file (1M source hosts, ~100k port/country/window/tag rows) and prints rows/s.
 *
 *   npx tsx ingest/bench/store-bench.ts [--hosts N] [--rows N] [postgres://...]
 *
 * Each engine gets a fresh database (SQLite: a temp file; PostgreSQL: a new database
 * created on the given server, dropped afterwards). Three commits are timed:
 *   1. first file of a day: every row is new;
 *   2. a second file of the same day with the same keys: every row merges (sketch
 *      read-merge-write, host merge);
 *   3. the first file again: a duplicate (ledger check only).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { deployMigrations } from '../../lib/db/migrations';
import { redactUrl } from '../../lib/db/url';
import { rng } from '../../tests/support/aggregates';
import type { DailyHostRow, FileAggregates } from '../aggregate/rows';
import { SourceSketch } from '../aggregate/source-sketch';
import { openStore } from '../store';
import type { LedgerEntry } from '../store/types';

const COUNTRIES = Array.from({ length: 200 }, (_, i) =>
  String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)),
);

/** Heavy-tailed sketch sizes: most rows see a few sources, some see thousands. */
function sketchOf(r: () => number, sources: Uint32Array, maxKeys: number): SourceSketch {
  const s = new SourceSketch();
  const k = Math.min(maxKeys, Math.max(1, Math.floor(1 / (r() ** 2 + 1e-6)) - 1));
  for (let i = 0; i < k; i++) s.addIPv4(sources[Math.floor(r() * sources.length)]!);
  return s;
}

function ipString(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

export function synthFile(seed: number, hosts: number, rows: number, day: string): FileAggregates {
  const r = rng(seed);
  const sources = new Uint32Array(hosts);
  for (let i = 0; i < hosts; i++) sources[i] = (0x0b000000 + i * 3) >>> 0; // fixed per run
  const total = new SourceSketch();
  for (let i = 0; i < hosts; i++) total.addIPv4(sources[i]!);
  const split = { ports: 0.45, countryPorts: 0.35, windows: 0.08, tags: 0.1 };
  const n = (f: number) => Math.floor(rows * f);
  const hostRows: DailyHostRow[] = [];
  const agg: FileAggregates = {
    totals: [{ day, packets: hosts * 10, sources: total }],
    ports: [],
    countries: [],
    countryPorts: [],
    windows: [],
    tags: [],
    hosts: hostRows,
  };
  for (let i = 0; i < n(split.ports); i++) {
    agg.ports.push({
      day,
      proto: i % 9 === 0 ? 'udp' : 'tcp',
      port: i,
      packets: 1 + Math.floor(r() * 500),
      sources: sketchOf(r, sources, 5000),
    });
  }
  for (const country of COUNTRIES) {
    agg.countries.push({ day, country, packets: 1000, sources: sketchOf(r, sources, 20000) });
  }
  for (let i = 0; i < n(split.countryPorts); i++) {
    agg.countryPorts.push({
      day,
      country: COUNTRIES[i % 200]!,
      proto: 'tcp',
      port: Math.floor(i / 200),
      packets: 5,
      sources: sketchOf(r, sources, 2000),
    });
  }
  for (let i = 0; i < n(split.windows); i++) {
    agg.windows.push({
      day,
      country: COUNTRIES[i % 200]!,
      port: [23, 22, 445, 80][i % 4]!,
      window: Math.floor(i / 800) * 512,
      packets: 3,
      sources: sketchOf(r, sources, 2000),
    });
  }
  for (let i = 0; i < n(split.tags); i++) {
    agg.tags.push({
      day,
      tag: ['class:scan', 'class:backscatter', 'fp:mirai', 'fp:zmap', 'fp:masscan'][i % 5]!,
      proto: 'tcp',
      port: Math.floor(i / 5),
      packets: 7,
      sources: sketchOf(r, sources, 2000),
    });
  }
  const t0 = Date.parse(`${day}T00:00:00Z`);
  for (let i = 0; i < hosts; i++) {
    const ip = sources[i]!;
    const syn = 1 + Math.floor(r() * 20);
    const h: DailyHostRow = {
      day,
      ip: ipString(ip),
      country: COUNTRIES[ip % 200]!,
      asn: 64512 + (ip % 5000),
      asOrg: `AS${64512 + (ip % 5000)} Example Networks`,
      packets: syn + 1,
      bytes: (syn + 1) * 60,
      ports: { 'tcp/23': syn, 'udp/53': 1 },
      distinctPorts: 2,
      distinctDsts: syn,
      syn,
      synAck: 0,
      rst: 0,
      ack: 0,
      otherTcp: 0,
      udp: 1,
      icmp: 0,
      window: 14600,
      ttl: 50,
      // A per-host value over the whole unsigned 32-bit range (int8 column).
      seq: Math.imul(ip, 0x9e3779b1) >>> 0,
      fingerprints: ip % 7 === 0 ? ['mirai'] : [],
      scanPackets: syn + 1,
      backscatterPackets: 0,
      firstSeen: new Date(t0 + Math.floor(r() * 40_000_000)),
      lastSeen: new Date(t0 + 40_000_000 + Math.floor(r() * 40_000_000)),
      tcpVoteWeight: syn,
      ttlVoteWeight: syn + 1,
    };
    hostRows.push(h);
  }
  return agg;
}

function entry(sha256: string, a: FileAggregates): LedgerEntry {
  return {
    sha256,
    path: `/spool/${sha256}.pcap`,
    size: 1 << 30,
    status: 'complete',
    format: 'pcap',
    compression: 'none',
    linkTypes: [1],
    packets: a.totals[0]?.packets ?? 0,
    ipPackets: a.totals[0]?.packets ?? 0,
    first: { sec: 1709251200, nsec: 0 },
    last: { sec: 1709337599, nsec: 999_999_999 },
    error: null,
    datasets: {},
    durationMs: 0,
  };
}

function rowCount(a: FileAggregates): { other: number; hosts: number } {
  const other =
    a.totals.length +
    a.ports.length +
    a.countries.length +
    a.countryPorts.length +
    a.windows.length +
    a.tags.length;
  return { other, hosts: a.hosts.length };
}

async function bench(label: string, url: string, files: FileAggregates[]): Promise<void> {
  await deployMigrations(url);
  const store = await openStore(url);
  try {
    const sensor = await store.ensureSensor('bench');
    const { other, hosts } = rowCount(files[0]!);
    const rows = other * 2 + hosts; // sketch rows go to the sensor and the rollup
    console.log(
      `${label}: ${hosts} host rows + ${other} other rows (x2 with the rollup) = ${rows} rows per commit`,
    );
    const runs: [string, string, FileAggregates][] = [
      ['new day (all inserts)', 'f1', files[0]!],
      ['same day again (all merges)', 'f2', files[1]!],
      ['duplicate file', 'f1', files[0]!],
    ];
    for (const [what, sha, agg] of runs) {
      const t = performance.now();
      const cpu0 = process.cpuUsage();
      const result = await store.commitFile(entry(sha, agg), sensor, agg);
      const s = (performance.now() - t) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      const rate =
        result === 'stored' ? `${Math.round(rows / s).toLocaleString('en')} rows/s` : result;
      console.log(
        `  ${what.padEnd(30)} ${s.toFixed(2).padStart(6)} s (this process' CPU ${cpuS.toFixed(2)} s)  ${rate}`,
      );
    }
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      hosts: { type: 'string', default: '1000000' },
      rows: { type: 'string', default: '100000' },
    },
    allowPositionals: true,
  });
  const hosts = Number(values.hosts);
  const rows = Number(values.rows);
  let t = performance.now();
  const files = [synthFile(1, hosts, rows, '2024-03-01'), synthFile(2, hosts, rows, '2024-03-01')];
  console.log(`synthetic aggregates built in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'scanline-bench-'));
  try {
    await bench('SQLite (WAL, synchronous=NORMAL)', `file:${path.join(dir, 'bench.db')}`, files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const pgUrl = positionals[0] ?? process.env.SCANLINE_BENCH_PG_URL;
  if (!pgUrl) {
    console.log('PostgreSQL: skipped (give a server URL whose user may CREATE DATABASE)');
    return;
  }
  const name = `scanline_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  try {
    const u = new URL(pgUrl);
    u.pathname = `/${name}`;
    t = performance.now();
    await bench(`PostgreSQL (${redactUrl(pgUrl)})`, u.toString(), files);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

if (process.argv[1]?.endsWith('store-bench.ts')) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
