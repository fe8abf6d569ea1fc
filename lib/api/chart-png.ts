/**
 * Server-rendered charts for reports and wikis: GET /api/v1/chart.png?<series params>
 * draws the same trend chart the views draw (same option builder, same export caption,
 * with `anomalies=1` the same anomaly pins and `mark` highlight) with ECharts' SSR SVG
 * renderer and rasterises it with sharp (libvips and librsvg, system fonts through
 * fontconfig; already installed as Next's image optimiser). resvg took ~90 ms for a
 * 960x482 chart at 2x (parse and text layout, render, PNG), sharp ~40 ms.
 */
import 'server-only';
import sharp from 'sharp';
import { z } from 'zod';
import { chartAnomalyParams, chartMarksFor } from '@/lib/anomalies/chart-marks';
import { EXPORT_FOOTER, EXPORT_HEADER, frameForExport, makeCaption } from '@/lib/charts/caption';
import { renderSvg } from '@/lib/charts/echarts-svg';
import type { ChartMark } from '@/lib/charts/marks';
import { buildTrendOption } from '@/lib/charts/trend';
import { getAnomalies } from '@/lib/queries/anomalies';
import { markCodec, zoomCodec } from '@/lib/url-state/codec';
import { previousSeriesParams } from '@/lib/url-state/view-queries';
import { badParameter } from './errors';
import { paramsObject, parseParams } from './params';
import { periodCaption } from './period';
import { parsePortKey, portLabel } from './port-key';
import { runEndpoint } from './server';

const intIn = (min: number, max: number, def: number) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return def;
      const n = /^\d{1,5}$/.test(s) ? Number(s) : Number.NaN;
      if (!(n >= min && n <= max)) {
        ctx.addIssue({ code: 'custom', message: `expected an integer from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

/** The chart's own parameters; everything else goes to the data endpoint. */
const chartSchema = z.strictObject({
  chart: z
    .enum(['series', 'port-share/series'], { error: "expected 'series' or 'port-share/series'" })
    .optional(),
  title: z.string().max(200, 'at most 200 characters').optional(),
  scale: z.enum(['linear', 'log'], { error: "expected 'linear' or 'log'" }).optional(),
  stack: z.enum(['0', '1'], { error: "expected '0' or '1'" }).optional(),
  /** 'previous': dashed lines of the same series over the previous period. */
  compare: z.enum(['previous'], { error: "expected 'previous'" }).optional(),
  zoom: z
    .string()
    .refine((s) => zoomCodec.parse(s) !== null, 'expected FROM..TO (two UTC days)')
    .optional(),
  width: intIn(320, 2400, 960),
  height: intIn(200, 1600, 400),
  ratio: intIn(1, 3, 2),
  format: z.enum(['png', 'svg'], { error: "expected 'png' or 'svg'" }).optional(),
  /** '1': pin the stored anomalies matching the chart, as the dashboard does. */
  anomalies: z.enum(['0', '1'], { error: "expected '0' or '1'" }).optional(),
  /** The days an anomaly deep link highlights: DAY or FROM..TO. */
  mark: z
    .string()
    .refine((s) => markCodec.parse(s) !== null, 'expected a UTC day or FROM..TO')
    .optional(),
  /** The linked anomaly, drawn distinctly. */
  anomaly: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'expected an anomaly id (16 hex digits)')
    .optional(),
});

const CHART_KEYS = new Set(Object.keys(chartSchema.shape));

function autoTitle(p: Record<string, string>, chart: string): string {
  const port = p.port ? parsePortKey(p.port) : null;
  const portText = port ? portLabel(port) : null;
  if (chart === 'port-share/series') {
    return `Share of ${portText ?? 'the port'} in ${p.country ?? 'the country'}'s packets vs the rest of the world`;
  }
  const metric = p.metric === 'sources' ? 'Distinct sources' : 'Packets';
  const what = [portText ? `to ${portText}` : null, p.country ? `from ${p.country}` : null]
    .filter(Boolean)
    .join(' ');
  const split = p.split ? ` by ${p.split === 'window' ? 'TCP window size' : p.split}` : '';
  const per = p.per === 'sensor' ? ' per sensor' : '';
  return `${metric}${what ? ` ${what}` : ''}${split}${per} per UTC day`;
}

export interface RenderedChart {
  body: Uint8Array | string;
  contentType: string;
}

export async function renderChart(search: URLSearchParams): Promise<RenderedChart> {
  const all = paramsObject(search);
  const chartParams: Record<string, string> = {};
  const dataParams: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) (CHART_KEYS.has(k) ? chartParams : dataParams)[k] = v;
  const c = parseParams(chartSchema, chartParams);
  const chart = c.chart ?? 'series';
  if (chart === 'port-share/series' && (!dataParams.country || !dataParams.port)) {
    throw badParameter(
      dataParams.country ? 'port' : 'country',
      'required for chart=port-share/series',
    );
  }
  const data = await runEndpoint(chart, dataParams);
  const previous =
    c.compare === 'previous' && chart === 'series' && data.days.length
      ? (
          await runEndpoint(
            'series',
            previousSeriesParams(
              dataParams,
              { from: data.days[0]!, to: data.days[data.days.length - 1]! },
              data.series.map((s) => s.name),
            ),
          )
        ).series
      : undefined;
  const zoom = c.zoom ? zoomCodec.parse(c.zoom) : null;
  const period =
    zoom ??
    (data.days.length ? { from: data.days[0]!, to: data.days[data.days.length - 1]! } : null);
  const sensors = dataParams.sensors ? dataParams.sensors.split(',').filter(Boolean) : [];
  let marks: ChartMark[] = [];
  const anomalyParams =
    c.anomalies === '1' && data.days.length
      ? chartAnomalyParams({
          ...dataParams,
          from: data.days[0],
          to: data.days[data.days.length - 1],
        })
      : null;
  if (anomalyParams) {
    const list = await getAnomalies(
      Object.fromEntries(Object.entries(anomalyParams).filter(([, v]) => v !== undefined)),
    );
    marks = chartMarksFor(
      list,
      dataParams,
      data.series.map((s) => s.name),
      c.anomaly,
    );
  }
  const caption = makeCaption(
    c.title || autoTitle(dataParams, chart),
    period,
    sensors,
    periodCaption,
  );
  const option = buildTrendOption({
    data,
    unit:
      chart === 'port-share/series'
        ? 'percent'
        : dataParams.metric === 'sources'
          ? 'sources'
          : 'packets',
    scale: c.scale,
    stacked: c.stack === '1',
    perSensor: dataParams.per === 'sensor',
    previousSeries: previous,
    zoom,
    marks,
    highlight: c.mark ? markCodec.parse(c.mark) : null,
  });
  const framed = frameForExport({ ...option, animation: false }, caption);
  const svg = renderSvg(framed, c.width, c.height + EXPORT_HEADER + EXPORT_FOOTER);
  if (c.format === 'svg') return { body: svg, contentType: 'image/svg+xml; charset=utf-8' };
  // librsvg draws the SVG's px at 72 dpi: the ratio is a density multiple.
  const png = await sharp(Buffer.from(svg), { density: 72 * c.ratio })
    .flatten({ background: '#ffffff' })
    .png({ compressionLevel: 3 })
    .toBuffer();
  return { body: new Uint8Array(png), contentType: 'image/png' };
}
