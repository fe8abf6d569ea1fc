/**
 * How PostgreSQL answers a port's window split, on the fixture: the statements getSeries
 * runs are recorded and their plans asked for. PostgreSQL tables are heaps, so reading
 * the rows of daily_port_window meant one random page per day and window (a port's
 * quarter at /16 scale: ~640 pages, 150-250 ms from a cold cache); its covering index
 * answers from the index alone (docs/BENCHMARKS.md). The same for the port rankings'
 * candidates: rows of a period of at least a bound, and which ports they are.
 */
import pg from 'pg';
import { describe, expect, test, vi } from 'vitest';
import * as reads from '@/lib/db/pg-reads';
import { getSeries } from './series';
import { Q3 } from './testing/fixture';
import { useFixtureDb } from './testing/fixture-db';
import { getTopPorts } from './top-ports';

vi.mock('server-only', () => ({}));
vi.mock('@/lib/db/pg-reads', async (original) => {
  const real = await original<typeof reads>();
  return { ...real, pgRows: vi.fn(real.pgRows) };
});

const all = { ids: [0], names: [], combined: false };

describe('query plans on postgres', () => {
  const db = useFixtureDb('postgres');

  /**
   * The plans of the statements `run` made whose SQL passes `pick`, after what autovacuum
   * does after an ingest on `table` (the visibility map and the statistics that let the
   * planner skip the heap). Seqscans are off, so that the choice between indexes does
   * not depend on the fixture's small size.
   */
  async function plansOf(
    table: string,
    run: () => Promise<unknown>,
    pick: (sql: string) => boolean,
  ): Promise<string[]> {
    const client = new pg.Client({ connectionString: db().url });
    await client.connect();
    try {
      await client.query(`VACUUM ANALYZE ${table}`);
      const spy = vi.mocked(reads.pgRows);
      spy.mockClear();
      await run();
      const picked = spy.mock.calls.filter(([, text]) => pick(text));
      expect(picked.length).toBeGreaterThan(0);
      await client.query('SET enable_seqscan = off');
      const plans: string[] = [];
      for (const [, text, values] of picked) {
        const plan = await client.query(`EXPLAIN ${text}`, [...values]);
        plans.push(plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n'));
      }
      return plans;
    } finally {
      await client.end();
    }
  }

  test("a port's window split reads daily_port_window's covering index alone", async () => {
    const plans = await plansOf(
      'daily_port_window',
      async () => {
        const s = await getSeries({
          period: Q3,
          metric: 'sources',
          port: { proto: 'tcp', port: 445 },
          split: 'window',
          limit: 2,
          scope: all,
        });
        expect(s.series.length).toBeGreaterThan(1);
      },
      (sql) => /FROM daily_port_window\b/.test(sql),
    );
    for (const plan of plans) {
      expect(plan).toContain(
        'Index Only Scan using daily_port_window_sensor_id_port_day_window_packets_sources_idx',
      );
    }
  });

  test("a country's port ranking finds its candidate rows and their ports in one index", async () => {
    const paths: string[] = [];
    const plans = await plansOf(
      'monthly_country_port',
      async () => {
        const top = await getTopPorts(
          { period: Q3, limit: 3, country: 'NZ', scope: all },
          { onPath: (p) => paths.push(p) },
        );
        expect(top.length).toBe(3);
      },
      (sql) => /FROM monthly_country_port\b/.test(sql) && /packets >=/.test(sql),
    );
    expect(paths).toContain('threshold');
    for (const plan of plans) {
      expect(plan).toContain(
        'Index Only Scan using monthly_country_port_sensor_id_country_month_packets_proto__idx',
      );
    }
  });
});
