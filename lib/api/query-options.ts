/**
 * queryOptions for every endpoint: the client hooks use them as they are (fetching the
 * JSON API); server pages prefetch with the same key and a queryFn that calls the query
 * directly (lib/api/server.ts), then hand the cache to the client.
 */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ApiParams, Endpoint, EndpointResults } from './endpoints';
import { ApiError } from './errors';
import { apiGet } from './fetch';
import { queryKeys } from './keys';

export function apiQuery<E extends Endpoint>(endpoint: E, params: ApiParams) {
  return queryOptions<EndpointResults[E], Error>({
    queryKey: queryKeys.request(endpoint, params),
    queryFn: ({ signal }) => apiGet(endpoint, params, signal),
    // While a changed view state loads, keep showing the previous answer (no flashing).
    placeholderData: keepPreviousData,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}
