/**
 * The detectors' SQL and the anomaly store on both engines (SQLite file and PostgreSQL),
 * against the small web fixture (a few days of 2020 with the NZ backscatter days).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disconnectPrisma, getPrisma } from '@/lib/db';
import { NZ_BACKSCATTER } from '@/lib/queries/testing/fixture';
import { seedFixture } from '@/lib/queries/testing/seed';
import { ENGINES, freshDb, type TestDb } from '@/tests/support/db';
import { detectDaily, detectPeriod } from './detect';
import { anomalyId } from './id';
import { detectPending, ensureDetected, staleDays } from './run';
import { listStored, saveDaily, setReview } from './store';
import type { Anomaly } from './types';

const Q3 = { from: '2020-07-01', to: '2020-09-30' };

describe.each(ENGINES)('anomaly detection and store on %s', (engine) => {
  let db: TestDb;

  beforeAll(async () => {
    db = await freshDb(engine);
    await seedFixture(db.url);
  });

  afterAll(async () => {
    await disconnectPrisma(db.url);
    await db.cleanup();
  });

  test('backscatter events from the per-host rows; every loader runs', async () => {
    const prisma = getPrisma(db.url);
    const found = await detectDaily(prisma, Q3, { telescopeAddresses: 16 });
    const events = found.filter((a) => a.kind === 'backscatter' && a.country === 'NZ');
    expect(events.map((e) => [e.day, e.asn, e.details.backscatter?.victims.length])).toEqual(
      expect.arrayContaining(NZ_BACKSCATTER.map((b) => [b.day, b.asn, b.hosts])),
    );
    expect(events).toHaveLength(3);
    const e = events.find((x) => x.day === '2020-08-31')!;
    expect(e.details.backscatter!.telescopeSource).toBe('configured');
    expect(e.details.backscatter!.ports.map((p) => p.port)).toEqual(['443/tcp', '23/tcp']);
    // Period detectors run on both engines (the fixture is too sparse for findings).
    await expect(detectPeriod(prisma, Q3)).resolves.toBeInstanceOf(Array);
  });

  test('stored by stable id; review kept across re-detection; stale days found', async () => {
    const prisma = getPrisma(db.url);
    expect(await staleDays(prisma, { from: '2020-08-27', to: '2020-08-31' })).toEqual([
      '2020-08-27',
      '2020-08-28',
      '2020-08-29',
      '2020-08-30',
      '2020-08-31',
    ]);
    expect(await detectPending(prisma)).toBeGreaterThanOrEqual(3);
    expect(await staleDays(prisma, { from: '2020-04-01', to: '2020-09-30' })).toEqual([]);
    await ensureDetected(prisma, Q3);
    const stored = await listStored(prisma, { period: Q3, kinds: ['backscatter'], country: 'NZ' });
    expect(stored).toHaveLength(3);
    const target = stored[0]!;
    expect(target.id).toBe(anomalyId('backscatter', target.day, target.day, 'asn', target.key));
    await setReview(prisma, target.id, { reviewed: true, note: 'checked' });

    // Re-detection that no longer finds anything: unreviewed rows go, reviewed stay.
    const day = { from: target.day, to: target.day };
    await saveDaily(prisma, day, []);
    const left = await listStored(prisma, { period: day });
    expect(left.map((a) => [a.id, a.reviewed, a.note])).toEqual([[target.id, true, 'checked']]);

    // Found again: detection fields updated, review state kept.
    const again: Anomaly = { ...target, summary: 'updated', severity: 1 };
    await saveDaily(prisma, day, [again]);
    const [row] = await listStored(prisma, { period: day });
    expect([row!.summary, row!.reviewed, row!.note]).toEqual(['updated', true, 'checked']);
    expect(await setReview(prisma, '0123456789abcdef', { reviewed: true })).toBeNull();
  });
});
