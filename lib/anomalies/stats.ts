/**
 * Robust statistics for the detectors: median, MAD, a weekday profile, Theil-Sen slope
 * and Spearman's rank correlation. Pure functions over plain number arrays.
 */

/** The median of the values (NaN for none). Does not modify the input. */
export function median(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = n >> 1;
  return n % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The q-quantile (0..1) by linear interpolation between order statistics (NaN for none). */
export function quantile(values: readonly number[], q: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Median absolute deviation from the median (unscaled; multiply by 1.4826 for a sigma). */
export function mad(values: readonly number[], center = median(values)): number {
  if (values.length === 0) return Number.NaN;
  return median(values.map((v) => Math.abs(v - center)));
}

/** 1.4826 * MAD estimates the standard deviation of normally distributed values. */
export const MAD_TO_SIGMA = 1.4826;

/** Day of the week of a 'YYYY-MM-DD' UTC day, 0 = Sunday. */
export function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/**
 * Multiplicative weekday factors from a window of daily values: for each weekday, the
 * median of that weekday's values divided by the median of all values, clipped to
 * [min, max]. Returns seven 1s when the window is too short (under two weeks) or too
 * small in volume for the factors to mean anything (median below `minLevel`).
 */
export function weekdayProfile(
  days: readonly string[],
  values: readonly number[],
  opts: { minLevel: number; clip: [number, number] },
): number[] {
  const flat = [1, 1, 1, 1, 1, 1, 1];
  if (values.length < 14) return flat;
  const level = median(values);
  if (!(level >= opts.minLevel)) return flat;
  const byDay: number[][] = [[], [], [], [], [], [], []];
  for (let i = 0; i < values.length; i++) byDay[weekday(days[i]!)]!.push(values[i]!);
  return byDay.map((vs) => {
    if (vs.length < 2) return 1;
    const f = median(vs) / level;
    return Math.min(opts.clip[1], Math.max(opts.clip[0], f));
  });
}

/** Theil-Sen slope: the median of the pairwise slopes (0 for fewer than two points). */
export function theilSenSlope(ys: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < ys.length; i++)
    for (let j = i + 1; j < ys.length; j++) slopes.push((ys[j]! - ys[i]!) / (j - i));
  return slopes.length ? median(slopes) : 0;
}

/** Ranks with ties averaged (1-based). */
function ranks(values: readonly number[]): number[] {
  const idx = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length).fill(0);
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[idx[k]![1]] = r;
    i = j + 1;
  }
  return out;
}

/** Spearman's rank correlation of the values with their position (time). 0 if constant. */
export function spearmanWithTime(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const r = ranks(ys);
  const t = ys.map((_, i) => i + 1);
  const mean = (n + 1) / 2;
  let num = 0;
  let dr = 0;
  let dt = 0;
  for (let i = 0; i < n; i++) {
    num += (r[i]! - mean) * (t[i]! - mean);
    dr += (r[i]! - mean) ** 2;
    dt += (t[i]! - mean) ** 2;
  }
  return dr === 0 || dt === 0 ? 0 : num / Math.sqrt(dr * dt);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}
