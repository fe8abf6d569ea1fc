/**
 * The anomaly API from the browser: query keys (under the app's 'scanline' root, so a
 * global invalidation covers them), queryOptions shared by the server prefetch and the
 * client hooks, and the review call.
 */
import { queryOptions } from '@tanstack/react-query';
import type { StoredAnomaly } from '@/lib/anomalies/types';
import { type ApiParams, cleanParams } from '@/lib/api/endpoints';
import { ApiError, isApiErrorBody } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/keys';

export const anomalyKeys = {
  all: [...queryKeys.all, 'anomalies'] as const,
  list: (params: ApiParams) => [...anomalyKeys.all, 'list', cleanParams(params)] as const,
  one: (id: string) => [...anomalyKeys.all, 'one', id] as const,
};

export function anomaliesUrl(params: ApiParams): string {
  const qs = new URLSearchParams(cleanParams(params)).toString();
  return `/api/v1/anomalies${qs ? `?${qs}` : ''}`;
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: { accept: 'application/json', ...init?.headers },
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    if (isApiErrorBody(body)) {
      const e = body.error;
      throw new ApiError(e.status, e.code, e.message, e.parameter);
    }
    throw new ApiError(res.status, 'internal', `Request failed with HTTP ${res.status}`);
  }
  return body as T;
}

export function anomaliesQuery(params: ApiParams) {
  return queryOptions<StoredAnomaly[], Error>({
    queryKey: anomalyKeys.list(params),
    queryFn: ({ signal }) => call<StoredAnomaly[]>(anomaliesUrl(params), { signal }),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

export function anomalyQuery(id: string) {
  return queryOptions<StoredAnomaly, Error>({
    queryKey: anomalyKeys.one(id),
    queryFn: ({ signal }) =>
      call<StoredAnomaly>(`/api/v1/anomalies/${encodeURIComponent(id)}`, { signal }),
    retry: false,
  });
}

export function postReview(
  id: string,
  body: { reviewed: boolean; note?: string },
): Promise<StoredAnomaly> {
  return call<StoredAnomaly>(`/api/v1/anomalies/${encodeURIComponent(id)}/review`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
