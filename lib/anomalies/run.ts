/**
 * Running the detectors and keeping the stored results current:
 * - detectDays: daily detectors over a range of days (re-detected and saved);
 * - detectForPeriod: period detectors (growth, rank moves) of one period;
 * - detectPending: every day whose stored detection is missing or stale (after an ingest);
 * - detectPresetPeriods: the period detections of every preset period (after an ingest);
 * - ensureDetected: what a list request needs (missing / stale days of the period, and
 *   the period's own detections), run on demand by the API.
 *
 * A day's detection is stale when its detector version changed or when a file ingested
 * after it added data to a day it depends on: its baseline history (HISTORY_DAYS before)
 * or the days after it that confirm a level shift.
 */
import {
  addDays,
  daysOf,
  dayToMs,
  type Period,
  periodPresets,
  previousPeriod,
} from '../api/period';
import { earlierDay, laterDay } from './days';
import {
  type DetectOptions,
  detectDaily,
  detectPeriod,
  HISTORY_DAYS,
  OUTAGE_BRIDGE_DAYS,
} from './detect';
import { type Db, loadExtent, loadTotals } from './load';
import { DETECTOR_VERSION, SERIES_PARAMS } from './params';
import { dayScope, periodScope, saveDaily, savePeriod } from './store';

/** Days before a re-detected range that are re-detected with it (multi-day episodes). */
export const CONTEXT_DAYS = 7;

let chain: Promise<unknown> = Promise.resolve();

/** Runs detection jobs one at a time in this process (concurrent requests share the DB). */
function serial<T>(job: () => Promise<T>): Promise<T> {
  const next = chain.then(job, job);
  chain = next.catch(() => undefined);
  return next;
}

function clip(range: Period, extent: Period): Period | null {
  const from = laterDay(range.from, extent.from);
  const to = earlierDay(range.to, extent.to);
  return from <= to ? { from, to } : null;
}

/** Consecutive days as ranges. */
export function toRanges(days: string[]): Period[] {
  const sorted = [...new Set(days)].sort();
  const out: Period[] = [];
  for (const d of sorted) {
    const last = out[out.length - 1];
    if (last && addDays(last.to, 1) === d) last.to = d;
    else out.push({ from: d, to: d });
  }
  return out;
}

/** Re-detects the daily anomalies of `range` (and CONTEXT_DAYS before it); returns their count. */
export async function detectDays(db: Db, range: Period, opts: DetectOptions = {}): Promise<number> {
  const extent = await loadExtent(db);
  if (!extent) return 0;
  const r = clip({ from: addDays(range.from, -CONTEXT_DAYS), to: range.to }, extent);
  if (!r) return 0;
  const found = await detectDaily(db, r, opts);
  await saveDaily(db, r, found);
  return found.length;
}

/** Re-detects the period anomalies of `period`; returns their count. */
export async function detectForPeriod(db: Db, period: Period): Promise<number> {
  const found = await detectPeriod(db, period);
  await savePeriod(db, period, found);
  return found.length;
}

/** Ledger rows whose capture span meets the days of `p` (and those without a span). */
function spanMeets(p: Period) {
  return {
    OR: [
      { firstTs: null },
      { lastTs: null },
      {
        firstTs: { lt: new Date(dayToMs(addDays(p.to, 1))) },
        lastTs: { gte: new Date(dayToMs(p.from)) },
      },
    ],
  };
}

/** Days with data after a day whose data can change its detection (they confirm a level shift). */
const shiftAfter = SERIES_PARAMS.shiftDays - 1;

/**
 * The earliest day whose level-shift window (shiftDays days with data, read across an
 * outage of up to OUTAGE_BRIDGE_DAYS) holds day x: the shiftAfter-th day with data before
 * x. `dataDays` (ascending) are those known; before the first of them, any day may.
 */
function shiftsReaching(dataDays: readonly string[], x: string): string {
  let before = 0;
  while (before < dataDays.length && dataDays[before]! < x) before++;
  const byData = before >= shiftAfter ? dataDays[before - shiftAfter]! : '0000-01-01';
  return laterDay(byData, addDays(x, -(shiftAfter + OUTAGE_BRIDGE_DAYS)));
}

