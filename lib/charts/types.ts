import type { EChartsOption } from 'echarts';

export type ChartOption = EChartsOption;

export interface SeriesData {
  days: string[];
  series: { name: string; values: number[] }[];
}

/** What a chart plots, for its CSV: null where a line has no point (an empty cell). */
export interface PlottedSeries {
  days: string[];
  series: { name: string; values: readonly (number | null)[] }[];
}

export type Scale = 'linear' | 'log';

/** What a chart's export caption says (PNG, SVG and the server PNG route). */
export interface ChartCaption {
  title: string;
  /** e.g. '2020-Q3: 2020-07-01 to 2020-09-30 (UTC days)' */
  period: string;
  /** 'all sensors' or the chosen sensor names */
  sensors: string;
  /** e.g. 'Scanline, darknet telescope daily aggregates' */
  source: string;
}

/** An inclusive day range shown by a trend chart's zoom, or null for all days. */
export type ZoomRange = { from: string; to: string } | null;
