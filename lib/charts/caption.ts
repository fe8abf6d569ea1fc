/**
 * Export framing: a chart option turned into a self-describing figure for SVG export
 * and the server PNG route: caption on top (title; period in UTC days and sensors),
 * source line at the bottom, white background, no interactive chrome (slider, toolbox,
 * tooltip), no animation. The zoomed day range, legend and axes are kept.
 */
import { AXIS, TEXT } from './palette';
import type { ChartCaption, ChartOption } from './types';

export const EXPORT_HEADER = 58;
export const EXPORT_FOOTER = 24;
export const FONT_FAMILY = 'DejaVu Sans, system-ui, -apple-system, Segoe UI, Roboto, sans-serif';

export const DEFAULT_SOURCE = 'Scanline: darknet telescope daily aggregates';

/** The caption's second line: period and sensors. */
export function captionSubtitle(c: ChartCaption): string {
  return `${c.period} · Sensors: ${c.sensors}`;
}

type Obj = Record<string, unknown>;

function shift(component: unknown, key: 'top' | 'bottom', by: number): unknown {
  const one = (c: unknown) => {
    if (typeof c !== 'object' || c === null) return c;
    const o = c as Obj;
    const v = o[key];
    return { ...o, [key]: (typeof v === 'number' ? v : 0) + by };
  };
  return Array.isArray(component) ? component.map(one) : one(component);
}

/** The option with caption, footer and export settings; its height grows by header+footer. */
export function frameForExport(option: ChartOption, caption: ChartCaption): ChartOption {
  const o = { ...(option as Obj) };
  const zooms = (Array.isArray(o.dataZoom) ? o.dataZoom : o.dataZoom ? [o.dataZoom] : []) as Obj[];
  const hadSlider = zooms.some((z) => z.type === 'slider');
  o.dataZoom = zooms.filter((z) => z.type !== 'slider');
  delete o.toolbox;
  delete o.tooltip;
  o.animation = false;
  o.backgroundColor = '#ffffff';
  o.textStyle = { ...((o.textStyle as Obj) ?? {}), fontFamily: FONT_FAMILY };
  if (o.legend) o.legend = { ...(shift(o.legend, 'top', EXPORT_HEADER) as Obj), left: 14 };
  if (o.grid && typeof o.grid === 'object' && !Array.isArray(o.grid)) {
    const g = o.grid as Obj;
    const top = typeof g.top === 'number' ? g.top : 40;
    const bottom = hadSlider || typeof g.bottom !== 'number' ? 28 : g.bottom;
    o.grid = { ...g, top: top + EXPORT_HEADER, bottom: bottom + EXPORT_FOOTER };
  }
  o.title = {
    text: caption.title,
    subtext: captionSubtitle(caption),
    left: 14,
    top: 10,
    itemGap: 6,
    textStyle: { color: TEXT, fontSize: 15, fontWeight: 'bold', fontFamily: FONT_FAMILY },
    subtextStyle: { color: AXIS, fontSize: 12, fontFamily: FONT_FAMILY },
  };
  o.graphic = [
    {
      type: 'text',
      left: 14,
      bottom: 8,
      style: {
        text: `Source: ${caption.source}`,
        fill: AXIS,
        fontSize: 11,
        fontFamily: FONT_FAMILY,
      },
    },
  ];
  return o as ChartOption;
}

/** The caption of a chart for a period and sensor selection. */
export function makeCaption(
  title: string,
  period: { from: string; to: string } | null,
  sensors: string[],
  periodText: (p: { from: string; to: string }) => string,
): ChartCaption {
  return {
    title,
    period: period ? periodText(period) : 'all days with data (UTC days)',
    sensors: sensors.length ? sensors.join(', ') : 'all sensors',
    source: DEFAULT_SOURCE,
  };
}
