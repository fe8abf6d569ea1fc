/**
 * Anomalies as annotations on the daily trend charts: a dashed line on an anomalous
 * day, a shaded area over a range (level shift, multi-day episode, growth period).
 * Pure option transforms over the trend builder's output (lib/charts/trend.ts), so any
 * trend chart can carry them. Needs ECharts' MarkLine and MarkArea components
 * registered (components/anomalies/marked-trend.tsx does it).
 */
import type { ChartOption } from '../charts/types';
import { earlierDay, laterDay } from './days';
import type { Anomaly } from './types';

export interface AnomalyMark {
  from: string;
  to: string;
  label: string;
  /** 0..100: the stronger, the darker. */
  severity: number;
  id?: string;
}

const MARK_COLOR = '#d9480f';

/** The `mark` URL parameter: 'YYYY-MM-DD' or 'FROM..TO'; null when absent or malformed. */
export function parseMarkParam(
  raw: string | null | undefined,
): { from: string; to: string } | null {
  if (!raw) return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/.exec(raw.trim());
  if (!m) return null;
  const from = m[1]!;
  const to = m[2] ?? from;
  return from <= to ? { from, to } : null;
}

function shortLabel(a: Pick<Anomaly, 'kind' | 'details'>): string {
  if (a.kind === 'backscatter') return 'DDoS backscatter';
  if (a.kind === 'level-shift') return 'level shift';
  if (a.kind === 'campaign-growth') return 'growth';
  if (a.kind === 'rank-move') return 'rank move';
  const r = a.details.ratio;
  return r ? `spike ${r >= 10 ? Math.round(r) : Math.round(r * 10) / 10}x` : 'spike';
}

/** Marks for a list of anomalies: the event's day(s); level shifts from their change day. */
export function marksFor(
  list: Pick<Anomaly, 'id' | 'kind' | 'day' | 'periodFrom' | 'severity' | 'details'>[],
): AnomalyMark[] {
  return list.map((a) => {
    const range =
      a.kind === 'level-shift'
        ? { from: a.day, to: a.details.mark?.to ?? a.day }
        : a.kind === 'campaign-growth' || a.kind === 'rank-move'
          ? { from: a.periodFrom, to: a.day }
          : { from: a.day, to: a.day };
    return { ...range, label: shortLabel(a), severity: a.severity, id: a.id };
  });
}

type SeriesOption = Record<string, unknown>;

/**
 * The option with the marks drawn on its first series, clipped to the chart's days
 * (the x axis categories). Marks outside the days are left out.
 */
export function withAnomalyMarks(option: ChartOption, marks: AnomalyMark[]): ChartOption {
  if (marks.length === 0) return option;
  const xAxis = (Array.isArray(option.xAxis) ? option.xAxis[0] : option.xAxis) as
    | { data?: unknown[] }
    | undefined;
  const days = (xAxis?.data ?? []).map(String);
  if (days.length === 0) return option;
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const series = (
    Array.isArray(option.series) ? option.series : option.series ? [option.series] : []
  ) as SeriesOption[];
  if (series.length === 0) return option;
  const lines: unknown[] = [];
  const areas: unknown[] = [];
  for (const m of marks) {
    if (m.to < first || m.from > last) continue;
    const from = laterDay(m.from, first);
    const to = earlierDay(m.to, last);
    const opacity = 0.1 + 0.2 * Math.min(1, Math.max(0, m.severity / 100));
    if (from === to) {
      lines.push({
        xAxis: from,
        name: m.label,
        label: { formatter: m.label, color: MARK_COLOR, fontSize: 11, position: 'insideEndTop' },
        lineStyle: { color: MARK_COLOR, type: 'dashed', width: 1.5 },
      });
    } else {
      areas.push([
        {
          xAxis: from,
          name: m.label,
          itemStyle: { color: MARK_COLOR, opacity },
          label: { color: MARK_COLOR, fontSize: 11, position: 'insideTop' },
        },
        { xAxis: to },
      ]);
    }
  }
  if (lines.length === 0 && areas.length === 0) return option;
  const [head, ...rest] = series;
  const marked: SeriesOption = {
    ...head,
    ...(lines.length
      ? { markLine: { silent: true, symbol: ['none', 'none'], animation: false, data: lines } }
      : {}),
    ...(areas.length ? { markArea: { silent: true, animation: false, data: areas } } : {}),
  };
  return { ...option, series: [marked, ...rest] as ChartOption['series'] };
}
