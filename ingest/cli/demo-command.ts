import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databaseUrl, projectRoot } from '../../lib/db/url';
import { listCaptureFiles } from '../simulate/capture-reader';
import { isScaleName, SCALES } from '../simulate/scales';
import { simulate } from '../simulate/simulate-command';
import { runIngest } from './ingest-command';
import { runSensors } from './sensors-command';

const USAGE = `usage: scanline demo [--scale test|demo|sensor] [--port N] [--rebuild] [--no-serve]

Generates the built-in 2020-q3 scenario (cached), ingests it into the database
(DATABASE_URL, default: the embedded SQLite file), builds the dashboard when the
sources changed, and serves it.`;

export async function runDemo(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string', default: 'demo' },
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      rebuild: { type: 'boolean', default: false },
      'no-serve': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!isScaleName(values.scale)) {
    console.error(`scanline demo: --scale must be one of test, demo, sensor (got ${values.scale})`);
    return 2;
  }
  const root = projectRoot();
  const env = { ...process.env, DATABASE_URL: databaseUrl() };
  const out = path.join(root, 'var', 'captures', `2020-q3-${values.scale}`);

  console.log(`demo: database ${env.DATABASE_URL}`);
  if (!run('migrations', [tsxBin(root), 'prisma/migrate.ts', 'deploy'], root, env)) return 1;

  console.log(
    `demo: generating the 2020-q3 scenario at scale '${values.scale}' into ${path.relative(root, out)} (cached)`,
  );
  const sim = await simulate({
    scenario: '2020-q3',
    outDir: out,
    scale: values.scale,
    reuse: true,
    log: (line) => console.log(`  ${line}`),
  });
  console.log(
    sim.reused
      ? `demo: captures already generated (${listCaptureFiles(out).length} files)`
      : `demo: wrote ${sim.files.length} files, ${sim.packets} packets in ${sim.seconds.toFixed(1)} s`,
  );

  // The build does not read the database: it runs beside the ingest (two cores).
  let build: Promise<boolean> | null = null;
  if (values.rebuild || needsBuild(root)) {
    const log = path.join(root, 'var', 'next-build.log');
    console.log(`demo: building the dashboard (next build, output in ${path.relative(root, log)})`);
    build = runLogged([nextBin(root), 'build'], root, env, log);
  } else {
    console.log('demo: dashboard build is up to date');
  }

  // The simulated sensors' blocks, recorded as an operator would: the anomaly rates use
  // the telescope's real size, and only packets to the blocks count.
  for (const sensor of SCALES[values.scale].sensors) {
    if ((await runSensors(['set', sensor.name, '--prefixes', sensor.prefix])) !== 0) return 1;
  }
  console.log('demo: ingesting (files already in the ledger are skipped)');
  // The ingest is bound by its commits, which serialise: a second worker thread would
  // only take a core (and memory) from the build beside it.
  const code = await runIngest(build !== null ? ['--workers', '1', out] : [out]);
  if (code !== 0) console.error('demo: ingest reported problems (see above)');
  if (build !== null) {
    if (!(await build)) return 1;
    console.log('demo: dashboard built');
  }
  if (code !== 0) return code;
  if (values['no-serve']) return 0;

  console.log(`demo: dashboard at http://localhost:${values.port}/  (Ctrl-C to stop)`);
  const server = spawn(process.execPath, [nextBin(root), 'start', '-p', values.port], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  return await new Promise<number>((resolve) => {
    server.on('exit', (c) => resolve(c ?? 0));
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => server.kill(sig));
  });
}

function run(what: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): boolean {
  const r = spawnSync(process.execPath, args, { cwd, env, stdio: 'inherit' });
  if (r.status !== 0) console.error(`demo: ${what} failed (exit ${r.status})`);
  return r.status === 0;
}

/** Runs a child with its output in `log`; on failure prints the log's last lines. */
function runLogged(args: string[], cwd: string, env: NodeJS.ProcessEnv, log: string) {
  mkdirSync(path.dirname(log), { recursive: true });
  const out = createWriteStream(log);
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (d: Buffer) => {
    out.write(d);
    tail = (tail + d.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return new Promise<boolean>((resolve) => {
    child.on('close', (status) => {
      out.end();
      if (status !== 0) console.error(`demo: build failed (exit ${status}):\n${tail}`);
      resolve(status === 0);
    });
  });
}

function tsxBin(root: string): string {
  return path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
}

function nextBin(root: string): string {
  return path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
}

/** True when there is no production build or a source file is newer than it. */
function needsBuild(root: string): boolean {
  const marker = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(marker)) return true;
  const built = statSync(marker).mtimeMs;
  const newest = (dir: string): number => {
    if (!existsSync(dir)) return 0;
    let m = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      m = Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
    return m;
  };
  const sources = ['app', 'components', 'lib', 'public', 'next.config.js', 'package.json'];
  return sources.some((s) => {
    const p = path.join(root, s);
    if (!existsSync(p)) return false;
    return (statSync(p).isDirectory() ? newest(p) : statSync(p).mtimeMs) > built;
  });
}
