import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { disconnectPrisma } from '@/lib/db';
import { openSqlite } from '@/lib/db/raw';
import { seedFixture } from '@/lib/queries/testing/seed';
import { freshDb, type TestDb } from '@/tests/support/db';
import { paramsKey } from './result-cache';
import { runEndpoint } from './server';

vi.mock('server-only', () => ({}));

let db: TestDb;
const saved = { url: process.env.DATABASE_URL, cache: process.env.SCANLINE_RESULT_CACHE };

beforeAll(async () => {
  db = await freshDb('sqlite');
  await seedFixture(db.url);
  process.env.DATABASE_URL = db.url;
  process.env.SCANLINE_RESULT_CACHE = '1';
});

afterAll(async () => {
  await disconnectPrisma(db.url);
  await db.cleanup();
  process.env.DATABASE_URL = saved.url;
  process.env.SCANLINE_RESULT_CACHE = saved.cache;
});

describe('result cache of the aggregate endpoints', () => {
  test('parameter order does not matter', () => {
    expect(paramsKey(new URLSearchParams('to=2020-09-30&from=2020-07-01'))).toBe(
      paramsKey({ from: '2020-07-01', to: '2020-09-30', country: undefined }),
    );
  });

  test('a result is reused until the ledger or the sensors change', async () => {
    const params = new URLSearchParams('from=2020-07-01&to=2020-09-30');
    const before = await runEndpoint('totals', params);
    const raw = openSqlite(db.url, { busyTimeoutMs: 5000 });
    try {
      // Behind the ledger's back: the cached answer stays.
      raw.prepare('UPDATE daily_total SET packets = packets + 1000').run();
      expect(await runEndpoint('totals', params)).toEqual(before);
      // A new sensor moves the version: the query runs again and sees the change.
      raw
        .prepare('INSERT INTO sensor (name, prefixes, created_at) VALUES (?, ?, ?)')
        .run('cache-test', '', new Date().toISOString());
    } finally {
      raw.close();
    }
    const after = await runEndpoint('totals', params);
    expect(after).not.toEqual(before);
  });

  test('failures are not kept: a bad request fails every time', async () => {
    const bad = new URLSearchParams('from=2020-13-01&to=2020-09-30');
    await expect(runEndpoint('totals', bad)).rejects.toThrow();
    await expect(runEndpoint('totals', bad)).rejects.toThrow();
  });
});
