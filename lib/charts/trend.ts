/**
 * Daily trend lines (or stacked areas) over UTC days: the option builder behind the
 * port trends, port and country detail charts and the server PNG route.
 */
import { formatCompact, formatInt } from './format';
import { type ChartMark, type MarkRange, markedTooltip, markOptions } from './marks';
import { AXIS, GRID_LINE, MUTED, seriesColor, TEXT } from './palette';
import type { ChartOption, PlottedSeries, Scale, SeriesData, ZoomRange } from './types';

export type TrendUnit = 'packets' | 'sources' | 'percent';

export interface TrendInput {
  data: SeriesData;
  unit: TrendUnit;
  scale?: Scale;
  /** Stack series as areas (ignored on a log scale, where stacking misleads). */
  stacked?: boolean;
  /** Visible day range (dataZoom); null shows every day. */
  zoom?: ZoomRange;
  /** Show the zoom slider under the chart (interactive views; not in exports). */
  slider?: boolean;
  /** Previous period's values aligned by day index, drawn dashed (single series only). */
  previous?: number[];
  /**
   * Previous period of each series, by name, aligned by day index: one dashed line per
   * series in its colour, named "NAME (previous)" (unstacked charts only).
   */
  previousSeries?: SeriesData['series'];
  /** Values are per reporting sensor (per=sensor): the axis says so, decimals shown. */
  perSensor?: boolean;
  /** Fixed colours by series name (keeps a port's colour across charts). */
  colors?: Record<string, string>;
  /** Anomalies to pin on their day and series (lib/charts/marks.ts). */
  marks?: ChartMark[];
  /** Days to highlight: the range an anomaly deep link names (`mark=`). */
  highlight?: MarkRange | null;
}

export const UNIT_LABEL: Record<TrendUnit, string> = {
  packets: 'packets / UTC day',
  sources: 'distinct sources / UTC day',
  percent: '% of packets / UTC day',
};

export const PREVIOUS_SERIES = 'previous period';

/** The dashed previous-period line of a series (previousSeries). */
export const previousName = (name: string) => `${name} (previous)`;

/**
 * The previous-period line of each series that has one: its index, its name and its
 * values aligned by day index. A shorter previous period (Q2 has a day fewer than Q3)
 * leaves nulls, a gap rather than a 0.
 */
function previousLines(data: SeriesData, previous: SeriesData['series']) {
  const byName = new Map(previous.map((s) => [s.name, s.values]));
  return data.series.flatMap((s, index) => {
    const values = byName.get(s.name);
    if (!values) return [];
    const aligned = data.days.map((_, d) => values[d] ?? null);
    return [{ index, name: previousName(s.name), values: aligned }];
  });
}

/**
 * What a chart with previousSeries plots, as one table (for its CSV): each series, then
 * each previous-period line, as buildTrendOption draws them.
 */
export function withPreviousSeries(
  data: SeriesData,
  previous: SeriesData['series'] | undefined,
): PlottedSeries {
  if (!previous) return data;
  const extra = previousLines(data, previous).map(({ name, values }) => ({ name, values }));
  return { days: data.days, series: [...data.series, ...extra] };
}

const decimalFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** The y axis name: 'packets / UTC day', or 'packets / sensor / UTC day' per sensor. */
export function unitLabel(unit: TrendUnit, perSensor = false): string {
  return perSensor
    ? UNIT_LABEL[unit].replace(' / UTC day', ' / sensor / UTC day')
    : UNIT_LABEL[unit];
}

/** Layout constants shared with the export frame (caption.ts). */
export const TREND_LAYOUT = { legendTop: 6, gridTop: 44, gridBottom: 28, sliderHeight: 22 };

function axisValue(unit: TrendUnit, perSensor = false) {
  return (v: number) =>
    unit === 'percent'
      ? `${v}%`
      : perSensor && Math.abs(v) < 10_000
        ? decimalFmt.format(v)
        : formatCompact(v);
}

function sameYear(days: string[]): boolean {
  return days.length > 0 && days[0]!.slice(0, 4) === days[days.length - 1]!.slice(0, 4);
}

