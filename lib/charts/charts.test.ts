import { describe, expect, test } from 'vitest';
import { buildBarOption } from './bars';
import { EXPORT_FOOTER, EXPORT_HEADER, frameForExport } from './caption';
import { barCsv, seriesCsv } from './csv';
import { renderSvg } from './echarts-svg';
import { changePct, formatChange, formatCompact, formatInt } from './format';
import { type ChartMark, HIGHLIGHT_COLOR, HIGHLIGHT_LABEL, MARK_COLOR } from './marks';
import { MUTED } from './palette';
import { dejaVuTextWidth } from './server-text-width';
import { sparklinePath } from './sparkline';
import {
  buildTrendOption,
  PREVIOUS_SERIES,
  percentAxisMax,
  TREND_LAYOUT,
  unitLabel,
  withPreviousSeries,
} from './trend';
import type { SeriesData } from './types';
import { choroplethScale, MAP_HEIGHT, MAP_WIDTH, worldShapes } from './world-map';

type Obj = Record<string, unknown>;

const data: SeriesData = {
  days: ['2020-08-30', '2020-08-31', '2020-09-01'],
  series: [
    { name: '8192', values: [10, 0, 30] },
    { name: 'other', values: [5, 5, 5] },
  ],
};

describe('buildTrendOption', () => {
  test('one line per series over the UTC days, other in grey', () => {
    const o = buildTrendOption({ data, unit: 'sources' }) as Obj;
    const series = o.series as Obj[];
    expect(series.map((s) => s.name)).toEqual(['8192', 'other']);
    expect(series[0]!.data).toEqual([10, 0, 30]);
    expect((series[1]!.itemStyle as Obj).color).toBe(MUTED);
    expect((o.xAxis as Obj).data).toEqual(data.days);
    expect((o.yAxis as Obj).name).toBe('distinct sources / UTC day');
    expect((o.legend as Obj).show).toBe(true);
    expect(series.every((s) => s.stack === undefined)).toBe(true);
  });

  test("the legend names a split's lone series, not the unsplit total", () => {
    const one = (name: string) =>
      (
        buildTrendOption({
          data: { days: data.days, series: [{ name, values: [1, 2, 3] }] },
          unit: 'packets',
        }) as Obj
      ).legend as Obj;
    expect(one('scan').show).toBe(true);
    expect(one('total').show).toBe(false);
  });

  test('previous period: one dashed line per series in its colour, and in the CSV', () => {
    const previous = [
      { name: 'other', values: [1, 2] },
      { name: '8192', values: [7, 8, 9] },
    ];
    const o = buildTrendOption({ data, unit: 'packets', previousSeries: previous }) as Obj;
    const series = o.series as Obj[];
    expect(series.map((s) => s.name)).toEqual([
      '8192',
      'other',
      '8192 (previous)',
      'other (previous)',
    ]);
    expect(series[2]!.data).toEqual([7, 8, 9]);
    expect(series[3]!.data).toEqual([1, 2, null]);
    expect((series[2]!.lineStyle as Obj).type).toBe('dashed');
    expect((series[2]!.lineStyle as Obj).color).toBe((series[0]!.lineStyle as Obj).color);
    const stacked = buildTrendOption({
      data,
      unit: 'packets',
      stacked: true,
      previousSeries: previous,
    }) as Obj;
    expect((stacked.series as Obj[]).length).toBe(2);
    expect(seriesCsv(withPreviousSeries(data, previous))).toBe(
      'day_utc,8192,other,8192 (previous),other (previous)\n' +
        '2020-08-30,10,5,7,1\n2020-08-31,0,5,8,2\n2020-09-01,30,5,9,\n',
    );
  });

  test('per sensor: the axis says so and keeps decimals', () => {
    const o = buildTrendOption({
      data: { days: data.days, series: [{ name: 'total', values: [1.5, 2.25, 3] }] },
      unit: 'packets',
      perSensor: true,
    }) as Obj;
    const y = o.yAxis as Obj;
    expect(y.name).toBe('packets / sensor / UTC day');
    expect((y.axisLabel as { formatter: (v: number) => string }).formatter(2.25)).toBe('2.25');
    expect(unitLabel('sources')).toBe('distinct sources / UTC day');
  });

  test('stacked areas on a linear scale', () => {
    const series = (buildTrendOption({ data, unit: 'packets', stacked: true }) as Obj)
      .series as Obj[];
    expect(series.every((s) => s.stack === 'total' && s.areaStyle)).toBe(true);
  });

  test('log scale: no stacking, zeros become gaps', () => {
    const o = buildTrendOption({ data, unit: 'packets', scale: 'log', stacked: true }) as Obj;
    const series = o.series as Obj[];
    expect((o.yAxis as Obj).type).toBe('log');
    expect(series[0]!.data).toEqual([10, null, 30]);
    expect(series.every((s) => s.stack === undefined)).toBe(true);
  });

  test('zoom range and slider', () => {
    const o = buildTrendOption({
      data,
      unit: 'packets',
      zoom: { from: '2020-08-31', to: '2020-09-01' },
      slider: true,
    }) as Obj;
    const zooms = o.dataZoom as Obj[];
    expect(zooms.map((z) => z.type)).toEqual(['select', 'slider']);
    expect(zooms.every((z) => z.startValue === '2020-08-31' && z.endValue === '2020-09-01')).toBe(
      true,
    );
    expect((o.grid as Obj).bottom).toBeGreaterThan(TREND_LAYOUT.gridBottom);
  });

  test('previous period drawn dashed for a single series', () => {
    const one = { days: data.days, series: [data.series[0]!] };
    const o = buildTrendOption({ data: one, unit: 'packets', previous: [1, 2, 3] }) as Obj;
    const series = o.series as Obj[];
    expect(series.map((s) => s.name)).toEqual(['8192', PREVIOUS_SERIES]);
    expect((series[1]!.lineStyle as Obj).type).toBe('dashed');
    // not with several series
    const many = buildTrendOption({ data, unit: 'packets', previous: [1, 2, 3] }) as Obj;
    expect((many.series as Obj[]).length).toBe(2);
  });

  test('percent unit formats the axis', () => {
    const o = buildTrendOption({ data, unit: 'percent' }) as Obj;
    const fmt = ((o.yAxis as Obj).axisLabel as Obj).formatter as (v: number) => string;
    expect(fmt(25)).toBe('25%');
    const max = (o.yAxis as Obj).max as (e: { max: number }) => number;
    expect(max({ max: 85 })).toBe(100);
  });

  test('a percent axis ends on a round value, with headroom, at most 100', () => {
    expect([85, 72, 40, 15, 6, 3.2, 0.4, 0, 99].map(percentAxisMax)).toEqual([
      100, 80, 50, 20, 10, 4, 1, 1, 100,
    ]);
  });
});

