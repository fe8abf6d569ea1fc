/** Small statistics over the daily series the view queries return. */
import type { Period } from '@/lib/api/period';
import type { SeriesResponse } from '@/lib/api/types';

/** The values of the series called `name` (throws naming the series that is missing). */
export function seriesValues(r: SeriesResponse, name: string): number[] {
  const s = r.series.find((x) => x.name === name);
  if (!s) throw new Error(`no series '${name}' (got ${r.series.map((x) => x.name).join(', ')})`);
  return s.values;
}

/** Element-wise a - b. */
export function minus(a: number[], b: number[]): number[] {
  return a.map((x, i) => x - (b[i] ?? 0));
}

/** Element-wise a + b. */
export function plus(a: number[], b: number[]): number[] {
  return a.map((x, i) => x + (b[i] ?? 0));
}

export function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The values of the days inside `p` (days and values as a SeriesResponse gives them). */
export function within(days: string[], values: number[], p: Period): number[] {
  return values.filter((_, i) => days[i]! >= p.from && days[i]! <= p.to);
}

export function sumWithin(days: string[], values: number[], p: Period): number {
  return within(days, values, p).reduce((s, x) => s + x, 0);
}

/** Mean per calendar month ('2020-04' -> mean of that month's days), in month order. */
export function monthlyMeans(days: string[], values: number[]): { month: string; mean: number }[] {
  const byMonth = new Map<string, number[]>();
  days.forEach((d, i) => {
    const m = d.slice(0, 7);
    let xs = byMonth.get(m);
    if (!xs) {
      xs = [];
      byMonth.set(m, xs);
    }
    xs.push(values[i] ?? 0);
  });
  return [...byMonth]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([month, xs]) => ({ month, mean: mean(xs) }));
}

/** Means of consecutive whole blocks of `size` days starting at `from`. */
export function blockMeans(days: string[], values: number[], from: string, size: number): number[] {
  const start = days.indexOf(from);
  if (start < 0) throw new Error(`${from} is not in the series`);
  const out: number[] = [];
  for (let a = start; a + size <= days.length; a += size) out.push(mean(values.slice(a, a + size)));
  return out;
}

export function strictlyIncreasing(xs: number[]): boolean {
  return xs.every((x, i) => i === 0 || x > xs[i - 1]!);
}

/** How many times a value is below the one before it. */
export function dips(xs: number[]): number {
  return xs.filter((x, i) => i > 0 && x < xs[i - 1]!).length;
}

/** Each day divided by its centred 15-day moving average: the ups and downs around the trend. */
export function detrend(xs: number[], half = 7): number[] {
  return xs.map((x, i) => {
    const w = xs.slice(Math.max(0, i - half), Math.min(xs.length, i + half + 1));
    const m = mean(w);
    return m > 0 ? x / m : 1;
  });
}

/** Pearson correlation. */
export function correlation(a: number[], b: number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  a.forEach((x, i) => {
    const y = b[i] ?? 0;
    sab += (x - ma) * (y - mb);
    saa += (x - ma) ** 2;
    sbb += (y - mb) ** 2;
  });
  return sab / Math.sqrt(saa * sbb);
}

/** The `n` days with the largest values. */
export function peakDays(days: string[], values: number[], n: number): string[] {
  return values
    .map((v, i) => [v, days[i]!] as const)
    .sort((a, b) => b[0] - a[0] || a[1].localeCompare(b[1]))
    .slice(0, n)
    .map(([, d]) => d);
}

/**
 * Burst days inside `p`: days whose value is more than `factor` times the median of the
 * `half` days on either side (the day itself left out), with a non-zero median.
 */
export function burstDays(
  days: string[],
  values: number[],
  p: Period,
  factor = 2,
  half = 3,
): { day: string; ratio: number }[] {
  const out: { day: string; ratio: number }[] = [];
  days.forEach((day, i) => {
    if (day < p.from || day > p.to) return;
    const around = [
      ...values.slice(Math.max(0, i - half), i),
      ...values.slice(i + 1, Math.min(values.length, i + half + 1)),
    ];
    const m = median(around);
    const v = values[i] ?? 0;
    if (m > 0 && v > factor * m) out.push({ day, ratio: v / m });
  });
  return out;
}
