/** Number formatting for axes, tooltips and tables (en-US, tabular). */

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compactFmt = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumFractionDigits: 1,
});

/** 1234567 -> '1,234,567' */
export function formatInt(n: number): string {
  return intFmt.format(n);
}

/** 1234567 -> '1.2M' (exact below 10,000). */
export function formatCompact(n: number): string {
  return Math.abs(n) < 10_000 ? intFmt.format(n) : compactFmt.format(n);
}

/** 12.345 -> '12.3%' */
export function formatPct(n: number, digits = 1): string {
  return `${n.toFixed(digits)}%`;
}

/** Relative change in percent, or null when there is nothing to compare with. */
export function changePct(current: number, previous: number): number | null {
  if (previous <= 0) return null;
  return ((current - previous) / previous) * 100;
}

/** '+12.3%' / '−4.0%' */
export function formatChange(pct: number | null): string {
  if (pct === null) return 'new';
  const sign = pct > 0 ? '+' : pct < 0 ? '−' : '±';
  return `${sign}${Math.abs(pct).toFixed(1)}%`;
}
