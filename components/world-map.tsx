'use client';
/**
 * World choropleth (d3-geo Equal Earth over world-atlas 1:110m, ISO alpha-2 codes):
 * log-bucketed blues with a legend, hover tooltip, click to drill down; exports PNG
 * (2x, captioned), SVG and CSV of the coloured values.
 */
import { useMemo, useRef, useState } from 'react';
import { countryName } from '@/lib/charts/countries';
import { csvLines } from '@/lib/charts/csv';
import { download, downloadText, fileSlug } from '@/lib/charts/download';
import { formatCompact, formatInt } from '@/lib/charts/format';
import { NO_DATA } from '@/lib/charts/palette';
import type { ChartCaption } from '@/lib/charts/types';
import { choroplethScale, MAP_HEIGHT, MAP_WIDTH, worldShapes } from '@/lib/charts/world-map';

export interface WorldMapProps {
  values: Record<string, number>;
  /** 'packets' | 'distinct sources' */
  unit: string;
  caption: ChartCaption;
  onSelect?: (cc: string) => void;
}

export function WorldMap({ values, unit, caption, onSelect }: WorldMapProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [hover, setHover] = useState<{ cc: string; name: string; x: number; y: number } | null>(
    null,
  );
  const shapes = useMemo(() => worldShapes(), []);
  const scale = useMemo(() => choroplethScale(Object.values(values)), [values]);
  const slug = fileSlug(`${caption.title} ${caption.period.split(':')[0]}`);

  async function exportPng() {
    const svg = svgRef.current;
    if (!svg) return;
    const { figurePng } = await import('@/lib/charts/export-client');
    download(await figurePng(svg, caption), `${slug}.png`);
  }
  async function exportSvg() {
    const svg = svgRef.current;
    if (!svg) return;
    const { figureSvg } = await import('@/lib/charts/export-client');
    downloadText(figureSvg(svg, caption), `${slug}.svg`, 'image/svg+xml');
  }
  function exportCsv() {
    const rows = Object.entries(values).sort((a, b) => b[1] - a[1]);
    downloadText(
      csvLines([['country', unit.replace(/ /g, '_')], ...rows]),
      `${slug}.csv`,
      'text/csv',
    );
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: hover tooltip only; the ranking table has the same data
    <div className="map-wrap" onMouseLeave={() => setHover(null)}>
      <fieldset className="export map-export">
        <legend className="sr-only">Export map</legend>
        <button type="button" className="btn btn-small" onClick={exportPng} data-export="png">
          PNG
        </button>
        <button type="button" className="btn btn-small" onClick={exportSvg} data-export="svg">
          SVG
        </button>
        <button type="button" className="btn btn-small" onClick={exportCsv} data-export="csv">
          CSV
        </button>
      </fieldset>
      <svg
        ref={svgRef}
        className="world-map"
        viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`}
        role="img"
        aria-label={`${caption.title}, ${caption.period}`}
        data-testid="world-map"
      >
        <rect width={MAP_WIDTH} height={MAP_HEIGHT} fill="#ffffff" />
        {shapes.map((s, i) => {
          const v = s.cc ? values[s.cc] : undefined;
          const fill = v ? scale.color(v) : NO_DATA;
          return (
            // biome-ignore lint/a11y/noStaticElementInteractions: pointer drill-down; the ranking table links to the same pages
            <path
              // biome-ignore lint/suspicious/noArrayIndexKey: shapes are static; codes repeat (CY, SO)
              key={i}
              d={s.d}
              fill={fill}
              stroke="#ffffff"
              strokeWidth={0.5}
              data-cc={s.cc || undefined}
              data-value={v ?? 0}
              className={hover?.cc && hover.cc === s.cc ? 'hover' : undefined}
              onMouseMove={(e) => {
                const box = e.currentTarget.ownerSVGElement?.parentElement?.getBoundingClientRect();
                if (!box) return;
                setHover({
                  cc: s.cc,
                  name: s.cc ? countryName(s.cc) : s.name,
                  x: e.clientX - box.left,
                  y: e.clientY - box.top,
                });
              }}
              onClick={() => s.cc && onSelect?.(s.cc)}
            >
              <title>{`${s.cc ? countryName(s.cc) : s.name}: ${v ? formatInt(v) : 'no'} ${unit}`}</title>
            </path>
          );
        })}
      </svg>
      {hover ? (
        <div className="map-tip" style={{ left: hover.x, top: hover.y }}>
          <strong>{hover.name}</strong>
          <br />
          {values[hover.cc] ? `${formatInt(values[hover.cc]!)} ${unit}` : `no ${unit}`}
        </div>
      ) : null}
      <div className="legend">
        <span style={{ marginRight: 8 }}>{unit}:</span>
        {scale.buckets.map((b) => (
          <span
            key={b.from}
            className="legend-item"
            style={{ display: 'inline-flex', flexDirection: 'column' }}
          >
            <span className="legend-swatch" style={{ background: b.color }} />
            <span>≥ {formatCompact(b.from)}</span>
          </span>
        ))}
        <span
          className="legend-item"
          style={{ display: 'inline-flex', flexDirection: 'column', marginLeft: 8 }}
        >
          <span className="legend-swatch" style={{ background: NO_DATA }} />
          <span>none</span>
        </span>
      </div>
    </div>
  );
}
