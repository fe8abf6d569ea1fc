/**
 * Spikes and level shifts in one daily series (packets or distinct sources of a port,
 * country, country x port or AS). Pure: docs/ANOMALIES.md describes the method.
 *
 * Baseline: the median of the trailing `baselineDays` days after dividing out a weekday
 * profile (multiplicative, estimated over the trailing `profileDays`), multiplied back by
 * the day's weekday factor. Spread: the larger of 1.4826 x MAD of the same window, the
 * Poisson spread sqrt(baseline), a floor proportional to the baseline, and 1; and the
 * gap between the window's 90th percentile and its median (divided by 1.2816, which
 * makes it a sigma for normal data), so that a series that was already bursty (an
 * intermittent scanner, a network that is quiet most days) needs a bigger burst to count.
 */

import { addDays } from '../api/period';
import { compareText } from '../compare-text';
import type { SeriesParams } from './params';
import { MAD_TO_SIGMA, mad, mean, median, quantile, weekday, weekdayProfile } from './stats';

/** The standard normal's 90th percentile: (q90 - median) / Z_90 estimates a sigma. */
const Z_90 = 1.2816;

import type { AnomalyMetric } from './types';

export interface SeriesInput {
  /** Consecutive UTC days, oldest first (history before the detection range included). */
  days: string[];
  /** The series' value each day; null when the telescope has no data that day. */
  values: (number | null)[];
  /** The whole telescope's value each day (packets or sources), for the minimum volume. */
  totals: number[];
  metric: AnomalyMetric;
}

export interface SeriesFinding {
  kind: 'spike' | 'level-shift';
  day: string;
  /** Spike: the day's value. Level shift: the new level (median of the days after). */
  observed: number;
  /** Spike: the expected value that day. Level shift: the old level. */
  baseline: number;
  spread: number;
  /** Robust z-score: (observed - baseline) / spread. */
  score: number;
  ratio: number;
  /** observed - baseline. */
  excess: number;
  /** |excess| as a share of the telescope's total that day. */
  share: number;
}

interface DayStat {
  /** Deseasonalised level of the trailing window and its spread (same units). */
  level: number;
  spread: number;
  /** Weekday factors (0 = Sunday) and the day's own. */
  profile: number[];
  factor: number;
}

/** The smallest excess that counts on a day with this telescope total. */
export function minExcess(total: number, metric: AnomalyMetric, p: SeriesParams): number {
  const abs = metric === 'packets' ? p.minExcessPackets : p.minExcessSources;
  return Math.max(abs, p.minExcessShare * total);
}

/** Baseline statistics of day index t from the days before it (null: too little history). */
function dayStat(input: SeriesInput, t: number, p: SeriesParams): DayStat | null {
  const { days, values } = input;
  const profDays: string[] = [];
  const profVals: number[] = [];
  for (let i = Math.max(0, t - p.profileDays); i < t; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    profDays.push(days[i]!);
    profVals.push(v);
  }
  const profile = weekdayProfile(profDays, profVals, {
    minLevel: p.profileMinLevel,
    clip: p.profileClip,
  });
  const window: number[] = [];
  for (let i = Math.max(0, t - p.baselineDays); i < t; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    window.push(v / profile[weekday(days[i]!)]!);
  }
  if (window.length < p.minHistoryDays) return null;
  const level = median(window);
  const spread = Math.max(
    MAD_TO_SIGMA * mad(window, level),
    (quantile(window, 0.9) - level) / Z_90,
    Math.sqrt(level),
    p.relativeSpreadFloor * level,
    1,
  );
  return { level, spread, profile, factor: profile[weekday(days[t]!)]! };
}

function ratioOf(observed: number, baseline: number): number {
  return observed / Math.max(baseline, 0.5);
}