/** Days of `range` whose stored daily detection is missing or stale. */
export async function staleDays(db: Db, range: Period): Promise<string[]> {
  const extent = await loadExtent(db);
  if (!extent) return [];
  const r = clip(range, extent);
  if (!r) return [];
  // Days without data have nothing to detect (and a clock jump puts decades between days).
  // Those after the range too: a shift's days with data reach past an outage.
  const reachTo = addDays(r.to, shiftAfter + OUTAGE_BRIDGE_DAYS);
  const dataDays = [...(await loadTotals(db, r.from, reachTo)).keys()].sort();
  const days = dataDays.filter((d) => d <= r.to);
  const scans = await db.anomalyScan.findMany({
    where: { scope: { in: days.map(dayScope) } },
  });
  const scanned = new Map(
    scans.filter((s) => s.version === DETECTOR_VERSION).map((s) => [s.scope, s.detectedAt]),
  );
  const times = [...scanned.values()].map((d) => d.getTime());
  const oldest = times.length ? new Date(Math.min(...times)) : null;
  // Files ingested since the oldest scan that add to a day whose data the range's
  // detection reads: the baseline before it, the days after that confirm a shift. Only
  // those are loaded (by capture span; a ledger grows by a file per sensor and hour), and
  // only the range's days are marked.
  const touched = new Map<string, number>();
  if (oldest) {
    const reads = { from: addDays(r.from, -HISTORY_DAYS), to: reachTo };
    const files = await db.ingestedFile.findMany({
      where: { ingestedAt: { gt: oldest }, ...spanMeets(reads) },
      select: { days: true, ingestedAt: true },
    });
    for (const f of files) {
      const at = f.ingestedAt.getTime();
      for (const x of f.days.split(',')) {
        if (x < reads.from || x > reads.to) continue;
        const from = laterDay(shiftsReaching(dataDays, x), r.from);
        const to = earlierDay(addDays(x, HISTORY_DAYS), r.to);
        if (from > to) continue;
        for (const d of daysOf({ from, to })) {
          if ((touched.get(d) ?? 0) < at) touched.set(d, at);
        }
      }
    }
  }
  return days.filter((d) => {
    const at = scanned.get(dayScope(d));
    return !at || (touched.get(d) ?? 0) > at.getTime();
  });
}

/** Detects every missing or stale day of the data (call after an ingest). */
export function detectPending(db: Db, opts: DetectOptions = {}): Promise<number> {
  return serial(async () => {
    const extent = await loadExtent(db);
    if (!extent) return 0;
    let n = 0;
    for (const range of toRanges(await staleDays(db, extent)))
      n += await detectDays(db, range, opts);
    return n;
  });
}

/**
 * Whether the period's own detections are missing or stale: a file ingested since added
 * data to a day they read (the period's weeks, and the previous period for rank moves).
 */
async function periodStale(db: Db, period: Period): Promise<boolean> {
  const scan = await db.anomalyScan.findUnique({ where: { scope: periodScope(period) } });
  if (!scan || scan.version !== DETECTOR_VERSION) return true;
  const read = { from: previousPeriod(period).from, to: period.to };
  const newer = await db.ingestedFile.findMany({
    where: { ingestedAt: { gt: scan.detectedAt }, ...spanMeets(read) },
    select: { days: true },
  });
  return newer.some((f) => f.days.split(',').some((d) => d >= read.from && d <= read.to));
}

/**
 * Brings the period detections of every period the view header offers (each quarter
 * and month of the data, periodPresets) up to date, so that opening one does not wait
 * for them (a month at /16 scale takes 6-10 s). Returns how many were detected.
 */
export function detectPresetPeriods(db: Db): Promise<number> {
  return serial(async () => {
    const extent = await loadExtent(db);
    if (!extent) return 0;
    let n = 0;
    for (const period of periodPresets(extent)) {
      if (!(await periodStale(db, period))) continue;
      await detectForPeriod(db, period);
      n++;
    }
    return n;
  });
}

/** Brings the stored anomalies of a period up to date (daily and period detections). */
export function ensureDetected(db: Db, period: Period, opts: DetectOptions = {}): Promise<void> {
  return serial(async () => {
    for (const range of toRanges(await staleDays(db, period))) await detectDays(db, range, opts);
    if (await periodStale(db, period)) await detectForPeriod(db, period);
  });
}
