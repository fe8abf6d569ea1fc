import type { NextRequest } from 'next/server';
import { notFound } from '@/lib/api/errors';
import { errorResponse } from '@/lib/api/route';

export const dynamic = 'force-dynamic';

/**
 * Any /api path no endpoint answers: the API's 404 envelope (docs/API.md), not the
 * dashboard's HTML page, so that a script with a mistyped endpoint gets JSON it can read.
 */
function unknownEndpoint(request: NextRequest): Response {
  const { pathname } = request.nextUrl;
  return errorResponse(
    notFound(
      `No API endpoint ${request.method} ${pathname}: the endpoints are listed in docs/API.md`,
    ),
  );
}

export const GET = unknownEndpoint;
export const POST = unknownEndpoint;
export const PUT = unknownEndpoint;
export const PATCH = unknownEndpoint;
export const DELETE = unknownEndpoint;
