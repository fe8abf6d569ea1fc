'use client';
/**
 * The anomaly marks of one trend chart: the stored anomalies of the chart's period that
 * match its port / country / series (lib/anomalies/chart-marks.ts), fetched from
 * /api/v1/anomalies with TanStack Query (charts of one view asking the same question
 * share the request), and the range an anomaly deep link highlights. Nothing while the
 * view's annotations are hidden.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { chartAnomalyParams, chartMarksFor } from '@/lib/anomalies/chart-marks';
import { type ApiParams, cleanParams } from '@/lib/api/endpoints';
import type { ChartMark, MarkRange } from '@/lib/charts/marks';
import type { AnnotationState } from '@/lib/url-state/views';
import { anomaliesQuery } from './anomaly-queries';

export interface ChartMarks {
  marks: ChartMark[];
  highlight: MarkRange | null;
  /** The anomaly request failed (the chart is drawn without pins). */
  error: Error | null;
}

const NONE: ChartMark[] = [];

export function useChartMarks(
  data: ApiParams | null | undefined,
  names: string[] | undefined,
  state: AnnotationState | undefined,
): ChartMarks {
  const show = state?.annotations ?? false;
  const params = show && data ? chartAnomalyParams(data) : null;
  const q = useQuery({ ...anomaliesQuery(params ?? {}), enabled: params !== null });
  const list = params ? q.data : undefined;
  const selected = state?.anomaly;
  // Views rebuild their parameter objects on every render: compare them by value.
  const dataKey = data ? JSON.stringify(cleanParams(data)) : '';
  const nameKey = names?.join('\u0000');
  // biome-ignore lint/correctness/useExhaustiveDependencies: data and names are compared by value (dataKey, nameKey)
  const marks = useMemo(
    () => (list && data && names ? chartMarksFor(list, data, names, selected) : NONE),
    [list, dataKey, nameKey, selected],
  );
  return {
    marks,
    highlight: show ? (state?.mark ?? null) : null,
    error: params ? q.error : null,
  };
}
