/**
 * The month caches made ahead of requests (warm-months.ts), on both engines, against
 * the fixture: what is made, that rankings over the warmed months then make nothing and
 * answer as before, that a second run changes nothing; and `scanline warm` as a user
 * runs it (outside Next.js, where lib/queries' `server-only` marker must resolve).
 */
import { describe, expect, test, vi } from 'vitest';
import { getPrisma } from '@/lib/db';
import { ENGINES } from '@/tests/support/db';
import { finished, startScanline } from '@/tests/support/scanline-cli';
import { getHosts } from './hosts';
import { Q3 } from './testing/fixture';
import { useFixtureDb } from './testing/fixture-db';
import { getTopCountries } from './top-countries';
import { getTopPorts } from './top-ports';
import { WARM_DEFAULTS, warmMonthCaches, wholeMonths } from './warm-months';

vi.mock('server-only', () => ({}));

const all = { ids: [0], names: [], combined: false };
const FIXTURE_MONTHS = ['2020-04', '2020-05', '2020-06', '2020-07', '2020-08', '2020-09'];

test('whole months: only those the extent covers from first to last day, with data', () => {
  const span = (from: string, to: string, months = FIXTURE_MONTHS) => ({ from, to, months });
  expect(wholeMonths(span('2020-04-01', '2020-09-30'))).toEqual(FIXTURE_MONTHS);
  expect(wholeMonths(span('2020-04-02', '2020-09-29'))).toEqual(FIXTURE_MONTHS.slice(1, 5));
  expect(wholeMonths(span('2020-02-01', '2020-02-29', ['2020-02']))).toEqual(['2020-02']);
  expect(wholeMonths(span('2020-02-03', '2020-02-20', ['2020-02']))).toEqual([]);
  // A packet dated 1970 (a sensor clock reset): not the 600 empty months up to the data.
  expect(wholeMonths(span('1970-01-02', '2020-09-30', ['1970-01', ...FIXTURE_MONTHS]))).toEqual(
    FIXTURE_MONTHS,
  );
});

describe.each(ENGINES)('month caches on %s', { timeout: 120_000 }, (engine) => {
  const db = useFixtureDb(engine);

  const cacheRows = async () => {
    const prisma = getPrisma(db().url);
    const sketches = await prisma.monthSketch.findMany({
      select: { kind: true, month: true, key: true, total: true },
      orderBy: [{ kind: 'asc' }, { month: 'asc' }, { key: 'asc' }],
    });
    const lists = await prisma.monthHostList.findMany({
      select: { kind: true, month: true, depth: true, total: true },
      orderBy: [{ kind: 'asc' }, { month: 'asc' }],
    });
    return { sketches, lists };
  };
  const clearCaches = async () => {
    const prisma = getPrisma(db().url);
    await prisma.monthSketch.deleteMany({});
    await prisma.monthHostList.deleteMany({});
  };
  /** Rankings over Q3 whose sources come from month sketches, and a host ranking. */
  const answers = async () => ({
    ports: await getTopPorts({ period: Q3, limit: 5, scope: all }),
    nzPorts: await getTopPorts({ period: Q3, limit: 5, country: 'NZ', scope: all }),
    countries: await getTopCountries({ period: Q3, limit: 250, scope: all }),
    port445: await getTopCountries({
      period: Q3,
      limit: 250,
      port: { proto: 'tcp', port: 445 },
      scope: all,
    }),
    hosts: await getHosts({ period: Q3, limit: 50, scope: all }),
  });

  test('made for every whole month; rankings then read them and answer the same', async () => {
    await clearCaches();
    const cold = await answers();
    expect(cold.nzPorts.length).toBeGreaterThan(0);
    await clearCaches();

    const summary = await warmMonthCaches();
    expect(summary.months).toEqual(FIXTURE_MONTHS);
    const made = await cacheRows();
    const kinds = new Set(made.sketches.map((s) => s.kind));
    for (const k of ['country', 'port', 'country:NZ', 'port:445/tcp']) expect(kinds).toContain(k);
    for (const month of FIXTURE_MONTHS) {
      expect(made.sketches.some((s) => s.month === month && s.kind === 'country')).toBe(true);
      expect(made.lists.some((l) => l.month === month && l.kind === 'hosts')).toBe(true);
    }
    expect(summary.sketchKeys).toBe(made.sketches.length);
    expect(summary.hostLists).toBeLessThanOrEqual(
      FIXTURE_MONTHS.length * (1 + WARM_DEFAULTS.hostCountries),
    );

    // The rankings over Q3 find every month they need kept: nothing is added.
    const warm = await answers();
    expect(warm).toEqual(cold);
    expect(await cacheRows()).toEqual(made);

    // Again: everything is current, nothing is made or rewritten.
    const again = await warmMonthCaches();
    expect(again.sketchKeys).toBe(summary.sketchKeys);
    expect(await cacheRows()).toEqual(made);
  });

  test('scanline warm: runs outside Next.js, one line per month', async () => {
    await clearCaches();
    const run = await finished(startScanline(['warm', '--db', db().url, '--month', '2020-08']));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^warm 2020-08: \d+ month sketches, \d+ host lists in /m);
    expect(run.stdout).toMatch(/^month caches: 1 months in /m);
    const rows = await cacheRows();
    expect(new Set(rows.sketches.map((s) => s.month))).toEqual(new Set(['2020-08']));
    const bad = await finished(startScanline(['warm', '--db', db().url, '--month', '2020-13']));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--month: expected YYYY-MM (got '2020-13')");
  });
});
