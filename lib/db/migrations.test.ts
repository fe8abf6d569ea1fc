import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES, emptyDb, type TestDb } from '../../tests/support/db';
import {
  deployMigrations,
  listMigrations,
  migrationList,
  migrationStatus,
  migrationsDir,
} from './migrations';
import { openSchemaEngine } from './schema-engine';
import { sqlitePath } from './url';

interface Row {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: unknown;
  started_at: unknown;
  logs: unknown;
  rolled_back_at: unknown;
  applied_steps_count: number;
}

async function migrationRows(db: TestDb): Promise<Row[]> {
  const sql = 'SELECT * FROM _prisma_migrations ORDER BY migration_name';
  if (db.engine === 'sqlite') {
    const d = new Database(sqlitePath(db.url), { readonly: true });
    try {
      return d.prepare(sql).all() as Row[];
    } finally {
      d.close();
    }
  }
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query<Row>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe.each(ENGINES)('migrations on %s', (engine) => {
  const dbs: TestDb[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.cleanup();
  });

  it('deploys, re-deploys as a no-op, and reports status', async () => {
    const db = await emptyDb(engine);
    dbs.push(db);
    const all = listMigrations(migrationsDir(engine)).map((m) => m.name);
    expect(all.length).toBeGreaterThan(0);

    const before = await migrationStatus(db.url);
    expect(before.pending).toEqual(all);
    expect(before.upToDate).toBe(false);

    expect((await deployMigrations(db.url)).applied).toEqual(all);
    expect((await deployMigrations(db.url)).applied).toEqual([]);

    const after = await migrationStatus(db.url);
    expect(after).toMatchObject({
      applied: all,
      pending: [],
      edited: [],
      failed: [],
      unknown: [],
      upToDate: true,
    });
  });

  it('records _prisma_migrations rows as Prisma does', async () => {
    const db = await emptyDb(engine);
    dbs.push(db);
    await deployMigrations(db.url);
    const rows = await migrationRows(db);
    const files = listMigrations(migrationsDir(engine));
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, r] of rows.entries()) {
      const file = path.join(migrationsDir(engine), r.migration_name, 'migration.sql');
      expect(r.checksum).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
      expect(r.checksum).toBe(files[i]?.checksum);
      expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Number(r.applied_steps_count)).toBe(1);
      expect(r.finished_at).not.toBeNull();
      expect(r.logs).toBeNull();
      expect(r.rolled_back_at).toBeNull();
      if (engine === 'sqlite')
        expect(String(r.started_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    }
  });

  it("leaves nothing for Prisma's schema engine to apply or flag", async () => {
    const db = await emptyDb(engine);
    dbs.push(db);
    await deployMigrations(db.url);
    const se = await openSchemaEngine(db.url);
    try {
      const d = await se.diagnose(migrationList(migrationsDir(engine)));
      expect(d).toEqual({
        editedMigrationNames: [],
        failedMigrationNames: [],
        hasMigrationsTable: true,
        history: null,
      });
      expect(await se.applyMigrations(migrationList(migrationsDir(engine)))).toEqual([]);
    } finally {
      await se.close();
    }
  });

  it('seeds the all-sensors rollup sensor 0 named *', async () => {
    const db = await emptyDb(engine);
    dbs.push(db);
    await deployMigrations(db.url);
    const sql = 'SELECT id, name FROM sensor';
    let rows: { id: number; name: string }[];
    if (engine === 'sqlite') {
      const d = new Database(sqlitePath(db.url), { readonly: true });
      rows = d.prepare(sql).all() as typeof rows;
      d.close();
    } else {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      rows = (await c.query(sql)).rows;
      await c.end();
    }
    expect(rows).toEqual([{ id: 0, name: '*' }]);
  });
});
