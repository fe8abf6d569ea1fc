/** Small statistics and formatting helpers of the dashboard benchmark. */

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function ms(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

/** A markdown table; a header ending in ':' marks a right-aligned (numeric) column. */
export function table(head: string[], rows: (string | number)[][]): string {
  const right = head.map((h) => h.endsWith(':'));
  const titles = head.map((h) => h.replace(/:$/, ''));
  const body = rows.map((r) => r.map(String));
  const widths = titles.map((t, i) =>
    Math.max(3, t.length, ...body.map((r) => (r[i] ?? '').length)),
  );
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const sep = `| ${widths.map((w, i) => (right[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(titles), sep, ...body.map(line)].join('\n');
}
