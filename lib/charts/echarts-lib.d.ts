// ECharts ships no declarations beside its lib/ modules. These are the ones
// echarts-toolbox.ts imports, typed as far as it uses them.
declare module 'echarts/lib/component/toolbox/ToolboxModel.js' {
  const ToolboxModel: unknown;
  export default ToolboxModel;
}
declare module 'echarts/lib/component/toolbox/ToolboxView.js' {
  const ToolboxView: unknown;
  export default ToolboxView;
}
declare module 'echarts/lib/component/toolbox/feature/DataZoom.js' {
  const DataZoomFeature: never;
  export default DataZoomFeature;
}
declare module 'echarts/lib/component/toolbox/featureManager.js' {
  export function registerFeature(name: string, ctor: never): void;
}
declare module 'echarts/lib/component/dataZoom/installDataZoomSelect.js' {
  export function install(registers: unknown): void;
}
