/** Browser-side API calls: JSON in, typed ApiError out (the server's error envelope). */
import { type ApiParams, type Endpoint, type EndpointResults, endpointUrl } from './endpoints';
import { ApiError, isApiErrorBody } from './errors';

export async function apiGet<E extends Endpoint>(
  endpoint: E,
  params: ApiParams,
  signal?: AbortSignal,
): Promise<EndpointResults[E]> {
  const res = await fetch(endpointUrl(endpoint, params), {
    signal,
    headers: { accept: 'application/json' },
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    if (isApiErrorBody(body)) {
      const e = body.error;
      throw new ApiError(e.status, e.code, e.message, e.parameter);
    }
    throw new ApiError(res.status, 'internal', `Request failed with HTTP ${res.status}`);
  }
  return body as EndpointResults[E];
}
