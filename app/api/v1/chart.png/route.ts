import type { NextRequest } from 'next/server';
import { renderChart } from '@/lib/api/chart-png';
import { errorResponse } from '@/lib/api/route';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** GET /api/v1/chart.png: a trend chart as PNG (or SVG with format=svg); docs/API.md */
export async function GET(request: NextRequest): Promise<Response> {
  try {
    const { body, contentType } = await renderChart(request.nextUrl.searchParams);
    return new Response(body as BodyInit, {
      headers: { 'content-type': contentType, 'cache-control': 'no-store' },
    });
  } catch (e) {
    return errorResponse(e);
  }
}
