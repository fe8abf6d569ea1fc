import type { NextRequest } from 'next/server';
import { jsonResponse } from '@/lib/api/route';
import { getAnomalies } from '@/lib/queries/anomalies';

export const dynamic = 'force-dynamic';

/** GET /api/v1/anomalies?from&to[&kind][&country][&port][&reviewed][&limit] (docs/API.md) */
export function GET(request: NextRequest): Promise<Response> {
  return jsonResponse(() => getAnomalies(request.nextUrl.searchParams));
}
