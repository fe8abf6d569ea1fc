import type { NextRequest } from 'next/server';
import { jsonResponse } from '@/lib/api/route';
import { getAnomaly } from '@/lib/queries/anomalies';

export const dynamic = 'force-dynamic';

/** GET /api/v1/anomalies/{id} (docs/API.md) */
export function GET(
  _request: NextRequest,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  return jsonResponse(async () => getAnomaly(decodeURIComponent((await params).id)));
}
