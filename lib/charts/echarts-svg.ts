/**
 * ECharts' SVG renderer and SVG-string rendering: the server PNG route and SVG exports,
 * with the title and graphic components of the export caption (lib/charts/caption.ts).
 * A module of its own so the views load it only when an SVG export is asked for (the
 * browser draws with the canvas renderer; see lib/charts/export-client.ts).
 */
import { GraphicComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { type EChartsCoreOption, echarts } from './echarts-core';
import { dejaVuTextWidth } from './server-text-width';

echarts.use([TitleComponent, GraphicComponent, SVGRenderer]);

// On the server there is no canvas to measure text with (see server-text-width.ts).
if (typeof document === 'undefined') {
  echarts.setPlatformAPI({ measureText: (text, font) => ({ width: dejaVuTextWidth(text, font) }) });
}

/** Renders an option to an SVG document string (no DOM: works on the server too). */
export function renderSvg(option: EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
