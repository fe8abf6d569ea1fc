/**
 * `npm run bench:workers -- [--parts N] [--workers 1,2] [--one-by-one] [--pg URL | --no-pg] FILE...`:
 * parallel ingest. Times `scanline ingest --workers W` into a fresh SQLite file and a
 * fresh PostgreSQL database for each W, beside `tcpdump -r FILE -w /dev/null` over the
 * same files, and prints packets/s, peak RSS and the scaling efficiency
 * (rate with W workers / (W x rate with 1)). `--one-by-one` adds `--workers 1 --group 1`
 * (each file its own commit, no merging in memory) on each engine.
 *
 * One FILE is split into N parts first (`editcap -c`, default 4), since a worker takes
 * a whole file; several FILEs are used as they are. All files go to one sensor, so the
 * parts of one capture merge into the same days (the store's merge path).
 * PostgreSQL: --pg URL (a user with CREATEDB), else a throwaway local cluster
 * (tests/support/postgres.ts), else skipped with --no-pg.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { deployMigrations } from '../../lib/db/migrations';
import { projectRoot } from '../../lib/db/url';

interface Row {
  what: string;
  workers: number | null;
  seconds: number;
  rssMb: number;
}

const root = projectRoot();
const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function timed(what: string, cmd: string, args: string[], workers: number | null = null): Row {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
    timeout: 3 * 3600_000,
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [secs, kb] = last.split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr.slice(-800)}`);
  return { what, workers, seconds: secs ?? Number.NaN, rssMb: (kb ?? 0) / 1024 };
}

function packetsOf(files: string[]): number {
  let total = 0;
  for (const f of files) {
    const out = execFileSync('capinfos', ['-c', '-M', '-T', '-r', f], { encoding: 'utf8' });
    total += Number(out.trim().split('\t').pop());
  }
  return total;
}

function split(file: string, parts: number, dir: string): string[] {
  const packets = packetsOf([file]);
  const per = Math.ceil(packets / parts);
  execFileSync('editcap', ['-c', String(per), file, path.join(dir, 'part.pcap')]);
  return readdirSync(dir)
    .filter((n) => n.startsWith('part'))
    .sort()
    .map((n) => path.join(dir, n));
}

async function createPgDb(admin: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

async function dropPgDb(admin: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

function ingestRow(
  engine: string,
  url: string,
  workers: number,
  files: string[],
  oneByOne = false,
): Row {
  const group = oneByOne ? ['--group', '1'] : [];
  return timed(
    oneByOne
      ? `scanline ingest --workers 1 --group 1 into ${engine} (a commit per file)`
      : `scanline ingest --workers ${workers} into ${engine}`,
    process.execPath,
    [
      tsx,
      'ingest/cli/main.ts',
      'ingest',
      '--db',
      url,
      '--workers',
      String(workers),
      '--no-detect',
      '--sensor',
      'bench',
      ...group,
      ...files,
    ],
    oneByOne ? null : workers,
  );
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      parts: { type: 'string', default: '4' },
      workers: { type: 'string', default: '1,2' },
      pg: { type: 'string' },
      'no-pg': { type: 'boolean', default: false },
      'one-by-one': { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) {
    console.error(
      'usage: npm run bench:workers -- [--parts N] [--workers 1,2] [--one-by-one] [--pg URL | --no-pg] FILE...',
    );
    process.exitCode = 2;
    return;
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'scanline-workers-bench-'));
  const stopPg: (() => void)[] = [];
  try {
    const files =
      positionals.length === 1
        ? split(path.resolve(positionals[0]!), Number(values.parts), work)
        : positionals.map((f) => path.resolve(f));
    const packets = packetsOf(files);
    const bytes = files.reduce((a, f) => a + statSync(f).size, 0);
    const workerCounts = values.workers.split(',').map(Number);
    console.log(
      `${files.length} files, ${packets} packets, ${(bytes / 1e6).toFixed(0)} MB; ${os.cpus().length} cores, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );

    const rows: Row[] = [
      timed('tcpdump -r FILE -w /dev/null (each file, in turn)', 'sh', [
        '-c',
        files.map((f) => `tcpdump -r "${f}" -w /dev/null 2>/dev/null`).join(' && '),
      ]),
    ];
    const engines: [string, (n: number) => Promise<{ url: string; drop: () => Promise<void> }>][] =
      [
        [
          'SQLite',
          async (n) => {
            const url = `file:${path.join(work, `bench-${n}.db`)}`;
            await deployMigrations(url);
            return { url, drop: async () => rmSync(url.slice(5), { force: true }) };
          },
        ],
      ];
    if (!values['no-pg']) {
      let admin = values.pg;
      if (!admin) {
        const { startPostgres } = await import('../../tests/support/postgres');
        const cluster = await startPostgres();
        stopPg.push(() => cluster.stop());
        admin = cluster.url;
      }
      const pgAdmin = admin;
      engines.push([
        'PostgreSQL',
        async (n) => {
          const name = `scanline_workers_bench_${n}`;
          const url = await createPgDb(pgAdmin, name);
          await deployMigrations(url);
          return { url, drop: () => dropPgDb(pgAdmin, name) };
        },
      ]);
    }
    for (const [engine, fresh] of engines) {
      if (values['one-by-one']) {
        const db = await fresh(0);
        console.log(`  ${engine}, a commit per file ...`);
        rows.push(ingestRow(engine, db.url, 1, files, true));
        await db.drop();
      }
      for (const w of workerCounts) {
        const db = await fresh(w);
        console.log(`  ${engine}, ${w} worker(s) ...`);
        rows.push(ingestRow(engine, db.url, w, files));
        await db.drop();
      }
    }

    console.log(
      `\nload after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      '| what | seconds | packets/s | MB/s | peak RSS | scaling efficiency |\n| --- | ---: | ---: | ---: | ---: | ---: |',
    );
    const baseRate = new Map<string, number>();
    for (const r of rows) {
      const rate = packets / r.seconds;
      const engine = r.what.replace(/--workers \d+ /, '');
      let eff = '';
      if (r.workers === 1) baseRate.set(engine, rate);
      else if (r.workers !== null && baseRate.has(engine))
        eff = `${((100 * rate) / (r.workers * baseRate.get(engine)!)).toFixed(0)}%`;
      console.log(
        `| \`${r.what}\` | ${r.seconds.toFixed(1)} | ${(rate / 1e3).toFixed(1)} k | ${(bytes / r.seconds / 1e6).toFixed(1)} | ${r.rssMb.toFixed(0)} MB | ${eff} |`,
      );
    }
  } finally {
    for (const stop of stopPg) stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
