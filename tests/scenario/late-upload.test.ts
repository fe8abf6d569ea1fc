/**
 * A sensor that lost its uplink for a week uploads that week's captures later. Once
 * they are ingested (and the post-ingest detection has run, as after every `scanline
 * ingest`), the stored anomalies must be those of an ingest of every capture at once:
 * the late days re-detect the days whose baselines and level shifts read them (here up
 * to early September, well before the data ends, so that re-detected range is followed
 * by days it must read, not zeros). The `2020-q3` scenario at the test scale, ingested
 * twice by the real pipeline into fresh SQLite files.
 */
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { listStored } from '@/lib/anomalies/store';
import { monthOf, type Period, quarterOf } from '@/lib/api/period';
import { disconnectPrisma, getPrisma } from '@/lib/db';
import { buildScenarioDb, type ScenarioDb } from './scenario-db';

vi.mock('server-only', () => ({}));

/** Generating and ingesting the test scale twice, with detection: a few minutes at most. */
const BUILD_TIMEOUT_MS = 20 * 60_000;
/** The week of captures uploaded late: every sensor's files of 2020-07-06 to 2020-07-12. */
const OUTAGE = /-202007(0[6-9]|1[0-2])\.pcap$/;

let whole: ScenarioDb;
let late: ScenarioDb;

beforeAll(async () => {
  whole = await buildScenarioDb('test', { detect: true });
  late = await buildScenarioDb('test', {
    captures: whole.captures,
    detect: true,
    late: (file) => OUTAGE.test(file),
  });
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  for (const s of [late, whole]) {
    if (!s) continue;
    await disconnectPrisma(s.url);
    await s.cleanup();
  }
});

async function stored(url: string, period: Period) {
  const found = await listStored(getPrisma(url), { period, limit: 10_000 });
  return found.map((a) => `${a.id} ${a.kind} ${a.day} ${a.severity} ${a.summary}`);
}

test('a week uploaded late: the same anomalies as every capture ingested at once', async () => {
  expect([whole.problems, late.problems]).toEqual([[], []]);
  expect(late.files).toBe(whole.files);
  expect(late.packets).toBe(whole.packets);
  const q3 = quarterOf('2020-07-01');
  const periods = [
    quarterOf('2020-04-01'),
    q3,
    ...['2020-07-01', '2020-08-01', '2020-09-01'].map(monthOf),
  ];
  for (const period of periods) {
    expect(await stored(late.url, period), `${period.from}..${period.to}`).toEqual(
      await stored(whole.url, period),
    );
  }
  expect((await stored(whole.url, q3)).length).toBeGreaterThan(10);
});