test('buildBarOption: categories top to bottom, one bar series per group', () => {
  const o = buildBarOption({
    data: {
      categories: ['22/TCP', '3389/TCP'],
      series: [
        { name: 'RU', values: [40, 20] },
        { name: 'rest of world', values: [12, 5] },
      ],
    },
    unit: 'percent',
  }) as Obj;
  expect((o.yAxis as Obj).data).toEqual(['22/TCP', '3389/TCP']);
  expect((o.yAxis as Obj).inverse).toBe(true);
  expect((o.series as Obj[]).map((s) => s.data)).toEqual([
    [40, 20],
    [12, 5],
  ]);
});

describe('frameForExport', () => {
  const caption = {
    title: '445/TCP from JP: distinct sources by TCP window',
    period: '2020-Q3: 2020-07-01 to 2020-09-30 (UTC days)',
    sensors: 'all sensors',
    source: 'Scanline test',
  };
  test('adds the caption and footer, drops interactive chrome, keeps zoom and legend', () => {
    const base = buildTrendOption({
      data,
      unit: 'sources',
      slider: true,
      zoom: { from: '2020-08-31', to: '2020-09-01' },
    });
    const o = frameForExport(base, caption) as Obj;
    const title = o.title as Obj;
    expect(title.text).toBe(caption.title);
    expect(title.subtext).toBe(`${caption.period} · Sensors: all sensors`);
    expect(JSON.stringify(o.graphic)).toContain('Source: Scanline test');
    expect(o.backgroundColor).toBe('#ffffff');
    expect(o.animation).toBe(false);
    expect(o.tooltip).toBeUndefined();
    expect(o.toolbox).toBeUndefined();
    const zooms = o.dataZoom as Obj[];
    expect(zooms.map((z) => z.type)).toEqual(['select']);
    expect(zooms[0]!.startValue).toBe('2020-08-31');
    expect((o.legend as Obj).top).toBe(TREND_LAYOUT.legendTop + EXPORT_HEADER);
    expect((o.grid as Obj).top).toBe(TREND_LAYOUT.gridTop + EXPORT_HEADER);
    expect((o.grid as Obj).bottom).toBe(28 + EXPORT_FOOTER);
    // the input is not modified
    expect((base as Obj).title).toBeUndefined();
  });
});

