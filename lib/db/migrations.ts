/**
 * Applying Prisma migrations with no schema engine: each pending
 * `<migrations>/<stamp>_<name>/migration.sql` runs in order, inside one transaction with
 * its `_prisma_migrations` row, recorded exactly as Prisma records it (random UUID id,
 * checksum = SHA-256 hex of the file's bytes, started/finished timestamps,
 * applied_steps_count 1), so Prisma's own tooling sees no drift and nothing pending.
 * PostgreSQL deploys hold pg_advisory_lock(72707369), Prisma's migration lock; SQLite
 * deploys take the write lock per migration (BEGIN IMMEDIATE).
 *
 * Difference from Prisma: a failing migration is rolled back whole and not recorded
 * (Prisma records it as failed and refuses to deploy until resolved); nothing is half
 * applied, so fixing the SQL and deploying again is enough.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openSqlite, sqliteTimestamp } from './raw';
import type { MigrationList } from './schema-engine';
import { type Engine, engineOf, projectRoot, sqlitePath } from './url';

export const PRISMA_MIGRATE_LOCK = 72707369;

/** Folder of an engine's migrations. */
export function migrationsDir(engine: Engine, root: string = projectRoot()): string {
  return engine === 'sqlite'
    ? path.join(root, 'prisma', 'migrations')
    : path.join(root, 'prisma', 'postgres', 'migrations');
}

/** An engine's Prisma schema file. */
export function schemaFile(engine: Engine, root: string = projectRoot()): string {
  return engine === 'sqlite'
    ? path.join(root, 'prisma', 'schema.prisma')
    : path.join(root, 'prisma', 'postgres', 'schema.prisma');
}

export interface MigrationFile {
  /** Folder name, e.g. 20261125000000_init. */
  name: string;
  sql: string;
  /** SHA-256 hex of migration.sql's bytes (Prisma's checksum). */
  checksum: string;
}

/** The migrations of a folder, in order (folders without migration.sql are skipped). */
export function listMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name, 'migration.sql'));
      return {
        name,
        sql: bytes.toString('utf8'),
        checksum: createHash('sha256').update(bytes).digest('hex'),
      };
    });
}

/** A migrations folder in the shape the wasm schema engine takes. */
export function migrationList(dir: string): MigrationList {
  const lock = path.join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lock) ? readFileSync(lock, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: listMigrations(dir).map((m) => ({
      path: m.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } },
    })),
  };
}

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const PG_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

export interface DeployOptions {
  /** Migrations folder (default: the engine's folder under the project root). */
  dir?: string;
  log?: (line: string) => void;
}

export interface DeployResult {
  applied: string[];
}

/** Applies pending migrations to the database at `url` (creating a SQLite file). */
export async function deployMigrations(
  url: string,
  opts: DeployOptions = {},
): Promise<DeployResult> {
  const engine = engineOf(url);
  const dir = opts.dir ?? migrationsDir(engine);
  const migrations = listMigrations(dir);
  if (migrations.length === 0) throw new Error(`No migrations found in ${dir}`);
  return engine === 'sqlite'
    ? deploySqlite(url, migrations, opts.log)
    : deployPostgres(url, migrations, opts.log);
}

function checkHistory(rows: AppliedRow[], migrations: MigrationFile[]): void {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const r of rows) {
    if (r.rolled_back_at) continue;
    if (!r.finished_at) {
      throw new Error(
        `Migration ${r.migration_name} is recorded as failed in _prisma_migrations; resolve it before deploying`,
      );
    }
    const m = byName.get(r.migration_name);
    if (m && m.checksum !== r.checksum) {
      throw new Error(
        `Migration ${r.migration_name} was modified after it was applied (checksum differs); write a new migration instead`,
      );
    }
  }
}

