/**
 * ECharts, tree-shaken: only the charts, components and renderers Scanline draws with.
 * Shared by the browser wrapper (canvas) and, through echarts-svg.ts (the SVG renderer
 * and the export caption's title and graphic components, loaded on demand by the
 * views), SVG exports and the server PNG route.
 */
import { BarChart, LineChart } from 'echarts/charts';
import {
  DataZoomSliderComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
} from 'echarts/components';
// Named imports, not the namespace: exporting `* as echarts` kept every export of
// echarts/core in the bundle (GeoJSON parsing, graphic and format helpers: ~5 KB gzipped).
import { type ECharts, type EChartsCoreOption, init, setPlatformAPI, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { DataZoomToolbox } from './echarts-toolbox';

use([
  LineChart,
  BarChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  // The slider of the port trends; the day window of every trend chart is a 'select'
  // dataZoom, registered with the toolbox's drag-to-zoom (the 'inside' type would add
  // mouse and touch roaming the charts switch off: ~3 KB gzipped).
  DataZoomSliderComponent,
  DataZoomToolbox,
  // Anomaly annotations on trend charts (lib/charts/marks.ts), in the views, their
  // exports and the server PNG route alike. Loading them on first use instead was
  // measured: the view without annotations saved 4.9 KB gzipped, the views with
  // them paid 3.9 KB more (a small chunk compresses worse), and those are the heaviest.
  MarkPointComponent,
  MarkAreaComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export const echarts = { init, setPlatformAPI, use };
export type EChartsInstance = ECharts;
export type { EChartsCoreOption };
