/**
 * Migrations without Prisma's native schema engine (it cannot be downloaded offline).
 *
 *   npx tsx prisma/migrate.ts deploy            apply pending migrations (DATABASE_URL)
 *   npx tsx prisma/migrate.ts status            applied / pending / edited migrations
 *   npx tsx prisma/migrate.ts diff [sqlite|postgres]
 *                                               SQL from the migrations folder to the schema
 *   npx tsx prisma/migrate.ts new <name>        write that SQL as a new migration, for both
 *                                               engines (same timestamp)
 *   npx tsx prisma/migrate.ts check             schemas agree and both diffs are empty
 *
 * DATABASE_URL: `file:<path>` (SQLite, default file:./var/scanline.db, relative to the
 * project root; the folder is created) or `postgres://` / `postgresql://`.
 * deploy/status need no engine; diff/new/check use the wasm schema engine
 * (@prisma/schema-engine-wasm). The PostgreSQL diff replays the migrations in a
 * temporary database: on SCANLINE_PG_ADMIN_URL if set, else on DATABASE_URL if it is
 * PostgreSQL (its user needs CREATEDB), else on a throwaway local cluster started for
 * the purpose (needs the PostgreSQL server binaries).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  deployMigrations,
  migrationList,
  migrationStatus,
  migrationsDir,
  schemaFile,
} from '../lib/db/migrations';
import { isEmptyDiff, openSchemaEngine } from '../lib/db/schema-engine';
import { databaseUrl, type Engine, engineOf, redactUrl } from '../lib/db/url';

const ENGINES: Engine[] = ['sqlite', 'postgres'];

/** The two schema files with provider and generator output blanked: must be equal. */
export function schemaBody(text: string): string {
  return text
    .replace(/^\s*provider\s*=\s*"(sqlite|postgresql)"\s*$/m, '  provider = <provider>')
    .replace(/^\s*output\s*=\s*".*"\s*$/m, '  output = <output>');
}

export function schemasAgree(): boolean {
  const [a, b] = ENGINES.map((e) => schemaBody(readFileSync(schemaFile(e), 'utf8')));
  return a === b;
}

/** Runs `fn` with a PostgreSQL URL on which a shadow database can be created. */
async function withPgServer<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const given =
    process.env.SCANLINE_PG_ADMIN_URL ??
    (engineOf(databaseUrl()) === 'postgres' ? databaseUrl() : undefined);
  if (given) return fn(given);
  const { startPostgres } = await import('../tests/support/postgres');
  console.error('(starting a throwaway PostgreSQL cluster for the shadow database)');
  const cluster = await startPostgres();
  try {
    return await fn(cluster.url);
  } finally {
    cluster.stop();
  }
}

/**
 * Indexes one engine's migrations make that the shared schema does not declare, because
 * only that engine gains from them (prisma/README.md). The diff leaves their DROP out.
 */
export const ENGINE_ONLY_INDEXES: Record<Engine, readonly string[]> = {
  sqlite: [],
  // A heap table's counters in an index: a port's window split reads no table page. On
  // SQLite the table (WITHOUT ROWID) is this order already, and the index cost the
  // ingest of several sensors' files 10-16 % (docs/BENCHMARKS.md).
  postgres: ['daily_port_window_sensor_id_port_day_window_packets_sources_idx'],
};

/** The script without the DROP INDEX statements of the engine's own indexes. */
export function withoutEngineOnly(engine: Engine, script: string): string {
  const own = new Set(ENGINE_ONLY_INDEXES[engine]);
  return script
    .split(/\n(?=-- )/)
    .filter((part) => {
      const m = /^DROP INDEX "([^"]+)";$/m.exec(part);
      return !(m && own.has(m[1]!) && part.trim().split('\n').length <= 2);
    })
    .join('\n');
}

