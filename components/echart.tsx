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

type MarkedSeries = {
  markPoint?: { data?: { coord?: unknown[]; anomalyIds?: string[] }[] };
  markArea?: { data?: { xAxis?: unknown }[][] };
  markLine?: { data?: { xAxis?: unknown }[] };
};

/**
 * What the instance draws as annotations, read back from its option (a marker kind
 * counts only when its component is registered: ECharts then lists it at the top
 * level). Written to `data-anomaly-marks` for tests and tools; null when there is none.
 */
function drawnMarks(chart: EChartsInstance): string | null {
  const o = chart.getOption() as {
    series?: MarkedSeries[];
    markPoint?: unknown[];
    markArea?: unknown[];
    markLine?: unknown[];
  };
  const points: { day: string; ids: string[] }[] = [];
  const ranges: { from: string; to: string }[] = [];
  for (const s of o.series ?? []) {
    if (o.markPoint) {
      for (const p of s.markPoint?.data ?? []) {
        points.push({ day: String(p.coord?.[0] ?? ''), ids: p.anomalyIds ?? [] });
      }
    }
    if (o.markArea) {
      for (const [a, b] of s.markArea?.data ?? []) {
        ranges.push({ from: String(a?.xAxis ?? ''), to: String(b?.xAxis ?? '') });
      }
    }
    if (o.markLine) {
      for (const l of s.markLine?.data ?? []) {
        ranges.push({ from: String(l.xAxis ?? ''), to: String(l.xAxis ?? '') });
      }
    }
  }
  return points.length || ranges.length ? JSON.stringify({ points, highlight: ranges }) : null;
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
    const marks = drawnMarks(c);
    if (marks) el.current?.setAttribute('data-anomaly-marks', marks);
    else el.current?.removeAttribute('data-anomaly-marks');
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
