import type { NextRequest } from 'next/server';
import { renderChart } from '@/lib/api/chart-png';
import { cachedResult, paramsKey } from '@/lib/api/result-cache';
import { errorResponse } from '@/lib/api/route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/v1/chart.png: a trend chart as PNG (or SVG with format=svg); docs/API.md */
export async function GET(request: NextRequest): Promise<Response> {
  try {
    // Rendering and rasterising take most of a chart's time, and an embedded chart is
    // asked for again and again: kept per data version like the JSON results.
    const search = request.nextUrl.searchParams;
    const { body, contentType } = await cachedResult(`chart.png ${paramsKey(search)}`, () =>
      renderChart(search),
    );
    return new Response(body as BodyInit, {
      headers: { 'content-type': contentType, 'cache-control': 'no-store' },
    });
  } catch (e) {
    return errorResponse(e);
  }
}
