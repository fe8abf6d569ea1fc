/**
 * Severity, the list's sort key (0..100), comparable across kinds. See docs/ANOMALIES.md.
 *
 * Daily series and backscatter: the geometric mean of how unusual (fold change over the
 * baseline, log2, saturating at 64x) and how big (the excess as a share of the whole
 * telescope's traffic that day, saturating at 5%).
 */
import type { RankMove } from './rank-moves';

const FOLD_SATURATION = 6; // log2(64)
const SHARE_SATURATION = 0.05;

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

export function seriesSeverity(ratio: number, share: number): number {
  const fold = clamp01(Math.log2(Math.max(ratio, 1)) / FOLD_SATURATION);
  const size = clamp01(share / SHARE_SATURATION);
  return 100 * Math.sqrt(fold * size);
}

/**
 * Campaign growth: growth relative to the rest (log2, saturating at 4x) and the extra
 * weekly hosts as a share of the port's weekly hosts (saturating at 50%).
 */
export function growthSeverity(growth: number, restGrowth: number, extraShare: number): number {
  const fold = clamp01(Math.log2(Math.max(growth / Math.max(restGrowth, 0.5), 1)) / 2);
  const size = clamp01(extraShare / 0.5);
  return 100 * Math.sqrt(fold * size);
}

/** Rank moves: a new first place 50; a jump 20 + 5 per place (at most 50); a new entry 25. */
export function rankSeverity(m: Pick<RankMove, 'kind' | 'jump' | 'rank'>): number {
  if (m.kind === 'new-first') return 50;
  if (m.kind === 'new-entry') return 25 + Math.max(0, 10 - m.rank);
  return Math.min(50, 20 + 5 * m.jump);
}
