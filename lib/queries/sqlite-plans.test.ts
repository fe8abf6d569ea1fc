/**
 * How SQLite answers some of the views' reads, on the fixture: the statements a query
 * runs are recorded and their plans asked for. On a /16 year, reading the table rows
 * instead of one index is the difference between ~10 and ~150-350 ms for a first request
 * (docs/BENCHMARKS.md):
 * - a host ranking's random access (its candidates' sums over the period) reads
 *   daily_host_ip_day_sums_idx alone;
 * - a country's window split of a port seeks that country's rows in a covering index.
 */
import { describe, expect, test, vi } from 'vitest';
import { openSqlite } from '@/lib/db/raw';
import * as reads from '@/lib/db/sqlite-reads';
import { getHosts } from './hosts';
import { getSeries } from './series';
import { Q3 } from './testing/fixture';
import { useFixtureDb } from './testing/fixture-db';

vi.mock('server-only', () => ({}));
vi.mock('@/lib/db/sqlite-reads', async (original) => {
  const real = await original<typeof reads>();
  return { ...real, sqliteRows: vi.fn(real.sqliteRows) };
});

const all = { ids: [0], names: [], combined: false };

describe('query plans on sqlite', () => {
  const db = useFixtureDb('sqlite');

  /** The plans of the statements `run` made whose SQL passes `pick`. */
  async function plansOf(run: () => Promise<unknown>, pick: (sql: string) => boolean) {
    const spy = vi.mocked(reads.sqliteRows);
    spy.mockClear();
    await run();
    const picked = spy.mock.calls.filter(([, sql]) => pick(sql));
    expect(picked.length).toBeGreaterThan(0);
    const raw = openSqlite(db().url, { readonly: true });
    try {
      return picked.map(([, sql, values]) =>
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

  /** The plans of the candidates' sums getHosts ran for `args`. */
  function sumPlans(args: Partial<Parameters<typeof getHosts>[0]>): Promise<string[]> {
    return plansOf(
      async () => {
        const hosts = await getHosts(
          { period: Q3, limit: 5, scope: all, ...args },
          { startDepth: 2 },
        );
        expect(hosts.length).toBeGreaterThan(0);
      },
      (sql) => /\bip IN \(/.test(sql) && /GROUP BY ip/.test(sql),
    );
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

  test("a country's window split of a port reads one covering index", async () => {
    const plans = await plansOf(
      async () => {
        const s = await getSeries({
          period: Q3,
          metric: 'sources',
          port: { proto: 'tcp', port: 445 },
          country: 'JP',
          split: 'window',
          limit: 1,
          scope: all,
        });
        expect(s.series.length).toBeGreaterThan(0);
      },
      (sql) => /FROM daily_window\b/.test(sql),
    );
    for (const plan of plans) {
      expect(plan).toContain(
        'USING COVERING INDEX daily_window_sensor_id_port_country_day_window_packets_sources_idx (sensor_id=? AND port=? AND country=? AND day>? AND day<?)',
      );
    }
  });
});
