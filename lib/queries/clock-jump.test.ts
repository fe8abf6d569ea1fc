/**
 * A sensor whose clock jumped (a packet dated 1970 after a reset, or years ahead) puts a
 * day far outside the data. The views, the detectors and the month caches must keep to
 * the months that have data: on real databases (SQLite file and PostgreSQL), seeded with
 * the fixture (2020-04-01 .. 2020-09-30) and one stray record at each end.
 */
import { describe, expect, test, vi } from 'vitest';
import { getPrisma } from '@/lib/db';
import { ENGINES } from '@/tests/support/db';
import { CONTEXT_DAYS, detectPending, detectPresetPeriods } from '../anomalies/run';
import { addDays, monthsOf, periodPresets } from '../api/period';
import { resolvePeriod } from './db';
import { getMeta } from './meta';
import { fixtureRecords, Q3 } from './testing/fixture';
import { useFixtureDb } from './testing/fixture-db';
import { warmMonthCaches } from './warm-months';

vi.mock('server-only', () => ({}));

const records = fixtureRecords();
const stray = (day: string) => ({ ...records[0]!, day, packets: 1 });
const FIXTURE_MONTHS = monthsOf({ from: '2020-04', to: '2020-09' });
const seeded = [...records, stray('1970-01-02'), stray('2037-04-22')];

describe.each(ENGINES)('a sensor clock that jumped, on %s', { timeout: 120_000 }, (engine) => {
  const db = useFixtureDb(engine, seeded);

  test('meta: the extent says so, the default period is the last quarter with data', async () => {
    const meta = await getMeta();
    expect(meta.extent).toEqual({
      from: '1970-01-02',
      to: '2037-04-22',
      months: ['1970-01', ...FIXTURE_MONTHS, '2037-04'],
    });
    expect(meta.defaultPeriod).toEqual(Q3);
    expect(await resolvePeriod(null)).toEqual(Q3);
    // The picker offers the quarters and months that have data, not 67 years of them.
    expect(periodPresets(meta.extent!).map((p) => p.label)).toEqual([
      '2037-Q2',
      '2020-Q3',
      '2020-Q2',
      '1970-Q1',
      '2037-04',
      ...[...FIXTURE_MONTHS].reverse(),
      '1970-01',
    ]);
  });

  test('detection covers the days and presets with data', async () => {
    const prisma = getPrisma(db().url);
    await detectPending(prisma);
    expect(await detectPresetPeriods(prisma)).toBe(12);
    const scans = await prisma.anomalyScan.findMany({ select: { scope: true } });
    const days = scans.map((s) => s.scope).filter((s) => s.startsWith('day:'));
    // Every day with data, and no day more than CONTEXT_DAYS before one (the decades
    // between the strays and the fixture were never looked at).
    const dataDays = new Set(seeded.map((r) => r.day));
    expect(days).toEqual(expect.arrayContaining([...dataDays].map((d) => `day:${d}`)));
    const nearData = (d: string) =>
      Array.from({ length: CONTEXT_DAYS + 1 }, (_, k) => addDays(d, k)).some((x) =>
        dataDays.has(x),
      );
    expect(days.filter((s) => !nearData(s.slice('day:'.length)))).toEqual([]);
    expect(await detectPresetPeriods(prisma)).toBe(0);
  });

  test('month caches: the whole months with data', async () => {
    expect((await warmMonthCaches()).months).toEqual(FIXTURE_MONTHS);
  });
});
