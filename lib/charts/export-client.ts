/**
 * Browser-side chart exports: PNG (2x, white, with the caption drawn around the chart
 * image taken from the live instance), SVG (the framed option rendered with ECharts'
 * SVG renderer), and the same for plain SVG figures (the world map). Loaded by the views
 * when an export is asked for (download.ts has what a click needs at once).
 */
import { captionSubtitle, EXPORT_FOOTER, EXPORT_HEADER, frameForExport } from './caption';
import type { EChartsInstance } from './echarts-core';
import { AXIS, TEXT } from './palette';
import type { ChartCaption, ChartOption } from './types';

export const PIXEL_RATIO = 2;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('could not load the chart image'));
    img.src = src;
  });
}

/**
 * Draws `img` (already at PIXEL_RATIO) under a caption header and above a source
 * footer on a white canvas; returns the PNG blob.
 */
async function captionedPng(
  img: CanvasImageSource,
  cssWidth: number,
  cssHeight: number,
  caption: ChartCaption,
): Promise<Blob> {
  const r = PIXEL_RATIO;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(cssWidth * r);
  canvas.height = Math.round((cssHeight + EXPORT_HEADER + EXPORT_FOOTER) * r);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(r, r);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, cssWidth, cssHeight + EXPORT_HEADER + EXPORT_FOOTER);
  ctx.textBaseline = 'top';
  ctx.fillStyle = TEXT;
  ctx.font = `600 15px ${FONT}`;
  ctx.fillText(caption.title, 14, 12, cssWidth - 28);
  ctx.fillStyle = AXIS;
  ctx.font = `12px ${FONT}`;
  ctx.fillText(captionSubtitle(caption), 14, 34, cssWidth - 28);
  ctx.drawImage(img, 0, EXPORT_HEADER, cssWidth, cssHeight);
  ctx.font = `11px ${FONT}`;
  ctx.textBaseline = 'bottom';
  ctx.fillText(
    `Source: ${caption.source}`,
    14,
    cssHeight + EXPORT_HEADER + EXPORT_FOOTER - 7,
    cssWidth - 28,
  );
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}

/** PNG of a live chart: its own getDataURL at 2x (legend and axes as shown), captioned. */
export async function chartPng(instance: EChartsInstance, caption: ChartCaption): Promise<Blob> {
  const url = instance.getDataURL({
    type: 'png',
    pixelRatio: PIXEL_RATIO,
    backgroundColor: '#ffffff',
    excludeComponents: ['toolbox', 'dataZoom'],
  });
  const img = await loadImage(url);
  return captionedPng(img, instance.getWidth(), instance.getHeight(), caption);
}

/**
 * SVG document of a chart: the framed option through ECharts' SVG renderer (loaded on
 * first use: most views never export SVG).
 */
export async function chartSvg(
  option: ChartOption,
  caption: ChartCaption,
  width: number,
  height: number,
): Promise<string> {
  const { renderSvg } = await import('./echarts-svg');
  return renderSvg(frameForExport(option, caption), width, height + EXPORT_HEADER + EXPORT_FOOTER);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A plain SVG figure (the map) wrapped with the caption, as a standalone SVG document. */
export function figureSvg(svg: SVGSVGElement, caption: ChartCaption): string {
  const box = svg.viewBox.baseVal;
  const w = box?.width || svg.clientWidth;
  const h = box?.height || svg.clientHeight;
  const inner = new XMLSerializer().serializeToString(svg);
  const H = EXPORT_HEADER;
  const total = h + H + EXPORT_FOOTER;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${total}" viewBox="0 0 ${w} ${total}" font-family="DejaVu Sans, system-ui, sans-serif">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="14" y="27" font-size="15" font-weight="bold" fill="${TEXT}">${escapeXml(caption.title)}</text>
<text x="14" y="46" font-size="12" fill="${AXIS}">${escapeXml(captionSubtitle(caption))}</text>
<svg x="0" y="${H}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${inner}</svg>
<text x="14" y="${total - 8}" font-size="11" fill="${AXIS}">Source: ${escapeXml(caption.source)}</text>
</svg>`;
}

/** PNG (2x) of a plain SVG figure with its caption. */
export async function figurePng(svg: SVGSVGElement, caption: ChartCaption): Promise<Blob> {
  const box = svg.viewBox.baseVal;
  const w = box?.width || svg.clientWidth;
  const h = box?.height || svg.clientHeight;
  const inner = new XMLSerializer().serializeToString(svg);
  const scaled = inner.replace(
    /^<svg /,
    `<svg width="${w * PIXEL_RATIO}" height="${h * PIXEL_RATIO}" `,
  );
  const img = await loadImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(scaled)}`);
  return captionedPng(img, w, h, caption);
}
