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

  test("a port's window split reads daily_port_window's covering index alone", async () => {
    const client = new pg.Client({ connectionString: db().url });
    await client.connect();
    try {
      // What autovacuum does after an ingest: the visibility map and the statistics
      // that let the planner skip the heap.
      await client.query('VACUUM ANALYZE daily_port_window');
      const spy = vi.mocked(reads.pgRows);
      spy.mockClear();
      const s = await getSeries({
        period: Q3,
        metric: 'sources',
        port: { proto: 'tcp', port: 445 },
        split: 'window',
        limit: 2,
        scope: all,
      });
      expect(s.series.length).toBeGreaterThan(1);
      const picked = spy.mock.calls.filter(([, text]) => /FROM daily_port_window\b/.test(text));
      expect(picked.length).toBeGreaterThan(0);
      // Without seqscans the planner's choice does not depend on the fixture's small size.
      await client.query('SET enable_seqscan = off');
      for (const [, text, values] of picked) {
        const plan = await client.query(`EXPLAIN ${text}`, [...values]);
        const lines = plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
        expect(lines).toContain(
          'Index Only Scan using daily_port_window_sensor_id_port_day_window_packets_sources_idx',
        );
      }
    } finally {
      await client.end();
    }
  });

  test("a country's port ranking finds its candidate rows and their ports in one index", async () => {
    const client = new pg.Client({ connectionString: db().url });
    await client.connect();
    try {
      await client.query('VACUUM ANALYZE monthly_country_port');
      const spy = vi.mocked(reads.pgRows);
      spy.mockClear();
      const paths: string[] = [];
      const top = await getTopPorts(
        { period: Q3, limit: 3, country: 'NZ', scope: all },
        { onPath: (p) => paths.push(p) },
      );
      expect(top.length).toBe(3);
      expect(paths).toContain('threshold');
      const picked = spy.mock.calls.filter(
        ([, text]) => /FROM monthly_country_port\b/.test(text) && /packets >=/.test(text),
      );
      expect(picked.length).toBeGreaterThan(0);
      await client.query('SET enable_seqscan = off');
      for (const [, text, values] of picked) {
        const plan = await client.query(`EXPLAIN ${text}`, [...values]);
        const lines = plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
        expect(lines).toContain(
          'Index Only Scan using monthly_country_port_sensor_id_country_month_packets_proto__idx',
        );
      }
    } finally {
      await client.end();
    }
  });
});