/** Spikes and level shifts on the days of [from, to] (inclusive UTC days). */
export function detectSeries(
  input: SeriesInput,
  range: { from: string; to: string },
  p: SeriesParams,
): SeriesFinding[] {
  const { days, values, totals, metric } = input;
  const stats = new Map<number, DayStat | null>();
  const statAt = (t: number): DayStat | null => {
    if (!stats.has(t)) stats.set(t, dayStat(input, t, p));
    return stats.get(t) ?? null;
  };
  // Level shifts count days with data: a telescope outage (null days) neither fills a
  // shift's window nor becomes its change day.
  const data = dataDays(values);

  // Level shifts: candidate days, grouped into episodes of consecutive days.
  const shiftCandidates: { k: number; t: number; sign: number; level: number; newLevel: number }[] =
    [];
  // Candidates from two shift lengths before the range, so that a change that began
  // before the range is attributed to its own day (and left out), not to range.from.
  const shiftFrom = addDays(range.from, -2 * p.shiftDays);
  for (let k = 0; k < data.length; k++) {
    const t = data[k]!;
    const day = days[t]!;
    if (day < shiftFrom) continue;
    if (day > range.to || k + p.shiftDays > data.length) break;
    const s = statAt(t);
    if (!s) continue;
    const post = data
      .slice(k, k + p.shiftDays)
      .map((i) => values[i]! / s.profile[weekday(days[i]!)]!);
    const newLevel = median(post);
    const diff = newLevel - s.level;
    const sign = Math.sign(diff);
    if (sign === 0) continue;
    const ratio = sign > 0 ? ratioOf(newLevel, s.level) : s.level / Math.max(newLevel, 0.5);
    const agree = post.filter((v) => (v - s.level) * sign >= 2 * s.spread).length;
    const need = minExcess(totals[t] ?? 0, metric, p);
    if (
      ratio >= p.shiftRatio &&
      Math.abs(diff) / s.spread >= p.shiftZ &&
      agree >= p.shiftAgreeDays &&
      Math.abs(diff) >= need
    ) {
      shiftCandidates.push({ k, t, sign, level: s.level, newLevel });
    }
  }
  const shifts: (SeriesFinding & { t: number; sign: number })[] = [];
  for (let i = 0; i < shiftCandidates.length; ) {
    let j = i;
    while (
      j + 1 < shiftCandidates.length &&
      shiftCandidates[j + 1]!.k === shiftCandidates[j]!.k + 1 &&
      shiftCandidates[j + 1]!.sign === shiftCandidates[i]!.sign
    )
      j++;
    // The change day: where the week after differs most from the week before.
    let best = shiftCandidates[i]!;
    let bestJump = -1;
    for (let k = i; k <= j; k++) {
      const c = shiftCandidates[k]!;
      const before = meanOf(values, data.slice(Math.max(0, c.k - p.shiftDays), c.k));
      const after = meanOf(values, data.slice(c.k, c.k + p.shiftDays));
      const jump = Math.abs(after - before);
      if (jump > bestJump) {
        bestJump = jump;
        best = c;
      }
    }
    const s = statAt(best.t)!;
    const observed = best.newLevel * s.factor;
    const baseline = best.level * s.factor;
    shifts.push({
      kind: 'level-shift',
      t: best.t,
      sign: best.sign,
      day: days[best.t]!,
      observed,
      baseline,
      spread: s.spread * s.factor,
      score: (best.newLevel - best.level) / s.spread,
      ratio: ratioOf(observed, baseline),
      excess: observed - baseline,
      share: Math.abs(observed - baseline) / Math.max(totals[best.t] ?? 0, 1),
    });
    i = j + 1;
  }

  const out: SeriesFinding[] = [];
  for (let t = 0; t < days.length; t++) {
    const day = days[t]!;
    if (day < range.from || day > range.to) continue;
    const x = values[t];
    if (x === null || x === undefined) continue;
    const need = minExcess(totals[t] ?? 0, metric, p);
    if (x < need) continue;
    const s = statAt(t);
    if (!s) continue;
    const baseline = s.level * s.factor;
    const spread = s.spread * s.factor;
    const excess = x - baseline;
    const score = excess / spread;
    const ratio = ratioOf(x, baseline);
    if (score < p.spikeZ || ratio < p.spikeRatio || excess < need) continue;
    // A day inside an upward shift's first weeks is the shift, unless it stands out on
    // the new level too.
    const inShift = shifts.some(
      (sh) =>
        sh.sign > 0 && t >= sh.t && t < sh.t + p.baselineDays && x <= p.spikeRatio * sh.observed,
    );
    if (inShift) continue;
    out.push({
      kind: 'spike',
      day,
      observed: x,
      baseline,
      spread,
      score,
      ratio,
      excess,
      share: excess / Math.max(totals[t] ?? 0, 1),
    });
  }
  for (const { t: _t, sign: _s, ...f } of shifts) {
    if (f.day >= range.from && f.day <= range.to) out.push(f);
  }
  return out.sort((a, b) => compareText(a.day, b.day));
}

/** Indexes of the days with data (a non-null value), ascending. */
function dataDays(values: readonly (number | null)[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++)
    if (values[i] !== null && values[i] !== undefined) out.push(i);
  return out;
}

/** The mean of the values at `at` (days with data); 0 for none. */
function meanOf(values: readonly (number | null)[], at: readonly number[]): number {
  return at.length ? mean(at.map((i) => values[i]!)) : 0;
}

/** The value, baseline and score of one day (index t), or null without enough history. */
export function evaluateDay(
  input: SeriesInput,
  t: number,
  p: SeriesParams,
): { observed: number; baseline: number; spread: number; score: number; ratio: number } | null {
  const x = input.values[t];
  if (x === null || x === undefined) return null;
  const s = dayStat(input, t, p);
  if (!s) return null;
  const baseline = s.level * s.factor;
  const spread = s.spread * s.factor;
  return {
    observed: x,
    baseline,
    spread,
    score: (x - baseline) / spread,
    ratio: ratioOf(x, baseline),
  };
}

/**
 * The level before day t and the median of the `shiftDays` days with data from t (the
 * other metric of a shift).
 */
export function evaluateShift(
  input: SeriesInput,
  t: number,
  p: SeriesParams,
): { observed: number; baseline: number; spread: number; score: number; ratio: number } | null {
  const s = dayStat(input, t, p);
  if (!s) return null;
  const post = dataDays(input.values)
    .filter((i) => i >= t)
    .slice(0, p.shiftDays)
    .map((i) => input.values[i]!);
  if (post.length === 0) return null;
  const observed = median(post);
  const baseline = s.level * s.factor;
  const spread = s.spread * s.factor;
  return {
    observed,
    baseline,
    spread,
    score: (observed - baseline) / spread,
    ratio: ratioOf(observed, baseline),
  };
}
