/**
 * ECharts, tree-shaken: only the charts, components and renderers Scanline draws with.
 * Shared by the browser wrapper (canvas) and, through echarts-svg.ts (the SVG renderer
 * and the export caption's title and graphic components, loaded on demand by the
 * views), SVG exports and the server PNG route.
 */
import { BarChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { DataZoomToolbox } from './echarts-toolbox';

echarts.use([
  LineChart,
  BarChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  DataZoomComponent,
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

export { echarts };
export type EChartsInstance = echarts.ECharts;
