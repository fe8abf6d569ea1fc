/**
 * Prisma's schema engine, from the published wasm build (@prisma/schema-engine-wasm,
 * pinned exactly: its API is internal), driven through driver adapters. The native
 * engine binary the Prisma CLI wants cannot be downloaded on air-gapped hosts.
 *
 * Used for `diff` (the SQL of a new migration: migrations folder -> schema) and for
 * checks (schema/migrations agreement, migration history diagnosis). Deploying does not
 * need it (see migrations.ts).
 *
 * Workarounds, all measured with 7.10:
 * - The package's entry imports the .wasm as an ES module, which Node 20 cannot: the
 *   module is instantiated by hand here.
 * - better-sqlite3 rejects multi-statement executeRaw during shadow replay: retried as
 *   a script.
 * - adapter-pg rejects the `"char"` type (OID 18) that the engine's catalog queries
 *   return: the pool reports it as text.
 * - adapter-pg's own shadow database handling can leave the database behind: a shadow
 *   database is created here and dropped WITH (FORCE).
 * - On PostgreSQL the process can linger ~10 s after use: CLIs should exit explicitly.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import type { Engine } from './url';
import { engineOf, sqlitePath } from './url';

/** The subset of the wasm engine's API used here (see schema_engine.d.ts). */
export interface MigrationList {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: {
    path: string;
    migrationFile: {
      path: string;
      content: { tag: 'ok'; value: string } | { tag: 'error'; value: string };
    };
  }[];
}

export type DiffTarget =
  | { tag: 'empty' }
  | { tag: 'schemaDatamodel'; files: { path: string; content: string }[] }
  | ({ tag: 'migrations' } & MigrationList);

const NO_FILTER = { externalTables: [] as string[], externalEnums: [] as string[] };

export interface HistoryDiagnosis {
  editedMigrationNames: string[];
  failedMigrationNames: string[];
  hasMigrationsTable: boolean;
  history:
    | { diagnostic: 'databaseIsBehind'; unappliedMigrationNames: string[] }
    | { diagnostic: 'migrationsDirectoryIsBehind'; unpersistedMigrationNames: string[] }
    | {
        diagnostic: 'historiesDiverge';
        lastCommonMigrationName: string | null;
        unpersistedMigrationNames: string[];
        unappliedMigrationNames: string[];
      }
    | null;
}

interface WasmEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  diagnoseMigrationHistory(input: unknown): Promise<HistoryDiagnosis>;
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  version(): Promise<string>;
  free(): void;
}

interface WasmModule {
  SchemaEngine: {
    new: (options: unknown, log: (msg: string) => void, adapter: object) => Promise<WasmEngine>;
  };
  version(): string;
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
}

let wasmModule: Promise<WasmModule> | undefined;

function loadWasm(): Promise<WasmModule> {
  wasmModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg = (await import(pathToFileURL(bgPath).href)) as WasmModule;
    const bytes = readFileSync(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm'));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return wasmModule;
}

/** Retries a multi-statement executeRaw as a script (better-sqlite3 runs one statement). */
function scriptTolerant<T extends SqlDriverAdapter | Transaction>(inner: T): T {
  const executeRaw = async (q: SqlQuery): Promise<number> => {
    try {
      return await inner.executeRaw(q);
    } catch (e) {
      if (q.args.length === 0 && /more than one statement/i.test(String((e as Error)?.message))) {
        if ('executeScript' in inner) {
          await (inner as SqlDriverAdapter).executeScript(q.sql);
          return 0;
        }
      }
      throw e;
    }
  };
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'executeRaw') return executeRaw;
      if (prop === 'startTransaction') {
        return async (...args: unknown[]) =>
          scriptTolerant(
            await (target as SqlDriverAdapter).startTransaction(
              ...(args as Parameters<SqlDriverAdapter['startTransaction']>),
            ),
          );
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

function sqliteFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaBetterSqlite3({ url: sqlitePath(url) });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => scriptTolerant(await inner.connect()),
    connectToShadowDb: async () => scriptTolerant(await inner.connectToShadowDb()),
  };
}

const PG_CHAR = 18;
const PG_TEXT = 25;