describe('buildTrendOption with anomaly marks', () => {
  const spike: ChartMark = {
    day: '2020-09-01',
    label: 'spike 6x',
    summary: 'Window 8192 hosts 6x their baseline on 2020-09-01',
    severity: 60,
    series: '8192',
    id: 'aaaaaaaaaaaaaaaa',
  };
  const other: ChartMark = {
    day: '2020-08-31',
    label: 'DDoS backscatter',
    summary: 'New Zealand: <b>61x</b> its baseline & more',
    severity: 94,
    series: 'other',
    id: 'bbbbbbbbbbbbbbbb',
    selected: true,
  };
  type Point = { coord: [string, number]; anomalyIds: string[]; itemStyle: Obj; label: Obj };
  const points = (s: Obj) => ((s.markPoint as Obj | undefined)?.data ?? []) as Point[];

  test('a pin per anomaly on its day and series, at the plotted value', () => {
    const o = buildTrendOption({ data, unit: 'sources', marks: [spike, other] }) as Obj;
    const [a, b] = o.series as Obj[];
    expect(points(a!).map((p) => p.coord)).toEqual([['2020-09-01', 30]]);
    expect(points(b!).map((p) => p.coord)).toEqual([['2020-08-31', 5]]);
    expect(points(a!)[0]!.anomalyIds).toEqual([spike.id]);
    expect(points(a!)[0]!.itemStyle.color).toBe(MARK_COLOR);
    // the linked anomaly (anomaly=ID) is drawn distinctly, with its label
    expect(points(b!)[0]!.itemStyle.color).toBe(HIGHLIGHT_COLOR);
    expect(points(b!)[0]!.label.formatter).toBe('DDoS backscatter');
    // no highlight range without `mark`
    expect((o.series as Obj[]).some((s) => s.markArea || s.markLine)).toBe(false);
  });

  test('stacked pins sit on top of their series; log pins never below 1; off-chart days dropped', () => {
    const stacked = buildTrendOption({ data, unit: 'packets', stacked: true, marks: [other] });
    expect(points((stacked.series as Obj[])[1]!)[0]!.coord).toEqual(['2020-08-31', 0 + 5]);
    const onTop = buildTrendOption({
      data,
      unit: 'packets',
      stacked: true,
      marks: [{ ...other, day: '2020-09-01' }],
    });
    expect(points((onTop.series as Obj[])[1]!)[0]!.coord).toEqual(['2020-09-01', 30 + 5]);
    const log = buildTrendOption({
      data,
      unit: 'packets',
      scale: 'log',
      marks: [
        { ...spike, day: '2020-08-31' },
        { ...spike, day: '2020-10-01' },
      ],
    });
    expect(points((log.series as Obj[])[0]!).map((p) => p.coord)).toEqual([['2020-08-31', 1]]);
  });

  test('anomalies of one day and series share a pin; an unknown series falls back to the first', () => {
    const o = buildTrendOption({
      data,
      unit: 'packets',
      marks: [
        { ...spike, series: 'nope' },
        { ...spike, id: 'cccccccccccccccc', label: 'level shift', severity: 80 },
      ],
    });
    const pins = points((o.series as Obj[])[0]!);
    expect(pins).toHaveLength(1);
    expect(pins[0]!.anomalyIds).toEqual(['cccccccccccccccc', spike.id]);
  });

  test('the deep link range: a band over days, a line on one day, clipped to the chart', () => {
    const band = buildTrendOption({
      data,
      unit: 'packets',
      highlight: { from: '2020-08-31', to: '2020-09-20' },
    }) as Obj;
    const area = ((band.series as Obj[])[0]!.markArea as Obj).data as Obj[][];
    expect(area).toHaveLength(1);
    expect(area[0]![0]).toMatchObject({ xAxis: '2020-08-31', name: HIGHLIGHT_LABEL });
    expect(area[0]![1]).toEqual({ xAxis: '2020-09-01' });
    const line = buildTrendOption({
      data,
      unit: 'packets',
      highlight: { from: '2020-08-31', to: '2020-08-31' },
    }) as Obj;
    const lines = ((line.series as Obj[])[0]!.markLine as Obj).data as Obj[];
    expect(lines).toEqual([expect.objectContaining({ xAxis: '2020-08-31' })]);
    const outside = buildTrendOption({
      data,
      unit: 'packets',
      highlight: { from: '2021-01-01', to: '2021-01-02' },
    }) as Obj;
    expect((outside.series as Obj[]).some((s) => s.markArea || s.markLine)).toBe(false);
  });

  test('the axis tooltip adds the hovered day’s anomaly sentences, escaped', () => {
    const o = buildTrendOption({ data, unit: 'packets', marks: [spike, other] }) as Obj;
    const tooltip = o.tooltip as { formatter: (p: unknown) => string };
    const html = tooltip.formatter([
      { axisValue: '2020-08-31', seriesName: '8192', value: 0, marker: '' },
      { axisValue: '2020-08-31', seriesName: 'other', value: 5, marker: '' },
    ]);
    expect(html).toContain('New Zealand: &#60;b&#62;61x&#60;/b&#62; its baseline &#38; more');
    expect(html).not.toContain('Window 8192 hosts');
    expect(html.indexOf('other')).toBeLessThan(html.indexOf('8192'));
    // no marks: the default tooltip
    const plain = buildTrendOption({ data, unit: 'packets' }) as Obj;
    expect((plain.tooltip as Obj).formatter).toBeUndefined();
  });

  test('marks survive the export frame and ECharts’ SVG renderer (exports, server PNG)', () => {
    const o = buildTrendOption({
      data,
      unit: 'packets',
      marks: [spike, other],
      highlight: { from: '2020-08-30', to: '2020-08-31' },
    });
    const framed = frameForExport(o, {
      title: 'marked',
      period: '2020-08-30 to 2020-09-01 (UTC days)',
      sensors: 'all sensors',
      source: 'Scanline test',
    });
    const series = framed.series as Obj[];
    expect(points(series[0]!)).toHaveLength(1);
    expect(series[0]!.markArea).toBeDefined();
    const svg = renderSvg(framed, 640, 300 + EXPORT_HEADER + EXPORT_FOOTER);
    expect(svg).toContain(HIGHLIGHT_LABEL);
    expect(svg).toContain('DDoS backscatter');
    // the pins are drawn: two pin paths in the anomaly colours
    expect(svg.toLowerCase()).toContain(MARK_COLOR);
    expect(svg.toLowerCase()).toContain(HIGHLIGHT_COLOR);
    const bare = renderSvg(
      frameForExport(buildTrendOption({ data, unit: 'packets' }), {
        title: 'bare',
        period: 'p',
        sensors: 's',
        source: 'x',
      }),
      640,
      382,
    );
    expect(bare).not.toContain(HIGHLIGHT_LABEL);
    expect(bare.toLowerCase()).not.toContain(MARK_COLOR);
  });
});

