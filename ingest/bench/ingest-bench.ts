/**
 * `npm run bench:ingest [-- FILE]`: times Scanline's inspect, decode + aggregation and a
 * full ingest into a fresh SQLite file (at the default memory budget and at --buffer-mb
 * 128), beside `cat` and `tcpdump -r -w /dev/null` on
 * the same file in the same run; prints packets/s, MB/s and peak RSS of each.
 * Without FILE it builds a 10M-packet darknet-like capture with the reference generator
 * `gen_pcap.c` found in ../shared/bench (when present).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../lib/db/url';

interface Row {
  what: string;
  seconds: number;
  rssMb: number;
}

const root = projectRoot();
const work = mkdtempSync(path.join(tmpdir(), 'scanline-bench-'));

function timed(
  what: string,
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Row {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [secs, kb] = last.split(' ').map(Number);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${what} failed: ${r.stderr.slice(-500)}`);
  return { what, seconds: secs ?? Number.NaN, rssMb: (kb ?? 0) / 1024 };
}

function captureFile(): string {
  const given = process.argv[2];
  if (given) return path.resolve(given);
  const src = path.join(root, '..', 'shared', 'bench', 'gen_pcap.c');
  if (!existsSync(src)) {
    throw new Error(
      'give a capture: npm run bench:ingest -- FILE (e.g. one day of `npm run scanline -- simulate --scale slash16`)',
    );
  }
  const bin = path.join(work, 'gen_pcap');
  execFileSync('gcc', ['-O2', '-o', bin, src, '-lm']);
  const out = path.join(work, 'bench.pcap');
  console.log('generating 10,000,000 packets from 1,000,000 sources with gen_pcap ...');
  execFileSync(bin, [out, '10000000', '1000000', '1']);
  return out;
}

function main(): void {
  const file = captureFile();
  const size = statSync(file).size;
  const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const counted = JSON.parse(
    execFileSync(process.execPath, [tsx, 'ingest/bench/aggregate-only.ts', file], {
      cwd: root,
      encoding: 'utf8',
    }),
  ) as { packets: number };
  const packets = counted.packets;
  const migrated = (db: string) => {
    const env = { ...process.env, DATABASE_URL: `file:${db}` };
    execFileSync(process.execPath, [tsx, 'prisma/migrate.ts', 'deploy'], {
      cwd: root,
      env,
      stdio: 'ignore',
    });
    return env;
  };
  const env = migrated(path.join(work, 'bench.db'));

  const rows: Row[] = [
    timed('cat FILE > /dev/null', 'sh', ['-c', `cat "${file}" > /dev/null`]),
    timed('tcpdump -r FILE -w /dev/null', 'tcpdump', ['-r', file, '-w', '/dev/null']),
    ...referenceAggregators(file),
    timed('scanline inspect --json', process.execPath, [
      tsx,
      'ingest/cli/main.ts',
      'inspect',
      '--json',
      file,
    ]),
    timed('decode + full aggregation (no DB)', process.execPath, [
      tsx,
      'ingest/bench/aggregate-only.ts',
      file,
    ]),
    timed(
      'scanline ingest into SQLite',
      process.execPath,
      [tsx, 'ingest/cli/main.ts', 'ingest', '--no-detect', '--sensor', 'bench', file],
      env,
    ),
    // The memory bound at a smaller budget (into a second fresh file; the content is
    // already in the first, it would be a duplicate there).
    timed(
      'scanline ingest --buffer-mb 128',
      process.execPath,
      [tsx, 'ingest/cli/main.ts', 'ingest', '--no-detect', '--buffer-mb', '128', file],
      migrated(path.join(work, 'bench-128.db')),
    ),
  ];
  console.log(`\n${path.basename(file)}: ${packets} packets, ${(size / 1e6).toFixed(0)} MB`);
  console.log('what                                   seconds   packets/s      MB/s   peak RSS');
  for (const r of rows) {
    console.log(
      `${r.what.padEnd(40)} ${r.seconds.toFixed(2).padStart(7)} ${(packets / r.seconds / 1e6).toFixed(2).padStart(9)}M ${(size / r.seconds / 1e6).toFixed(0).padStart(9)} ${r.rssMb.toFixed(0).padStart(7)} MB`,
    );
  }
  rmSync(work, { recursive: true, force: true });
}

/**
 * The C reference aggregators from ../shared/bench (when present): per day, port and
 * country packets with exact distinct sources, and window counts. Less than Scanline's
 * aggregation (no per-host rows, no country x port, window x port x country or tag rows),
 * so they are a floor for its time, not an equal.
 */
function referenceAggregators(file: string): Row[] {
  const dir = path.join(root, '..', 'shared', 'bench');
  if (!existsSync(path.join(dir, 'cagg.c')) || !existsSync(path.join(dir, 'gen_geo.js'))) return [];
  const geo = path.join(work, 'geo.bin');
  execFileSync(process.execPath, [path.join(dir, 'gen_geo.js'), geo], { stdio: 'ignore' });
  const out: Row[] = [];
  for (const name of ['cagg', 'cagg2']) {
    const bin = path.join(work, name);
    execFileSync('gcc', ['-O2', '-o', bin, path.join(dir, `${name}.c`), '-lm']);
    out.push(
      timed(`C reference ${name} (less work)`, bin, [file, geo, path.join(work, `${name}.txt`)]),
    );
  }
  return out;
}

main();
