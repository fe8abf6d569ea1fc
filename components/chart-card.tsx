'use client';
/**
 * A chart with its title, UTC caption, loading / error / empty states and exports:
 * PNG (2x, white, captioned), SVG, CSV of exactly the plotted data, and a link to the
 * server-rendered PNG when the chart has one.
 */
import { type ReactNode, useRef, useState } from 'react';
import { download, downloadText, fileSlug } from '@/lib/charts/download';
import type { ChartCaption, ChartOption, ZoomRange } from '@/lib/charts/types';
import { EChart, type EChartHandle } from './echart';
import { Empty, ErrorState, Loading } from './states';

export interface QueryStatus {
  isPending: boolean;
  error: unknown;
  refetch?: () => unknown;
}

export interface ChartCardProps {
  id: string;
  title: string;
  caption: ChartCaption;
  /** Shown under the title (e.g. 'distinct sources per UTC day'). */
  subtitle?: string;
  status: QueryStatus;
  /** null while there is nothing to draw (the status decides what shows instead). */
  option: ChartOption | null;
  empty?: boolean;
  emptyText?: string;
  csv?: () => string;
  height?: number;
  controls?: ReactNode;
  brushZoom?: boolean;
  zoom?: ZoomRange;
  onZoom?: (range: ZoomRange) => void;
  /** Server-rendered PNG of this chart (for reports and wikis). */
  pngUrl?: string;
  note?: ReactNode;
  /** The anomalies marked on the chart, as text (components/anomalies/mark-list.tsx). */
  annotations?: ReactNode;
}

export function ChartCard(props: ChartCardProps) {
  const { id, title, caption, status, option, height = 300 } = props;
  const chart = useRef<EChartHandle>(null);
  const [busy, setBusy] = useState(false);
  const slug = fileSlug(`${title} ${caption.period.split(':')[0]}`);
  const ready = !status.isPending && !status.error && option !== null && !props.empty;

  async function exportPng() {
    const inst = chart.current?.instance();
    if (!inst) return;
    setBusy(true);
    try {
      const { chartPng } = await import('@/lib/charts/export-client');
      download(await chartPng(inst, caption), `${slug}.png`);
    } finally {
      setBusy(false);
    }
  }

  async function exportSvg() {
    const inst = chart.current?.instance();
    if (!inst || !option) return;
    setBusy(true);
    try {
      const { chartSvg } = await import('@/lib/charts/export-client');
      downloadText(
        await chartSvg(option, caption, inst.getWidth(), inst.getHeight()),
        `${slug}.svg`,
        'image/svg+xml',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card chart-card" id={id} aria-labelledby={`${id}-title`}>
      <header className="card-head">
        <div>
          <h2 id={`${id}-title`}>{title}</h2>
          {props.subtitle ? <p className="muted small">{props.subtitle}</p> : null}
        </div>
        <div className="card-tools">
          {props.controls}
          {props.zoom && props.onZoom ? (
            <button type="button" className="btn btn-small" onClick={() => props.onZoom?.(null)}>
              Reset zoom
            </button>
          ) : null}
          <fieldset className="export">
            <legend className="sr-only">Export {title}</legend>
            <button
              type="button"
              className="btn btn-small"
              disabled={!ready || busy}
              onClick={exportPng}
              data-export="png"
            >
              PNG
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={!ready || busy}
              onClick={exportSvg}
              data-export="svg"
            >
              SVG
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={!ready || !props.csv}
              onClick={() => props.csv && downloadText(props.csv(), `${slug}.csv`, 'text/csv')}
              data-export="csv"
            >
              CSV
            </button>
            {props.pngUrl ? (
              <a
                className="btn btn-small"
                href={props.pngUrl}
                target="_blank"
                rel="noreferrer"
                data-export="png-link"
              >
                PNG link
              </a>
            ) : null}
          </fieldset>
        </div>
      </header>
      {status.error ? (
        <ErrorState
          error={status.error}
          retry={status.refetch ? () => status.refetch?.() : undefined}
        />
      ) : status.isPending || option === null ? (
        <Loading height={height} label="Loading chart" />
      ) : props.empty ? (
        <Empty>{props.emptyText ?? 'No packets in this slice.'}</Empty>
      ) : (
        <EChart
          ref={chart}
          option={option}
          height={height}
          brushZoom={props.brushZoom}
          onZoom={props.onZoom}
          label={`${title}, ${caption.period}`}
        />
      )}
      <p className="caption muted small">
        {caption.period} · Sensors: {caption.sensors}
        {props.brushZoom ? ' · Drag across the chart to zoom' : ''}
      </p>
      {props.annotations}
      {props.note ? <div className="note small">{props.note}</div> : null}
    </section>
  );
}