describe('csv', () => {
  test('exactly the plotted days and series, quoted when needed', () => {
    expect(seriesCsv(data)).toBe(
      'day_utc,8192,other\n2020-08-30,10,5\n2020-08-31,0,5\n2020-09-01,30,5\n',
    );
    expect(seriesCsv(data, { from: '2020-08-31', to: '2020-08-31' })).toBe(
      'day_utc,8192,other\n2020-08-31,0,5\n',
    );
    expect(barCsv({ categories: ['a,b'], series: [{ name: 'x "y"', values: [1] }] }, 'port')).toBe(
      'port,"x ""y"""\n"a,b",1\n',
    );
  });
});

test('formatting', () => {
  expect(formatInt(1234567)).toBe('1,234,567');
  expect(formatCompact(9999)).toBe('9,999');
  expect(formatCompact(1_250_000)).toBe('1.3M');
  expect(changePct(150, 100)).toBe(50);
  expect(changePct(1, 0)).toBeNull();
  expect(formatChange(-4)).toBe('−4.0%');
  expect(formatChange(null)).toBe('new');
});

test('sparkline path spans the box', () => {
  const d = sparklinePath([0, 10, 5], 100, 20, 0);
  expect(d).toBe('M0.0,20.0L50.0,0.0L100.0,10.0');
  expect(sparklinePath([], 10, 10)).toBe('');
});

