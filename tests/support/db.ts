/**
 * Fresh databases for tests, with the migrations applied: a SQLite file in a temp
 * folder, or a new database (CREATE DATABASE) on the test PostgreSQL server that
 * tests/support/global-setup.ts provides.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { deployMigrations } from '../../lib/db/migrations';
import { disconnectPrisma } from '../../lib/db/prisma';
import type { Engine } from '../../lib/db/url';

export const ENGINES: Engine[] = ['sqlite', 'postgres'];

export interface TestDb {
  engine: Engine;
  url: string;
  /** Deletes the file / drops the database. */
  cleanup(): Promise<void>;
}

/** The test PostgreSQL server's superuser URL. */
export function testPgUrl(): string {
  let url: string | undefined;
  try {
    url = inject('pgUrl');
  } catch {
    // Outside a vitest worker.
  }
  url ??= process.env.SCANLINE_TEST_PG_URL;
  if (!url) {
    throw new Error(
      'No test PostgreSQL server: run through vitest (tests/support/global-setup.ts) or set SCANLINE_TEST_PG_URL',
    );
  }
  return url;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** An empty SQLite file URL (no migrations) and its cleanup. */
export function emptySqliteDb(): TestDb {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scanline-db-'));
  return {
    engine: 'sqlite',
    url: `file:${path.join(dir, 'scanline.db')}`,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An empty PostgreSQL database (no migrations) and its cleanup. */
export async function emptyPgDb(): Promise<TestDb> {
  const admin = testPgUrl();
  const name = `scanline_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
  return {
    engine: 'postgres',
    url: withDatabase(admin, name),
    async cleanup() {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      try {
        await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await d.end();
      }
    },
  };
}

export async function emptyDb(engine: Engine): Promise<TestDb> {
  return engine === 'sqlite' ? emptySqliteDb() : emptyPgDb();
}

/** A fresh database with Scanline's migrations applied. */
export async function freshDb(engine: Engine): Promise<TestDb> {
  const db = await emptyDb(engine);
  await deployMigrations(db.url);
  return db;
}

/**
 * For a describe block: a function that makes fresh databases, every one of them closed
 * (Prisma clients) and removed after the block.
 */
export function freshDbsFor(engine: Engine): () => Promise<TestDb> {
  const dbs: TestDb[] = [];
  afterAll(async () => {
    for (const db of dbs) {
      await disconnectPrisma(db.url);
      await db.cleanup();
    }
  });
  return async () => {
    const db = await freshDb(engine);
    dbs.push(db);
    return db;
  };
}
