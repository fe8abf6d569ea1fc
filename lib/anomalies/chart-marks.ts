/**
 * Anomalies as annotations on the daily trend charts.
 * - Which stored anomalies a trend chart shows (`chartAnomalyParams`: the request to
 *   /api/v1/anomalies; `chartMarksFor`: the ones matching the chart's port, country and
 *   split, pinned on the series they are about). The views and the server PNG route use
 *   both, so a chart and its server PNG carry the same marks; lib/charts/marks.ts draws
 *   them (buildTrendOption's `marks` and `highlight`).
 * - `withAnomalyMarks`: a dashed line on an anomalous day, a shaded area over a range
 *   (the anomaly view's evidence chart).
 * Needs ECharts' MarkPoint, MarkLine and MarkArea components (lib/charts/echarts-core.ts).
 */

import type { ApiParams } from '../api/endpoints';
import type { ChartMark } from '../charts/marks';
import type { ChartOption } from '../charts/types';
import { compareText } from '../compare-text';
import { earlierDay, laterDay } from './days';
import type { Anomaly, AnomalyKind } from './types';

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

export function shortLabel(a: Pick<Anomaly, 'kind' | 'details'>): string {
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

/** Kinds drawn on trend charts (rank moves are about rankings, not a day of a series). */
export const CHART_MARK_KINDS: readonly AnomalyKind[] = [
  'backscatter',
  'spike',
  'level-shift',
  'campaign-growth',
];

/** At most this many anomalies are pinned on one chart (the most severe; the linked one always). */
export const CHART_MARK_LIMIT = 12;

/** How many anomalies a chart's request asks for (then filtered to the chart's series). */
export const CHART_ANOMALY_REQUEST_LIMIT = 200;

/**
 * The /api/v1/anomalies request for a trend chart's data parameters (those of
 * /api/v1/series or /api/v1/port-share/series): the same period, port and country.
 * Null without a period (the views always have one; the PNG route passes the data's).
 */
export function chartAnomalyParams(data: ApiParams): ApiParams | null {
  if (!data.from || !data.to) return null;
  return {
    from: data.from,
    to: data.to,
    port: data.port || undefined,
    country: data.country || undefined,
    kind: CHART_MARK_KINDS.join(','),
    limit: String(CHART_ANOMALY_REQUEST_LIMIT),
  };
}

type MarkSource = Pick<
  Anomaly,
  | 'id'
  | 'kind'
  | 'day'
  | 'dimension'
  | 'key'
  | 'country'
  | 'proto'
  | 'port'
  | 'severity'
  | 'summary'
  | 'details'
>;

function portOf(a: MarkSource): string | null {
  return a.port !== null && a.proto ? `${a.port}/${a.proto}` : null;
}

/** The series of a split chart an anomaly is about, or null when it is not about one. */
function seriesFor(a: MarkSource, split: string | undefined, names: string[]): string | null {
  let name: string | null = null;
  if (split === 'port') name = portOf(a);
  else if (split === 'country') name = a.country;
  else if (split === 'window') {
    const m = /window (\d+)$/.exec(a.key);
    name = m && (a.dimension === 'window' || a.dimension === 'country-window') ? m[1]! : null;
  } else if (split === 'fingerprint') {
    const m = / fp:(\S+)$/.exec(a.key);
    name = m && a.dimension === 'fingerprint' ? m[1]! : null;
  }
  return name !== null && names.includes(name) ? name : null;
}

/**
 * The anomalies of `list` that belong on a trend chart with data parameters `data`
 * plotting the series `names`, as chart marks: same port and country as the chart (a
 * chart without them takes every anomaly); on a chart split by port or country only
 * anomalies about a plotted series (pinned on it); on a window or fingerprint split,
 * anomalies about a plotted window or fingerprint pin on it, the rest on the first line.
 * The most severe CHART_MARK_LIMIT, plus the anomaly `selectedId` when it matches.
 */
export function chartMarksFor(
  list: readonly MarkSource[],
  data: ApiParams,
  names: string[],
  selectedId?: string,
): ChartMark[] {
  const split = data.split || undefined;
  const out: ChartMark[] = [];
  const sorted = [...list].sort(
    (a, b) =>
      Number(b.id === selectedId) - Number(a.id === selectedId) ||
      b.severity - a.severity ||
      compareText(a.day, b.day),
  );
  for (const a of sorted) {
    if (out.length >= CHART_MARK_LIMIT) break;
    if (!CHART_MARK_KINDS.includes(a.kind)) continue;
    if (data.country && a.country !== data.country.toUpperCase()) continue;
    if (data.port && portOf(a) !== data.port.toLowerCase()) continue;
    const series = seriesFor(a, split, names);
    if ((split === 'port' || split === 'country') && series === null) continue;
    out.push({
      day: a.day,
      label: shortLabel(a),
      summary: a.summary,
      severity: a.severity,
      ...(series !== null ? { series } : {}),
      id: a.id,
      ...(a.id === selectedId ? { selected: true } : {}),
    });
  }
  return out;
}
