/**
 * ECharts' toolbox with only the feature the trend charts use: dataZoom, whose select mode
 * is the drag-to-zoom of <EChart brushZoom>. The stock ToolboxComponent also registers
 * save-as-image, magic type, data view and restore (about 4 KB of gzipped JavaScript
 * in every view that draws a chart); the exports and their captions are Scanline's own.
 */

import type { use } from 'echarts/core';
import { install as installDataZoomSelect } from 'echarts/lib/component/dataZoom/installDataZoomSelect.js';
import DataZoomFeature from 'echarts/lib/component/toolbox/feature/DataZoom.js';
import { registerFeature } from 'echarts/lib/component/toolbox/featureManager.js';
import ToolboxModel from 'echarts/lib/component/toolbox/ToolboxModel.js';
import ToolboxView from 'echarts/lib/component/toolbox/ToolboxView.js';

type Installer = Extract<Parameters<typeof use>[0], (registers: never) => void>;

/** What ECharts' own toolbox install does, with one feature instead of five. */
export const DataZoomToolbox: Installer = (registers) => {
  registers.registerComponentModel(ToolboxModel as never);
  registers.registerComponentView(ToolboxView as never);
  registerFeature('dataZoom', DataZoomFeature);
  installDataZoomSelect(registers);
};
