'use client';
/**
 * A daily trend chart with anomalies marked on it (dashed line on a day, shaded range):
 * the evidence chart of the anomaly view. Data from /api/v1/series.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type AnomalyMark, withAnomalyMarks } from '@/lib/anomalies/chart-marks';
import type { ApiParams } from '@/lib/api/endpoints';
import { periodCaption } from '@/lib/api/period';
import { apiQuery } from '@/lib/api/query-options';
import { makeCaption } from '@/lib/charts/caption';
import { seriesCsv } from '@/lib/charts/csv';
import { buildTrendOption } from '@/lib/charts/trend';
import { ChartCard } from '../chart-card';

export function MarkedTrend(props: {
  id: string;
  title: string;
  unit: 'packets' | 'sources';
  params: ApiParams;
  marks: AnomalyMark[];
  height?: number;
}) {
  const q = useQuery(apiQuery('series', props.params));
  const data = q.data;
  const option = useMemo(
    () =>
      data ? withAnomalyMarks(buildTrendOption({ data, unit: props.unit }), props.marks) : null,
    [data, props.unit, props.marks],
  );
  const period =
    props.params.from && props.params.to ? { from: props.params.from, to: props.params.to } : null;
  const caption = makeCaption(props.title, period, [], periodCaption);
  return (
    <ChartCard
      id={props.id}
      title={props.title}
      subtitle="UTC days; the anomaly is marked in orange"
      caption={caption}
      status={q}
      option={option}
      empty={Boolean(data) && data!.series.every((s) => s.values.every((v) => v === 0))}
      csv={() => (data ? seriesCsv(data, null) : '')}
      height={props.height ?? 280}
    />
  );
}
