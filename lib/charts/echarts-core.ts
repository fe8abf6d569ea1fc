/**
 * ECharts, tree-shaken: only the charts, components and renderers Scanline draws with.
 * Shared by the browser wrapper (canvas, plus SVG for exports) and the server PNG route
 * (SVG string rendering).
 */
import { BarChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GraphicComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  ToolboxComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  BarChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  DataZoomComponent,
  ToolboxComponent,
  TitleComponent,
  GraphicComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export { echarts };
export type EChartsInstance = echarts.ECharts;

/** Renders an option to an SVG document string (no DOM: works on the server too). */
export function renderSvg(
  option: echarts.EChartsCoreOption,
  width: number,
  height: number,
): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