describe('world map', () => {
  test('shapes carry ISO alpha-2 codes and fit the box', () => {
    const shapes = worldShapes();
    const codes = new Set(shapes.map((s) => s.cc));
    for (const cc of ['US', 'RU', 'CN', 'NL', 'DE', 'JP', 'NZ', 'BR', 'XK'])
      expect(codes.has(cc)).toBe(true);
    expect(codes.has('AQ')).toBe(false);
    expect(shapes.every((s) => s.d.length > 0)).toBe(true);
    const nums = shapes.flatMap((s) => s.d.match(/-?\d+(\.\d+)?/g)!.map(Number));
    expect(Math.min(...nums)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...nums)).toBeLessThanOrEqual(Math.max(MAP_WIDTH, MAP_HEIGHT));
  });

  test('log buckets: bigger values get darker colours, zero has none', () => {
    const scale = choroplethScale([1, 10, 100, 1000, 10_000, 100_000, 1_000_000]);
    expect(scale.buckets.length).toBeGreaterThan(3);
    const colours = [1, 1000, 1_000_000].map((v) =>
      scale.buckets.findIndex((b) => b.color === scale.color(v)),
    );
    expect(colours[0]).toBeLessThan(colours[1]!);
    expect(colours[1]).toBeLessThan(colours[2]!);
    expect(scale.color(0)).not.toBe(scale.color(1));
    expect(choroplethScale([]).buckets).toEqual([]);
  });
});

test('server text widths follow DejaVu Sans, the font the server PNGs are drawn with', () => {
  expect(dejaVuTextWidth('0000', '10px sans-serif')).toBeCloseTo(25.44);
  expect(dejaVuTextWidth('0000', 'bold 10px sans-serif')).toBeCloseTo(25.44 * 1.09);
  expect(dejaVuTextWidth('ü', '20px x')).toBeCloseTo(12);
  // Wider than ECharts' Arial-like fallback, which made legend items run into each other.
  expect(dejaVuTextWidth('445/tcp (previous)', '12px sans-serif')).toBeGreaterThan(100);
});
