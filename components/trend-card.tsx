'use client';
/**
 * A daily trend chart card: builder option, CSV of the plotted days, zoom, server PNG
 * link, and the stored anomalies of its period pinned on it (with the range an anomaly
 * deep link highlights), unless the view's annotations are hidden.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import { type ReactNode, useMemo } from 'react';
import type { ApiParams } from '@/lib/api/endpoints';
import type { SeriesResponse } from '@/lib/api/types';
import { seriesCsv } from '@/lib/charts/csv';
import type { MarkRange } from '@/lib/charts/marks';
import { buildTrendOption, type TrendUnit, withPreviousSeries } from '@/lib/charts/trend';
import type { ChartCaption, Scale, ZoomRange } from '@/lib/charts/types';
import type { AnnotationState } from '@/lib/url-state/views';
import { MarkList } from './anomalies/mark-list';
import { useChartMarks } from './anomalies/use-chart-marks';
import { ChartCard } from './chart-card';

export interface TrendCardProps {
  id: string;
  title: string;
  caption: ChartCaption;
  query: UseQueryResult<SeriesResponse, Error>;
  unit: TrendUnit;
  scale?: Scale;
  stacked?: boolean;
  zoom?: ZoomRange;
  onZoom?: (z: ZoomRange) => void;
  controls?: ReactNode;
  /** Parameters of /api/v1/series for the server PNG link (null: no link). */
  pngParams?: ApiParams | null;
  height?: number;
  note?: ReactNode;
  emptyText?: string;
  subtitle?: string;
  /** Previous-period lines by series name (dashed; also in the CSV). */
  previousSeries?: SeriesResponse['series'];
  /** The values are per reporting sensor (API per=sensor). */
  perSensor?: boolean;
  /**
   * The view's annotation state: anomalies matching `pngParams` (the chart's data
   * parameters) are pinned, `mark` is highlighted. Absent: no annotations.
   */
  annotations?: AnnotationState;
}

export function pngHref(params: ApiParams, extra: Record<string, string | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...extra })) if (v) qs.set(k, v);
  return `/api/v1/chart.png?${qs.toString()}`;
}

export function zoomCaption(zoom: { from: string; to: string }): string {
  return `${zoom.from} to ${zoom.to} (UTC days, zoomed)`;
}

/** The server PNG's annotation parameters (the same marks as the view draws). */
export function annotationPngParams(
  a: AnnotationState | undefined,
  highlight: MarkRange | null,
): Record<string, string | undefined> {
  if (!a?.annotations) return {};
  return {
    anomalies: '1',
    mark: highlight
      ? highlight.from === highlight.to
        ? highlight.from
        : `${highlight.from}..${highlight.to}`
      : undefined,
    anomaly: a.anomaly,
  };
}

export function TrendCard(p: TrendCardProps) {
  const data = p.query.data;
  const zoom = p.zoom ?? null;
  const slider = Boolean(p.onZoom);
  const annotated = useChartMarks(
    p.pngParams,
    data?.series.map((s) => s.name),
    p.annotations,
  );
  const { marks, highlight } = annotated;
  const option = useMemo(
    () =>
      data
        ? buildTrendOption({
            data,
            unit: p.unit,
            scale: p.scale,
            stacked: p.stacked,
            previousSeries: p.previousSeries,
            perSensor: p.perSensor,
            zoom,
            slider,
            marks,
            highlight,
          })
        : null,
    [
      data,
      p.unit,
      p.scale,
      p.stacked,
      p.previousSeries,
      p.perSensor,
      zoom,
      slider,
      marks,
      highlight,
    ],
  );
  // When zoomed, exports say which days they show.
  const caption = zoom ? { ...p.caption, period: zoomCaption(zoom) } : p.caption;
  const empty =
    Boolean(data) &&
    (data!.series.length === 0 || data!.series.every((s) => s.values.every((v) => v === 0)));
  return (
    <ChartCard
      id={p.id}
      title={p.title}
      subtitle={p.subtitle}
      caption={caption}
      status={p.query}
      option={option}
      empty={empty}
      emptyText={p.emptyText}
      csv={() =>
        data
          ? seriesCsv(withPreviousSeries(data, p.stacked ? undefined : p.previousSeries), zoom)
          : ''
      }
      controls={p.controls}
      brushZoom={Boolean(p.onZoom)}
      zoom={zoom}
      onZoom={p.onZoom}
      height={p.height}
      note={p.note}
      annotations={
        p.annotations?.annotations ? (
          <MarkList marks={marks} highlight={highlight} error={annotated.error} />
        ) : undefined
      }
      pngUrl={
        p.pngParams
          ? pngHref(p.pngParams, {
              title: p.title,
              scale: p.scale === 'log' ? 'log' : undefined,
              stack: p.stacked ? '1' : undefined,
              compare: p.previousSeries && !p.stacked ? 'previous' : undefined,
              zoom: zoom ? `${zoom.from}..${zoom.to}` : undefined,
              ...annotationPngParams(p.annotations, highlight),
            })
          : undefined
      }
    />
  );
}