type Fields = { dataTypeID: number }[] | undefined;
function fixFields(res: unknown): void {
  const list = Array.isArray(res) ? res : [res];
  for (const r of list) {
    for (const f of ((r as { fields?: Fields })?.fields ?? []) as { dataTypeID: number }[]) {
      if (f.dataTypeID === PG_CHAR) f.dataTypeID = PG_TEXT;
    }
  }
}

/** A pool whose results report `"char"` columns as text (values are strings anyway). */
function charAsTextPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      const cb = args[args.length - 1];
      if (typeof cb === 'function') {
        args[args.length - 1] = (err: unknown, res: unknown) => {
          if (!err) fixFields(res);
          cb(err, res);
        };
        return original(...args);
      }
      const out = original(...args) as Promise<unknown> | undefined;
      return out && typeof out.then === 'function'
        ? out.then((res) => {
            fixFields(res);
            return res;
          })
        : out;
    };
  });
  return pool;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * adapter-pg runs a script by splitting it on every semicolon, which breaks function
 * bodies ($$ ... $$). A query without parameters goes over PostgreSQL's simple query
 * protocol, which takes the whole script as it is.
 */
function wholeScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  return adapter;
}

function pgFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const main = new PrismaPg(charAsTextPool(url), { disposeExternalPool: true });
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => wholeScripts(await main.connect()),
    async connectToShadowDb() {
      const name = `scanline_shadow_${randomUUID().replace(/-/g, '')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      const shadow = wholeScripts(
        await new PrismaPg(charAsTextPool(withDatabase(url, name)), {
          disposeExternalPool: true,
        }).connect(),
      );
      const dispose = shadow.dispose.bind(shadow);
      return new Proxy(shadow, {
        get(target, prop, receiver) {
          if (prop === 'dispose') {
            return async () => {
              await dispose();
              const c = new pg.Client({ connectionString: url });
              await c.connect();
              try {
                await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
              } finally {
                await c.end();
              }
            };
          }
          const v = Reflect.get(target, prop, receiver);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    },
  };
}

export interface SchemaEngine {
  readonly engine: Engine;
  /** SQL turning `from` into `to` ('' when they agree). */
  diffScript(from: DiffTarget, to: DiffTarget): Promise<string>;
  diagnose(migrations: MigrationList): Promise<HistoryDiagnosis>;
  /** Applies pending migrations with the engine itself (deploy normally uses migrations.ts). */
  applyMigrations(migrations: MigrationList): Promise<string[]>;
  version(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A wasm schema engine connected to `url` (its shadow database, when a diff from a
 * migrations folder needs one: SQLite in memory, PostgreSQL a temporary database on the
 * same server; the URL's user must be allowed to CREATE DATABASE).
 */
export async function openSchemaEngine(url: string, schemaFile?: string): Promise<SchemaEngine> {
  const wasm = await loadWasm();
  const engine = engineOf(url);
  const base = engine === 'sqlite' ? sqliteFactory(url) : pgFactory(url);
  // The engine does not dispose what it connects: track it so close() can.
  const open: SqlDriverAdapter[] = [];
  const track = async (p: Promise<SqlDriverAdapter>) => {
    const a = await p;
    open.push(a);
    return a;
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: () => track(base.connect()),
    connectToShadowDb: () => track(base.connectToShadowDb()),
  };
  const datamodels = schemaFile
    ? [[path.basename(schemaFile), readFileSync(schemaFile, 'utf8')]]
    : undefined;
  const log: string[] = [];
  const inner = await wasm.SchemaEngine.new(
    { datamodels },
    (msg: string) => {
      if (log.length < 200) log.push(msg);
    },
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  return {
    engine,
    async diffScript(from, to) {
      const r = await inner.diff({ from, to, script: true, exitCode: null, filters: NO_FILTER });
      return r.stdout ?? '';
    },
    diagnose(migrations) {
      return inner.diagnoseMigrationHistory({
        migrationsList: migrations,
        optInToShadowDatabase: false,
        filters: NO_FILTER,
      });
    },
    async applyMigrations(migrations) {
      const r = await inner.applyMigrations({ migrationsList: migrations, filters: NO_FILTER });
      return r.appliedMigrationNames;
    },
    version: () => inner.version(),
    async close() {
      inner.free();
      for (const a of open.splice(0)) await a.dispose().catch(() => {});
    },
  };
}

/** True when a diff script has no statements (only comments / whitespace). */
export function isEmptyDiff(script: string): boolean {
  return (
    script
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('--')).length === 0
  );
}
