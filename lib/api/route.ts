/** Route handler wrapper: JSON on success, the one error envelope on failure. */
import { ApiError } from './errors';

const HEADERS = { 'cache-control': 'no-store' };

export function errorResponse(e: unknown): Response {
  if (e instanceof ApiError)
    return Response.json(e.toBody(), { status: e.status, headers: HEADERS });
  console.error('[api] unexpected error', e);
  const err = new ApiError(
    500,
    'internal',
    'Internal error: the query failed (see the server log)',
  );
  return Response.json(err.toBody(), { status: 500, headers: HEADERS });
}

/** Runs `fn` and answers with its JSON, or with the error envelope. */
export async function jsonResponse(fn: () => Promise<unknown>): Promise<Response> {
  try {
    return Response.json(await fn(), { headers: HEADERS });
  } catch (e) {
    return errorResponse(e);
  }
}
