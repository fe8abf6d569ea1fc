'use client';
/**
 * The one ECharts wrapper: tree-shaken echarts/core, init and dispose in a layout
 * effect, resize on ResizeObserver, the instance exposed through `ref` (for getDataURL
 * exports). Optional brush zoom: dragging across the plot selects a day range
 * (ECharts' dataZoom select), reported through onZoom.
 */
import { type Ref, useImperativeHandle, useLayoutEffect, useRef } from 'react';
import { type EChartsInstance, echarts } from '@/lib/charts/echarts-core';
import type { ChartOption, ZoomRange } from '@/lib/charts/types';

export interface EChartHandle {
  instance(): EChartsInstance | undefined;
}

export interface EChartProps {
  option: ChartOption;
  height: number;
  /** Drag on the plot to zoom to a range of the category (day) axis. */
  brushZoom?: boolean;
  /** Called (debounced) with the visible day range after a zoom, null when all is shown. */
  onZoom?: (range: ZoomRange) => void;
  ref?: Ref<EChartHandle>;
  label: string;
}

function visibleRange(chart: EChartsInstance): ZoomRange {
  const opt = chart.getOption() as {
    dataZoom?: { startValue?: number; endValue?: number }[];
    xAxis?: { data?: string[] }[];
  };
  const days = opt.xAxis?.[0]?.data ?? [];
  const z = opt.dataZoom?.[0];
  if (!z || days.length === 0) return null;
  const s = Math.max(0, Math.round(z.startValue ?? 0));
  const e = Math.min(days.length - 1, Math.round(z.endValue ?? days.length - 1));
  if (s <= 0 && e >= days.length - 1) return null;
  return { from: days[s]!, to: days[e]! };
}

export function EChart({ option, height, brushZoom, onZoom, ref, label }: EChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsInstance | undefined>(undefined);
  const onZoomRef = useRef(onZoom);
  onZoomRef.current = onZoom;

  useImperativeHandle(ref, () => ({ instance: () => chart.current }), []);

  useLayoutEffect(() => {
    const node = el.current;
    if (!node) return;
    const c = echarts.init(node, null, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(node);
    let timer: ReturnType<typeof setTimeout> | undefined;
    c.on('datazoom', () => {
      clearTimeout(timer);
      timer = setTimeout(() => onZoomRef.current?.(visibleRange(c)), 250);
    });
    return () => {
      clearTimeout(timer);
      ro.disconnect();
      c.dispose();
      chart.current = undefined;
    };
  }, []);

  useLayoutEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.setOption(option, { notMerge: true });
    el.current?.setAttribute('data-ready', '1');
    if (brushZoom) {
      c.dispatchAction({
        type: 'takeGlobalCursor',
        key: 'dataZoomSelect',
        dataZoomSelectActive: true,
      });
    }
  }, [option, brushZoom]);

  return (
    <div
      ref={el}
      role="img"
      aria-label={label}
      className="echart"
      style={{ height, width: '100%' }}
    />
  );
}
