import type { NextRequest } from 'next/server';
import { jsonResponse } from '@/lib/api/route';
import { runEndpoint } from '@/lib/api/server';

export const dynamic = 'force-dynamic';

/** GET /api/v1/port-share (docs/API.md) */
export function GET(request: NextRequest): Promise<Response> {
  return jsonResponse(() => runEndpoint('port-share', request.nextUrl.searchParams));
}
