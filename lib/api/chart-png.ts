/**
 * Server-rendered charts for reports and wikis: GET /api/v1/chart.png?<series params>
 * draws the same trend chart the views draw (same option builder, same export caption)
 * with ECharts' SSR SVG renderer and rasterises it with resvg (DejaVu fonts).
 */
import 'server-only';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import { z } from 'zod';
import { EXPORT_FOOTER, EXPORT_HEADER, frameForExport, makeCaption } from '@/lib/charts/caption';
import { renderSvg } from '@/lib/charts/echarts-core';
import { buildTrendOption } from '@/lib/charts/trend';
import { projectRoot } from '@/lib/db/url';
import { zoomCodec } from '@/lib/url-state/codec';
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
  zoom: z
    .string()
    .refine((s) => zoomCodec.parse(s) !== null, 'expected FROM..TO (two UTC days)')
    .optional(),
  width: intIn(320, 2400, 960),
  height: intIn(200, 1600, 400),
  ratio: intIn(1, 3, 2),
  format: z.enum(['png', 'svg'], { error: "expected 'png' or 'svg'" }).optional(),
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
  return `${metric}${what ? ` ${what}` : ''}${split} per UTC day`;
}

/**
 * resvg is a native addon, which the bundler cannot place in a server chunk; it is
 * required at run time instead (next.config.js `serverExternalPackages` listing
 * '@resvg/resvg-js' would allow a plain import).
 */
let resvg: typeof ResvgClass | undefined;
function loadResvg(): typeof ResvgClass {
  if (!resvg) {
    const name = ['@resvg', 'resvg-js'].join('/');
    resvg = (
      createRequire(path.join(projectRoot(), 'package.json'))(name) as { Resvg: typeof ResvgClass }
    ).Resvg;
  }
  return resvg;
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
  const zoom = c.zoom ? zoomCodec.parse(c.zoom) : null;
  const period =
    zoom ??
    (data.days.length ? { from: data.days[0]!, to: data.days[data.days.length - 1]! } : null);
  const sensors = dataParams.sensors ? dataParams.sensors.split(',').filter(Boolean) : [];
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
    zoom,
  });
  const framed = frameForExport({ ...option, animation: false }, caption);
  const svg = renderSvg(framed, c.width, c.height + EXPORT_HEADER + EXPORT_FOOTER);
  if (c.format === 'svg') return { body: svg, contentType: 'image/svg+xml; charset=utf-8' };
  const Resvg = loadResvg();
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: c.ratio },
    background: '#ffffff',
    font: {
      loadSystemFonts: true,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  })
    .render()
    .asPng();
  return { body: new Uint8Array(png), contentType: 'image/png' };
}
