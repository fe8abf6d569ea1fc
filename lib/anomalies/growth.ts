/**
 * Campaign growth: the weekly distinct-host count of a fingerprint or TCP window size on
 * a port rising steadily through a period while the rest of the port stays flat.
 * Pure: docs/ANOMALIES.md describes the method.
 */
import { addDays, dayCount } from '../api/period';
import type { GrowthParams } from './params';
import { mean, spearmanWithTime } from './stats';

export interface Week {
  from: string;
  to: string;
}

/**
 * Whole weeks (7 UTC days) ending on the period's last day; the remainder at the start of
 * the period (fewer than 7 days) is left out.
 */
export function periodWeeks(period: { from: string; to: string }): Week[] {
  const n = Math.floor(dayCount(period) / 7);
  const out: Week[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const to = addDays(period.to, -7 * i);
    out.push({ from: addDays(to, -6), to });
  }
  return out;
}

/** Index of the week holding `day`, or -1. */
export function weekIndexer(weeks: Week[]): (day: string) => number {
  return (day) => {
    for (let i = 0; i < weeks.length; i++) {
      const w = weeks[i]!;
      if (day >= w.from && day <= w.to) return i;
    }
    return -1;
  };
}

export interface GrowthInput {
  hosts: number[];
  rest: number[];
}

export interface GrowthFinding {
  /** Mean weekly hosts of the first and of the last `edgeWeeks` weeks. */
  start: number;
  end: number;
  growth: number;
  restStart: number;
  restEnd: number;
  restGrowth: number;
  trend: number;
  /** growth / restGrowth */
  score: number;
}

/**
 * Each week replaced by the median of it and its neighbours (the ends kept), so that one
 * burst week (a scanning burst of many hosts) neither makes a trend nor breaks one.
 */
export function runningMedian3(xs: readonly number[]): number[] {
  return xs.map((x, i) => {
    if (i === 0 || i === xs.length - 1) return x;
    return [xs[i - 1]!, x, xs[i + 1]!].sort((p, q) => p - q)[1]!;
  });
}

export function detectGrowth(input: GrowthInput, p: GrowthParams): GrowthFinding | null {
  const { hosts, rest } = input;
  const k = p.edgeWeeks;
  if (hosts.length < 2 * k || rest.length !== hosts.length) return null;
  const start = mean(hosts.slice(0, k));
  const end = mean(hosts.slice(-k));
  const restStart = mean(rest.slice(0, k));
  const restEnd = mean(rest.slice(-k));
  const growth = end / Math.max(start, 1);
  const restGrowth = restEnd / Math.max(restStart, 1);
  const trend = spearmanWithTime(runningMedian3(hosts));
  const portWeekly = (end + restEnd + start + restStart) / 2;
  const extra = end - start;
  if (growth < p.minGrowth) return null;
  if (restGrowth > p.maxRestGrowth || restGrowth < p.minRestGrowth) return null;
  if (trend < p.minTrend) return null;
  if (extra < Math.max(p.minExtraHosts, p.minExtraShare * portWeekly)) return null;
  return {
    start,
    end,
    growth,
    restStart,
    restEnd,
    restGrowth,
    trend,
    score: growth / Math.max(restGrowth, 0.5),
  };
}
