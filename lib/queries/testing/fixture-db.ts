/**
 * A fresh database of one engine seeded with the fixture for a test file's describe
 * block, and DATABASE_URL pointing at it while the block runs (the view queries read the
 * database DATABASE_URL names).
 */
import { afterAll, beforeAll } from 'vitest';
import { disconnectPrisma } from '@/lib/db/prisma';
import type { Engine } from '@/lib/db/url';
import { freshDb, type TestDb } from '@/tests/support/db';
import { type FixtureRecord, fixtureRecords } from './fixture';
import { seedFixture } from './seed';

/** Call inside a describe block; the returned function gives the database in its tests. */
export function useFixtureDb(
  engine: Engine,
  records: FixtureRecord[] = fixtureRecords(),
): () => TestDb {
  let db: TestDb | undefined;
  const saved = process.env.DATABASE_URL;
  beforeAll(async () => {
    db = await freshDb(engine);
    await seedFixture(db.url, records);
    process.env.DATABASE_URL = db.url;
  });
  afterAll(async () => {
    if (db) {
      await disconnectPrisma(db.url);
      await db.cleanup();
    }
    process.env.DATABASE_URL = saved;
  });
  return () => {
    if (!db) throw new Error('useFixtureDb: the database is made in beforeAll');
    return db;
  };
}