/** The SQL that brings an engine's migrations folder to its schema ('' if none). */
export async function diffFor(engine: Engine, pgUrl?: string): Promise<string> {
  const url = engine === 'sqlite' ? 'file::memory:' : pgUrl;
  if (!url) throw new Error('diffFor(postgres) needs a server URL');
  const schema = schemaFile(engine);
  const se = await openSchemaEngine(url);
  try {
    const script = await se.diffScript(
      { tag: 'migrations', ...migrationList(migrationsDir(engine)) },
      {
        tag: 'schemaDatamodel',
        files: [{ path: path.basename(schema), content: readFileSync(schema, 'utf8') }],
      },
    );
    const kept = withoutEngineOnly(engine, script);
    return isEmptyDiff(kept) ? '' : kept;
  } finally {
    await se.close();
  }
}

async function diffs(engines: Engine[]): Promise<Map<Engine, string>> {
  const out = new Map<Engine, string>();
  if (engines.includes('sqlite')) out.set('sqlite', await diffFor('sqlite'));
  if (engines.includes('postgres')) {
    out.set('postgres', await withPgServer((url) => diffFor('postgres', url)));
  }
  return out;
}

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

async function main(argv: string[]): Promise<number> {
  const [cmd, arg] = argv;
  switch (cmd) {
    case 'deploy': {
      const url = databaseUrl();
      const { applied } = await deployMigrations(url, { log: (l) => console.log(l) });
      console.log(
        applied.length
          ? `${applied.length} migration(s) applied to ${redactUrl(url)}`
          : `${redactUrl(url)} is up to date`,
      );
      return 0;
    }
    case 'status': {
      const url = databaseUrl();
      const s = await migrationStatus(url);
      console.log(`${redactUrl(url)} (${s.engine})`);
      console.log(`applied: ${s.applied.length ? s.applied.join(', ') : '-'}`);
      console.log(`pending: ${s.pending.length ? s.pending.join(', ') : '-'}`);
      if (s.edited.length) console.log(`edited after apply: ${s.edited.join(', ')}`);
      if (s.failed.length) console.log(`failed: ${s.failed.join(', ')}`);
      if (s.unknown.length) console.log(`applied but not in the folder: ${s.unknown.join(', ')}`);
      console.log(s.upToDate ? 'up to date' : 'NOT up to date');
      return s.upToDate ? 0 : 1;
    }
    case 'diff': {
      const engines = arg ? [arg as Engine] : ENGINES;
      if (!engines.every((e) => ENGINES.includes(e))) throw new Error(`unknown engine ${arg}`);
      for (const [engine, sql] of await diffs(engines)) {
        console.log(`-- ${engine}: ${sql ? 'changes' : 'no changes'}`);
        if (sql) console.log(sql);
      }
      return 0;
    }
    case 'new': {
      if (!arg || !/^[a-z0-9_]+$/i.test(arg)) throw new Error('usage: new <name> ([a-z0-9_]+)');
      if (!schemasAgree())
        throw new Error('prisma/schema.prisma and prisma/postgres/schema.prisma differ');
      const all = await diffs(ENGINES);
      if ([...all.values()].every((s) => s === '')) {
        console.log('The schema matches the migrations: nothing to write.');
        return 0;
      }
      const name = `${stamp()}_${arg.toLowerCase()}`;
      for (const [engine, sql] of all) {
        const dir = path.join(migrationsDir(engine), name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, 'migration.sql'), sql || '-- This is an empty migration.\n');
        console.log(`wrote ${path.relative(process.cwd(), path.join(dir, 'migration.sql'))}`);
      }
      return 0;
    }
    case 'check': {
      let ok = schemasAgree();
      if (!ok) console.log('prisma/schema.prisma and prisma/postgres/schema.prisma differ');
      for (const [engine, sql] of await diffs(ENGINES)) {
        if (sql) {
          ok = false;
          console.log(`${engine}: the schema and the migrations differ:\n${sql}`);
        } else console.log(`${engine}: schema and migrations agree`);
      }
      return ok ? 0 : 1;
    }
    default:
      console.error(
        'usage: tsx prisma/migrate.ts deploy | status | diff [sqlite|postgres] | new <name> | check',
      );
      return 2;
  }
}

const invokedDirectly = process.argv[1] && /migrate\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
