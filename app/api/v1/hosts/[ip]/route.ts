import type { NextRequest } from 'next/server';
import { paramsObject } from '@/lib/api/params';
import { jsonResponse } from '@/lib/api/route';
import { runEndpoint } from '@/lib/api/server';

export const dynamic = 'force-dynamic';

/** GET /api/v1/hosts/{ip} (docs/API.md) */
export async function GET(
  request: NextRequest,
  ctx: { params: Promise<{ ip: string }> },
): Promise<Response> {
  return jsonResponse(async () => {
    const { ip } = await ctx.params;
    const params = paramsObject(request.nextUrl.searchParams);
    if ('ip' in params) delete params.ip;
    return runEndpoint('host', { ...params, ip: decodeURIComponent(ip) });
  });
}