export function buildTrendOption(input: TrendInput): ChartOption {
  const { data, unit } = input;
  const scale = input.scale ?? 'linear';
  const log = scale === 'log';
  const stacked = Boolean(input.stacked) && !log;
  const shortDays = sameYear(data.days);
  const clean = (v: number) => (log && v <= 0 ? null : v);
  const formatValue = (v: number | null) =>
    v === null
      ? '–'
      : unit === 'percent'
        ? `${v.toFixed(2)}%`
        : input.perSensor
          ? decimalFmt.format(v)
          : formatInt(v);

  const series: NonNullable<ChartOption['series']> = data.series.map((s, i) => {
    const color = input.colors?.[s.name] ?? seriesColor(s.name, i);
    return {
      type: 'line',
      name: s.name,
      data: s.values.map(clean),
      showSymbol: data.days.length <= 31,
      symbolSize: 4,
      connectNulls: false,
      lineStyle: { width: 1.6, color },
      itemStyle: { color },
      emphasis: { focus: 'series' },
      ...(stacked ? { stack: 'total', areaStyle: { opacity: 0.55, color } } : {}),
    };
  });
  if (input.previousSeries && !stacked) {
    for (const line of previousLines(data, input.previousSeries)) {
      const own = data.series[line.index]!.name;
      const color = input.colors?.[own] ?? seriesColor(own, line.index);
      series.push({
        type: 'line',
        name: line.name,
        data: line.values.map((v) => (v === null ? null : clean(v))),
        showSymbol: false,
        lineStyle: { width: 1.1, type: 'dashed', color, opacity: 0.7 },
        itemStyle: { color },
      });
    }
  } else if (input.previous && data.series.length === 1 && !stacked) {
    series.push({
      type: 'line',
      name: PREVIOUS_SERIES,
      data: input.previous.map(clean),
      showSymbol: false,
      lineStyle: { width: 1.2, type: 'dashed', color: MUTED },
      itemStyle: { color: MUTED },
    });
  }

  const marks = input.marks ?? [];
  const highlight = input.highlight ?? null;
  const annotations = markOptions({
    days: data.days,
    series: data.series.map((s, i) => ({
      name: s.name,
      values: (series[i] as { data: (number | null)[] }).data,
    })),
    marks,
    highlight,
    stacked,
    log,
  });
  for (const [i, extra] of annotations)
    series[i] = { ...series[i]!, ...extra } as (typeof series)[number];

  const names = series.map((s) => String((s as { name?: string }).name));
  const zoom = input.zoom ?? null;
  const slider = input.slider ?? false;
  const dataZoom: ChartOption['dataZoom'] = [
    {
      // Holds the day window (a deep link's zoom, or a drag's); no mouse roaming.
      type: 'select',
      xAxisIndex: 0,
      ...(zoom ? { startValue: zoom.from, endValue: zoom.to } : { start: 0, end: 100 }),
    },
  ];
  if (slider) {
    dataZoom.push({
      type: 'slider',
      xAxisIndex: 0,
      height: TREND_LAYOUT.sliderHeight,
      bottom: 6,
      brushSelect: false,
      labelFormatter: (_: number, v: string) => v,
      ...(zoom ? { startValue: zoom.from, endValue: zoom.to } : { start: 0, end: 100 }),
    });
  }

  return {
    animationDuration: 300,
    color: series.map((s) => (s as { itemStyle?: { color?: string } }).itemStyle?.color ?? MUTED),
    textStyle: {
      fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, DejaVu Sans, sans-serif',
    },
    legend: {
      // A split's lone series still needs its name (445/tcp's class split may be only 'scan').
      show: names.length > 1 || (names.length === 1 && names[0] !== 'total'),
      type: 'scroll',
      top: TREND_LAYOUT.legendTop,
      left: 8,
      right: 8,
      icon: 'roundRect',
      itemWidth: 12,
      itemHeight: 8,
      textStyle: { color: TEXT, fontSize: 12 },
    },
    grid: {
      left: 12,
      right: 20,
      top: TREND_LAYOUT.gridTop,
      bottom: TREND_LAYOUT.gridBottom + (slider ? TREND_LAYOUT.sliderHeight + 14 : 0),
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    tooltip: {
      trigger: 'axis',
      order: 'valueDesc',
      confine: true,
      valueFormatter: (v) => formatValue(v === null || v === undefined ? null : Number(v)),
      // With anomalies on the chart, the hovered day's anomaly sentences follow the values.
      ...(marks.length || highlight
        ? { formatter: markedTooltip(marks, highlight, formatValue) }
        : {}),
    },
    // The dataZoom toolbox feature provides brush-to-zoom (activated by the <EChart>
    // wrapper with takeGlobalCursor). It only works when the toolbox is shown, so it is
    // shown invisibly; exports leave it out.
    ...(slider
      ? {
          toolbox: {
            show: true,
            right: 0,
            top: 0,
            itemSize: 1,
            itemGap: 0,
            showTitle: false,
            iconStyle: { opacity: 0 },
            emphasis: { iconStyle: { opacity: 0 } },
            feature: { dataZoom: { yAxisIndex: 'none' } },
          },
        }
      : {}),
    xAxis: {
      type: 'category',
      data: data.days,
      boundaryGap: false,
      axisLine: { lineStyle: { color: GRID_LINE } },
      axisTick: { show: false },
      axisLabel: {
        color: AXIS,
        hideOverlap: true,
        formatter: (v: string) => (shortDays ? v.slice(5) : v),
      },
    },
    yAxis: {
      type: log ? 'log' : 'value',
      name: unitLabel(unit, input.perSensor),
      nameLocation: 'end',
      nameGap: 10,
      nameTextStyle: { color: AXIS, align: 'left', fontSize: 11 },
      min: log ? 1 : 0,
      ...(unit === 'percent' && !log ? { max: (e: { max: number }) => percentAxisMax(e.max) } : {}),
      splitLine: { lineStyle: { color: GRID_LINE } },
      axisLabel: { color: AXIS, formatter: axisValue(unit, input.perSensor) },
    },
    dataZoom,
    series,
  };
}

/**
 * Top of a percent axis: 10 % headroom, rounded up to a step the axis labels use (10 above
 * 20 %, 5 above 5 %, else 1), at most 100, so the top label is not a stray value like 93 %
 * crowding the 80 % one.
 */
export function percentAxisMax(dataMax: number): number {
  const v = dataMax * 1.1;
  const step = v > 20 ? 10 : v > 5 ? 5 : 1;
  return Math.min(100, Math.max(step, Math.ceil(v / step) * step));
}
