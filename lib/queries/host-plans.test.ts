/**
 * How SQLite answers the host rankings' reads, on the fixture: the statements getHosts
 * runs are recorded and their plans asked for. A ranking's random access (its candidates'
 * sums over the period) must be a read of daily_host_ip_day_sums_idx alone; on a /16
 * year a read of the table rows instead is the difference between ~15 and ~350 ms for a
 * first request (docs/BENCHMARKS.md).
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { disconnectPrisma } from '@/lib/db';
import { openSqlite } from '@/lib/db/raw';
import * as reads from '@/lib/db/sqlite-reads';
import { freshDb, type TestDb } from '@/tests/support/db';
import { getHosts } from './hosts';
import { fixtureRecords, Q3 } from './testing/fixture';
import { seedFixture } from './testing/seed';

vi.mock('server-only', () => ({}));
vi.mock('@/lib/db/sqlite-reads', async (original) => {
  const real = await original<typeof reads>();
  return { ...real, sqliteRows: vi.fn(real.sqliteRows) };
});

const all = { ids: [0], names: [], combined: false };

describe('host ranking plans on sqlite', () => {
  let db: TestDb;
  const saved = process.env.DATABASE_URL;

  beforeAll(async () => {
    db = await freshDb('sqlite');
    await seedFixture(db.url, fixtureRecords());
    process.env.DATABASE_URL = db.url;
  });

  afterAll(async () => {
    await disconnectPrisma(db.url);
    await db.cleanup();
    process.env.DATABASE_URL = saved;
  });

  /** The plans of the candidates' sums getHosts ran for `args`. */
  async function sumPlans(args: Partial<Parameters<typeof getHosts>[0]>): Promise<string[]> {
    const spy = vi.mocked(reads.sqliteRows);
    spy.mockClear();
    const hosts = await getHosts({ period: Q3, limit: 5, scope: all, ...args }, { startDepth: 2 });
    expect(hosts.length).toBeGreaterThan(0);
    const sums = spy.mock.calls.filter(
      ([, sql]) => /\bip IN \(/.test(sql) && /GROUP BY ip/.test(sql),
    );
    expect(sums.length).toBeGreaterThan(0);
    const raw = openSqlite(db.url, { readonly: true });
    try {
      return sums.map(([, sql, values]) =>
        raw
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...values)
          .map((r) => String((r as { detail: string }).detail))
          .join('; '),
      );
    } finally {
      raw.close();
    }
  }

  test('the candidates of every slice but a port are summed from the index alone', async () => {
    for (const args of [{}, { country: 'NZ' }, { asn: 4713 }, { class: 'scan' as const }]) {
      const plans = await sumPlans(args);
      for (const plan of plans) {
        expect(plan, JSON.stringify(args)).toContain(
          'USING COVERING INDEX daily_host_ip_day_sums_idx (ip=? AND day>? AND day<?)',
        );
      }
    }
  });

  test("a port's candidates are sought by ip and day in the same index", async () => {
    // The port filter reads the row's ports (a LIKE on its JSON), so not covering.
    const plans = await sumPlans({ port: { proto: 'tcp', port: 445 } });
    for (const plan of plans) {
      expect(plan).toContain('USING INDEX daily_host_ip_day_sums_idx (ip=? AND day>? AND day<?)');
    }
  });
});