function deploySqlite(
  url: string,
  migrations: MigrationFile[],
  log?: (line: string) => void,
): DeployResult {
  const db = openSqlite(url);
  const applied: string[] = [];
  try {
    db.exec(SQLITE_TABLE);
    const rowsStmt = db.prepare(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations',
    );
    const insert = db.prepare(
      `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
    );
    checkHistory(rowsStmt.all() as AppliedRow[], migrations);
    for (const m of migrations) {
      const done = db.transaction(() => {
        // Re-read under the write lock: another deployer may have applied it.
        const rows = rowsStmt.all() as AppliedRow[];
        checkHistory(rows, migrations);
        if (rows.some((r) => r.migration_name === m.name && !r.rolled_back_at)) return false;
        const started = sqliteTimestamp(new Date());
        db.exec(m.sql);
        insert.run(randomUUID(), m.checksum, sqliteTimestamp(new Date()), m.name, started);
        return true;
      });
      if (done.immediate()) {
        applied.push(m.name);
        log?.(`applied ${m.name}`);
      }
    }
  } finally {
    db.close();
  }
  return { applied };
}

async function deployPostgres(
  url: string,
  migrations: MigrationFile[],
  log?: (line: string) => void,
): Promise<DeployResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    await client.query(PG_TABLE);
    const rows = (
      await client.query<AppliedRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations',
      )
    ).rows;
    checkHistory(rows, migrations);
    const done = new Set(rows.filter((r) => !r.rolled_back_at).map((r) => r.migration_name));
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await client.query('BEGIN');
      try {
        const started = new Date();
        await client.query(m.sql);
        await client.query(
          `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES ($1, $2, $3, $4, NULL, NULL, $5, 1)`,
          [randomUUID(), m.checksum, new Date(), m.name, started],
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error(`Migration ${m.name} failed and was rolled back: ${(e as Error).message}`);
      }
      applied.push(m.name);
      log?.(`applied ${m.name}`);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]).catch(() => {});
    await client.end();
  }
  return { applied };
}

export interface MigrationStatus {
  engine: Engine;
  /** Applied and present in the folder, in order. */
  applied: string[];
  /** In the folder, not applied yet. */
  pending: string[];
  /** Applied, but the file's checksum differs from the recorded one. */
  edited: string[];
  /** Recorded as started but never finished (failed under Prisma's own tooling). */
  failed: string[];
  /** Applied in the database but missing from the folder. */
  unknown: string[];
  upToDate: boolean;
}

/** Compares the migrations folder with the database's `_prisma_migrations`. */
export async function migrationStatus(
  url: string,
  opts: { dir?: string } = {},
): Promise<MigrationStatus> {
  const engine = engineOf(url);
  const migrations = listMigrations(opts.dir ?? migrationsDir(engine));
  const rows = await readAppliedRows(url);
  const live = rows.filter((r) => !r.rolled_back_at);
  const byName = new Map(live.map((r) => [r.migration_name, r]));
  const known = new Set(migrations.map((m) => m.name));
  const status: MigrationStatus = {
    engine,
    applied: [],
    pending: [],
    edited: [],
    failed: live.filter((r) => !r.finished_at).map((r) => r.migration_name),
    unknown: [...new Set(live.map((r) => r.migration_name))].filter((n) => !known.has(n)),
    upToDate: false,
  };
  for (const m of migrations) {
    const r = byName.get(m.name);
    if (!r) status.pending.push(m.name);
    else {
      if (r.finished_at) status.applied.push(m.name);
      if (r.checksum !== m.checksum) status.edited.push(m.name);
    }
  }
  status.upToDate =
    status.pending.length === 0 &&
    status.edited.length === 0 &&
    status.failed.length === 0 &&
    status.unknown.length === 0;
  return status;
}

async function readAppliedRows(url: string): Promise<AppliedRow[]> {
  const sql =
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at';
  if (engineOf(url) === 'sqlite') {
    const file = sqlitePath(url);
    if (file !== ':memory:' && !existsSync(file)) return [];
    const db = openSqlite(url);
    try {
      const exists = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
        .get();
      return exists ? (db.prepare(sql).all() as AppliedRow[]) : [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS e");
    if (!exists.rows[0]?.e) return [];
    return (await client.query<AppliedRow>(sql)).rows;
  } finally {
    await client.end();
  }
}
