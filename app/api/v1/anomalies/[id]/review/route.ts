import type { NextRequest } from 'next/server';
import { badParameter } from '@/lib/api/errors';
import { jsonResponse } from '@/lib/api/route';
import { reviewAnomaly } from '@/lib/queries/anomalies';

export const dynamic = 'force-dynamic';

/** POST /api/v1/anomalies/{id}/review with JSON {reviewed?: boolean, note?: string} (docs/API.md) */
export function POST(
  request: NextRequest,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  return jsonResponse(async () => {
    const text = await request.text();
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw badParameter('body', 'expected a JSON object');
      }
    }
    return reviewAnomaly(decodeURIComponent((await params).id), body);
  });
}
