/**
 * Annotations on the daily trend charts (drawn by buildTrendOption, so the views, their
 * PNG/SVG exports and the server PNG route draw the same thing):
 * - a pin (ECharts markPoint) per anomaly on its day, on the series it is about, with
 *   its one-sentence summary in the tooltip;
 * - the highlighted range of an anomaly deep link (`mark=DAY` or `mark=FROM..TO`) as a
 *   shaded band (markArea) or, for one day, a solid line (markLine), in a colour of its
 *   own; the linked anomaly's pin (`anomaly=ID`) is drawn larger in that colour.
 * Needs MarkPoint, MarkArea and MarkLine registered (lib/charts/echarts-core.ts).
 */
import { earlierDay, laterDay } from '../anomalies/days';
import { TEXT } from './palette';

/** One anomaly as drawn on a trend chart. */
export interface ChartMark {
  /** The UTC day the pin stands on. */
  day: string;
  /** Short text ('DDoS backscatter', 'spike 61x'). */
  label: string;
  /** One sentence: what happened (the tooltip). */
  summary: string;
  /** 0..100. */
  severity: number;
  /** Name of the series the pin sits on; the first series when absent or not plotted. */
  series?: string;
  id?: string;
  /** The anomaly a deep link names: drawn distinctly. */
  selected?: boolean;
}

/** An inclusive range of UTC days to highlight (the `mark` URL parameter). */
export interface MarkRange {
  from: string;
  to: string;
}

export const MARK_COLOR = '#d9480f';
export const HIGHLIGHT_COLOR = '#b00020';
export const HIGHLIGHT_LABEL = 'linked anomaly';

type Obj = Record<string, unknown>;

export function escapeHtml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Pin {
  day: string;
  seriesIndex: number;
  marks: ChartMark[];
}

/**
 * Pins grouped by (day, series), in the series' coordinates: the plotted value of that
 * day (stacked series: the top of the stack at that series).
 */
function pinsOf(
  marks: ChartMark[],
  days: string[],
  names: string[],
  values: (number | null)[][],
  stacked: boolean,
  log: boolean,
): { pin: Pin; y: number }[] {
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const groups = new Map<string, Pin>();
  for (const m of marks) {
    if (!dayIndex.has(m.day)) continue;
    const found = m.series === undefined ? -1 : names.indexOf(m.series);
    const seriesIndex = Math.max(found, 0);
    const key = `${m.day}|${seriesIndex}`;
    let g = groups.get(key);
    if (!g) {
      g = { day: m.day, seriesIndex, marks: [] };
      groups.set(key, g);
    }
    g.marks.push(m);
  }
  return [...groups.values()].map((pin) => {
    const j = dayIndex.get(pin.day)!;
    let y = 0;
    if (stacked) for (let i = 0; i <= pin.seriesIndex; i++) y += values[i]?.[j] ?? 0;
    else y = values[pin.seriesIndex]?.[j] ?? 0;
    if (log && !(y >= 1)) y = 1;
    pin.marks.sort((a, b) => Number(b.selected) - Number(a.selected) || b.severity - a.severity);
    return { pin, y };
  });
}

export interface MarkInput {
  days: string[];
  /** The plotted series (after log-scale cleaning), in order. */
  series: { name: string; values: (number | null)[] }[];
  marks: ChartMark[];
  highlight: MarkRange | null;
  stacked: boolean;
  log: boolean;
}

/**
 * markPoint / markArea / markLine options per series index (only the series that get
 * something), clipped to the chart's days.
 */
