/** CSV of exactly what a chart plots (RFC 4180 quoting, '\n' line ends). */
import type { BarData } from './bars';
import type { PlottedSeries, ZoomRange } from './types';

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLines(rows: (string | number | null | undefined)[][]): string {
  return `${rows.map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

/** One row per UTC day (within the zoom when given), one column per series. */
export function seriesCsv(data: PlottedSeries, zoom: ZoomRange = null): string {
  const header = ['day_utc', ...data.series.map((s) => s.name)];
  const rows: (string | number | null)[][] = [header];
  data.days.forEach((day, i) => {
    if (zoom && (day < zoom.from || day > zoom.to)) return;
    rows.push([day, ...data.series.map((s) => (s.values[i] === undefined ? 0 : s.values[i]))]);
  });
  return csvLines(rows);
}

/** One row per category, one column per series. */
export function barCsv(data: BarData, categoryHeader: string): string {
  return csvLines([
    [categoryHeader, ...data.series.map((s) => s.name)],
    ...data.categories.map((c, i) => [c, ...data.series.map((s) => s.values[i] ?? 0)]),
  ]);
}
