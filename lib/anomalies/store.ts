/**
 * Stored anomalies: detection results are upserted by their stable id, so re-detection
 * updates a row and keeps its review state (reviewed, note, reviewedAt). Rows of a
 * re-detected day (or period) that are no longer found are deleted unless reviewed:
 * a reviewed anomaly stays as the analyst saw it.
 */
import type { Period } from '../api/period';
import { daysOf } from '../api/period';
import type { Db } from './load';
import { DETECTOR_VERSION } from './params';
import type { Anomaly, AnomalyDetails, StoredAnomaly } from './types';

export const DAILY_KINDS = ['backscatter', 'spike', 'level-shift'] as const;
export const PERIOD_KINDS = ['campaign-growth', 'rank-move'] as const;

export function dayScope(day: string): string {
  return `day:${day}`;
}

export function periodScope(p: Period): string {
  return `period:${p.from}..${p.to}`;
}

function detectionFields(a: Anomaly, now: Date) {
  return {
    kind: a.kind,
    day: a.day,
    periodFrom: a.periodFrom,
    dimension: a.dimension,
    key: a.key,
    metric: a.metric,
    country: a.country,
    proto: a.proto,
    port: a.port,
    asn: a.asn,
    score: a.score,
    severity: a.severity,
    observed: a.observed,
    baseline: a.baseline,
    summary: a.summary,
    link: a.link,
    details: JSON.stringify(a.details),
    detectedAt: now,
  };
}

async function upsertAll(db: Db, list: Anomaly[], now: Date): Promise<void> {
  for (const a of list) {
    const fields = detectionFields(a, now);
    await db.anomaly.upsert({
      where: { id: a.id },
      create: { id: a.id, ...fields },
      update: fields,
    });
  }
}

async function markScanned(db: Db, scopes: string[], now: Date): Promise<void> {
  for (const scope of scopes) {
    await db.anomalyScan.upsert({
      where: { scope },
      create: { scope, version: DETECTOR_VERSION, detectedAt: now },
      update: { version: DETECTOR_VERSION, detectedAt: now },
    });
  }
}

/** Replaces the daily anomalies of the days of `range` with `list` (review state kept). */
export async function saveDaily(
  db: Db,
  range: Period,
  list: Anomaly[],
  now = new Date(),
): Promise<void> {
  const ids = list.map((a) => a.id);
  await db.anomaly.deleteMany({
    where: {
      kind: { in: [...DAILY_KINDS] },
      day: { gte: range.from, lte: range.to },
      reviewed: false,
      id: { notIn: ids },
    },
  });
  await upsertAll(db, list, now);
  await markScanned(db, daysOf(range).map(dayScope), now);
}

/** Replaces the period anomalies of exactly `period` with `list` (review state kept). */
export async function savePeriod(
  db: Db,
  period: Period,
  list: Anomaly[],
  now = new Date(),
): Promise<void> {
  await db.anomaly.deleteMany({
    where: {
      kind: { in: [...PERIOD_KINDS] },
      periodFrom: period.from,
      day: period.to,
      reviewed: false,
      id: { notIn: list.map((a) => a.id) },
    },
  });
  await upsertAll(db, list, now);
  await markScanned(db, [periodScope(period)], now);
}

type Row = Awaited<ReturnType<Db['anomaly']['findMany']>>[number];

export function fromRow(r: Row): StoredAnomaly {
  let details: AnomalyDetails = {};
  try {
    details = JSON.parse(r.details) as AnomalyDetails;
  } catch {
    // A malformed details text shows as none.
  }
  return {
    id: r.id,
    kind: r.kind as StoredAnomaly['kind'],
    day: r.day,
    periodFrom: r.periodFrom,
    dimension: r.dimension as StoredAnomaly['dimension'],
    key: r.key,
    metric: r.metric as StoredAnomaly['metric'],
    country: r.country,
    proto: r.proto,
    port: r.port,
    asn: r.asn,
    score: r.score,
    severity: r.severity,
    observed: r.observed,
    baseline: r.baseline,
    summary: r.summary,
    link: r.link,
    details,
    reviewed: r.reviewed,
    note: r.note,
    reviewedAt: r.reviewedAt ? r.reviewedAt.toISOString() : null,
    detectedAt: r.detectedAt.toISOString(),
  };
}

export interface ListFilter {
  period: Period;
  kinds?: string[];
  country?: string;
  port?: { proto: string; port: number };
  reviewed?: boolean;
  limit?: number;
}

/**
 * The anomalies of a period: daily ones on its days, period ones of exactly this period;
 * by severity (highest first), then day.
 */
export async function listStored(db: Db, f: ListFilter): Promise<StoredAnomaly[]> {
  const rows = await db.anomaly.findMany({
    where: {
      AND: [
        {
          OR: [
            { kind: { in: [...DAILY_KINDS] }, day: { gte: f.period.from, lte: f.period.to } },
            { kind: { in: [...PERIOD_KINDS] }, periodFrom: f.period.from, day: f.period.to },
          ],
        },
        f.kinds?.length ? { kind: { in: f.kinds } } : {},
        f.country ? { country: f.country } : {},
        f.port ? { proto: f.port.proto, port: f.port.port } : {},
        f.reviewed === undefined ? {} : { reviewed: f.reviewed },
      ],
    },
    orderBy: [{ severity: 'desc' }, { day: 'asc' }, { id: 'asc' }],
    take: f.limit,
  });
  return rows.map(fromRow);
}

export async function getStored(db: Db, id: string): Promise<StoredAnomaly | null> {
  const r = await db.anomaly.findUnique({ where: { id } });
  return r ? fromRow(r) : null;
}

/** Sets the review state; null when no such anomaly. */
export async function setReview(
  db: Db,
  id: string,
  review: { reviewed: boolean; note?: string },
  now = new Date(),
): Promise<StoredAnomaly | null> {
  const existing = await db.anomaly.findUnique({ where: { id } });
  if (!existing) return null;
  const r = await db.anomaly.update({
    where: { id },
    data: {
      reviewed: review.reviewed,
      ...(review.note !== undefined ? { note: review.note } : {}),
      reviewedAt: review.reviewed ? now : null,
    },
  });
  return fromRow(r);
}