export function markOptions(input: MarkInput): Map<number, Obj> {
  const { days } = input;
  const out = new Map<number, Obj>();
  if (days.length === 0 || input.series.length === 0) return out;
  const names = input.series.map((s) => s.name);
  const values = input.series.map((s) => s.values);
  const at = (i: number) => {
    let o = out.get(i);
    if (!o) {
      o = {};
      out.set(i, o);
    }
    return o;
  };

  const pins = pinsOf(input.marks, days, names, values, input.stacked, input.log);
  const bySeries = new Map<number, Obj[]>();
  for (const { pin, y } of pins) {
    const top = pin.marks[0]!;
    const selected = pin.marks.some((m) => m.selected);
    const color = selected ? HIGHLIGHT_COLOR : MARK_COLOR;
    const more = pin.marks.length > 1 ? ` +${pin.marks.length - 1}` : '';
    const item: Obj = {
      name: top.label,
      coord: [pin.day, y],
      value: top.label,
      symbol: 'pin',
      symbolSize: selected ? 42 : 30,
      itemStyle: { color, opacity: selected ? 1 : 0.55 + 0.45 * Math.min(1, top.severity / 100) },
      label: selected
        ? {
            show: true,
            position: 'top',
            formatter: `${top.label}${more}`,
            color: HIGHLIGHT_COLOR,
            fontSize: 11,
            fontWeight: 'bold',
          }
        : { show: true, position: 'inside', formatter: '!', color: '#ffffff', fontSize: 11 },
      tooltip: {
        formatter: pin.marks
          .map((m) => `<b>${escapeHtml(m.label)}</b> (${m.day}): ${escapeHtml(m.summary)}`)
          .join('<br/>'),
      },
      anomalyIds: pin.marks.map((m) => m.id ?? ''),
    };
    const list = bySeries.get(pin.seriesIndex) ?? [];
    list.push(item);
    bySeries.set(pin.seriesIndex, list);
  }
  for (const [i, data] of bySeries) {
    at(i).markPoint = {
      animation: false,
      tooltip: {
        trigger: 'item',
        confine: true,
        extraCssText: 'max-width:420px;white-space:normal',
      },
      data,
    };
  }

  const h = input.highlight;
  const first = days[0]!;
  const last = days[days.length - 1]!;
  if (h && h.to >= first && h.from <= last) {
    const from = laterDay(h.from, first);
    const to = earlierDay(h.to, last);
    const label = {
      show: true,
      formatter: HIGHLIGHT_LABEL,
      color: HIGHLIGHT_COLOR,
      fontSize: 11,
      fontWeight: 'bold',
    };
    if (from === to) {
      at(0).markLine = {
        silent: true,
        animation: false,
        symbol: ['none', 'none'],
        data: [
          {
            xAxis: from,
            name: HIGHLIGHT_LABEL,
            lineStyle: { color: HIGHLIGHT_COLOR, type: 'solid', width: 2 },
            label: { ...label, position: 'insideEndTop' },
          },
        ],
      };
    } else {
      at(0).markArea = {
        silent: true,
        animation: false,
        data: [
          [
            {
              xAxis: from,
              name: HIGHLIGHT_LABEL,
              itemStyle: {
                color: HIGHLIGHT_COLOR,
                opacity: 0.12,
                borderColor: HIGHLIGHT_COLOR,
                borderWidth: 1,
              },
              label: { ...label, position: 'insideTop' },
            },
            { xAxis: to },
          ],
        ],
      };
    }
  }
  return out;
}

interface AxisParam {
  marker?: string;
  seriesName?: string;
  value?: unknown;
  axisValue?: string | number;
  name?: string;
}

/**
 * The axis tooltip of a chart with marks: the default rows (largest value first) and,
 * under them, the summaries of the anomalies on the hovered day.
 */
export function markedTooltip(
  marks: ChartMark[],
  highlight: MarkRange | null,
  formatValue: (v: number | null) => string,
) {
  const byDay = new Map<string, ChartMark[]>();
  for (const m of marks) byDay.set(m.day, [...(byDay.get(m.day) ?? []), m]);
  return (raw: unknown): string => {
    const params = (Array.isArray(raw) ? raw : [raw]) as AxisParam[];
    const day = String(params[0]?.axisValue ?? params[0]?.name ?? '');
    const rows = [...params]
      .sort((a, b) => Number(b.value ?? -1) - Number(a.value ?? -1))
      .map(
        (p) =>
          `<div>${p.marker ?? ''}${escapeHtml(String(p.seriesName ?? ''))} <b style="float:right;margin-left:16px">${formatValue(
            p.value === null || p.value === undefined ? null : Number(p.value),
          )}</b></div>`,
      );
    const notes = (byDay.get(day) ?? []).map(
      (m) =>
        `<div style="margin-top:4px;white-space:normal;color:${m.selected ? HIGHLIGHT_COLOR : TEXT}"><b>${escapeHtml(m.label)}</b>: ${escapeHtml(m.summary)}</div>`,
    );
    if (highlight && day >= highlight.from && day <= highlight.to && notes.length === 0) {
      notes.push(
        `<div style="margin-top:4px;color:${HIGHLIGHT_COLOR}">In the ${HIGHLIGHT_LABEL}'s days</div>`,
      );
    }
    return `<div style="max-width:420px">${escapeHtml(day)}${rows.join('')}${notes.join('')}</div>`;
  };
}
