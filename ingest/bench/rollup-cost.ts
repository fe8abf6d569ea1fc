/**
 * `npx tsx ingest/bench/rollup-cost.ts [DIR] [--runs N] [--triggers PREFIX]`: what the
 * triggers that keep the monthly rollups, daily_port_window and daily_host_port cost
 * the ingest. Ingests DIR (default: the demo's test-scale captures,
 * var/captures/q3-test) with `scanline ingest --no-detect --workers 1` into fresh
 * databases, with the triggers and with them dropped (all of them, or those whose name
 * starts with PREFIX, e.g. daily_host_port), alternating which goes first, on a SQLite
 * file and on a throwaway PostgreSQL cluster; prints each run's wall time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { deployMigrations } from '@/lib/db/migrations';
import { openSqlite } from '@/lib/db/raw';
import { projectRoot } from '@/lib/db/url';
import { withDatabase } from '@/tests/support/db';
import { startPostgres } from '@/tests/support/postgres';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '2' }, triggers: { type: 'string', default: '' } },
});
const dir = positionals[0] ?? path.join(projectRoot(), 'var', 'captures', 'q3-test');
if (!existsSync(dir)) throw new Error(`${dir}: not found (npm run demo -- --no-serve makes it)`);
const runs = Number(values.runs);
const dropped = (name: string) => name.startsWith(values.triggers);

function ingest(url: string): number {
  const t = performance.now();
  execFileSync(
    'npx',
    ['tsx', 'ingest/cli/main.ts', 'ingest', '--no-detect', '--workers', '1', '--db', url, dir],
    { cwd: projectRoot(), stdio: 'ignore' },
  );
  return (performance.now() - t) / 1000;
}

async function dropTriggersSqlite(url: string): Promise<void> {
  const db = openSqlite(url);
  try {
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
      .pluck()
      .all() as string[];
    for (const n of names.filter(dropped)) db.exec(`DROP TRIGGER "${n}"`);
  } finally {
    db.close();
  }
}

async function dropTriggersPg(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ tgname: string; rel: string }>(
      'SELECT tgname, tgrelid::regclass::text AS rel FROM pg_trigger WHERE NOT tgisinternal',
    );
    for (const t of r.rows.filter((t) => dropped(t.tgname))) {
      await c.query(`DROP TRIGGER "${t.tgname}" ON ${t.rel}`);
    }
  } finally {
    await c.end();
  }
}

const results: string[] = [];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'scanline-rollup-cost-'));
const cluster = await startPostgres();
try {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  let n = 0;
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? [true, false] : [false, true];
    for (const triggers of order) {
      const label = triggers ? 'with triggers' : `without ${values.triggers || 'any'}`;
      const file = `file:${path.join(tmp, `r${n}.db`)}`;
      await deployMigrations(file);
      if (!triggers) await dropTriggersSqlite(file);
      results.push(`sqlite     ${label} ${ingest(file).toFixed(1)} s`);
      await admin.query(`CREATE DATABASE r${n}`);
      const url = withDatabase(cluster.url, `r${n}`);
      await deployMigrations(url);
      if (!triggers) await dropTriggersPg(url);
      results.push(`postgresql ${label} ${ingest(url).toFixed(1)} s`);
      process.stderr.write(`${results.slice(-2).join('\n')}\n`);
      n++;
    }
  }
  await admin.end();
} finally {
  cluster.stop();
  rmSync(tmp, { recursive: true, force: true });
}
console.log(
  `scanline ingest --no-detect --workers 1 ${path.relative(projectRoot(), dir)}${values.triggers ? `; triggers dropped: ${values.triggers}*` : ''}`,
);
for (const r of results.sort()) console.log(r);
