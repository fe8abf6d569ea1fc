/**
 * QueryClient factory: one per server request (React cache), one singleton in the browser.
 */
import { isServer, QueryClient } from '@tanstack/react-query';

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Aggregates change only when a file is ingested: a minute is fresh enough, and
        // it keeps hydrated server data from being refetched at once.
        staleTime: 60_000,
        refetchOnWindowFocus: false,
      },
      dehydrate: {
        // Hand pending and failed prefetches to the client too (errors are re-fetched).
        shouldDehydrateQuery: (q) => q.state.status === 'success',
      },
    },
  });
}

let browserClient: QueryClient | undefined;

/** The browser's singleton (server code uses getServerQueryClient from lib/api/server). */
export function getBrowserQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}
