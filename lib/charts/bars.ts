/**
 * Grouped horizontal bars over categories: a country's port mix against the rest of
 * the world's, a ranking's current vs previous period, a host's flag mix.
 */
import { formatCompact, formatInt } from './format';
import { AXIS, GRID_LINE, seriesColor, TEXT } from './palette';
import type { ChartOption } from './types';

export interface BarData {
  /** Category labels, top to bottom. */
  categories: string[];
  series: { name: string; values: number[] }[];
}

export interface BarInput {
  data: BarData;
  unit: 'percent' | 'packets' | 'sources' | 'hosts';
  colors?: Record<string, string>;
}

export const BAR_LAYOUT = { legendTop: 6, gridTop: 34, gridBottom: 16 };

export function buildBarOption(input: BarInput): ChartOption {
  const { data, unit } = input;
  const fmtAxis = (v: number) => (unit === 'percent' ? `${v}%` : formatCompact(v));
  const fmtTip = (v: unknown) =>
    unit === 'percent' ? `${Number(v).toFixed(1)}%` : formatInt(Number(v ?? 0));
  return {
    animationDuration: 300,
    textStyle: {
      fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, DejaVu Sans, sans-serif',
    },
    legend: {
      show: data.series.length > 1,
      top: BAR_LAYOUT.legendTop,
      left: 8,
      icon: 'roundRect',
      itemWidth: 12,
      itemHeight: 8,
      textStyle: { color: TEXT, fontSize: 12 },
    },
    grid: {
      left: 12,
      right: 28,
      top: data.series.length > 1 ? BAR_LAYOUT.gridTop : 12,
      bottom: BAR_LAYOUT.gridBottom,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmtTip },
    xAxis: {
      type: 'value',
      splitLine: { lineStyle: { color: GRID_LINE } },
      axisLabel: { color: AXIS, formatter: fmtAxis },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: data.categories,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: GRID_LINE } },
      axisLabel: { color: TEXT },
    },
    series: data.series.map((s, i) => {
      const color = input.colors?.[s.name] ?? seriesColor(s.name, i);
      return {
        type: 'bar',
        name: s.name,
        data: s.values,
        barMaxWidth: 14,
        itemStyle: { color, borderRadius: [0, 2, 2, 0] },
        label: {
          show: true,
          position: 'right',
          color: AXIS,
          fontSize: 11,
          formatter: (p: { value: unknown }) =>
            unit === 'percent' ? `${Number(p.value).toFixed(1)}%` : formatCompact(Number(p.value)),
        },
      };
    }),
  };
}
