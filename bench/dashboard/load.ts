/**
 * Load test: autocannon in this process against `next start` in another, over loopback,
 * `connections` concurrent keep-alive connections for `seconds`, each request taking the
 * next URL of a mix (what the views ask for on their default period), so concurrent
 * requests hit different queries.
 */
import autocannon from 'autocannon';

export interface LoadResult {
  connections: number;
  seconds: number;
  urls: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  timeoutSeconds: number;
}

export async function loadTest(
  base: string,
  paths: string[],
  opts: { connections: number; seconds: number; timeoutSeconds: number },
): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: opts.timeoutSeconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          const path = paths[next % paths.length]!;
          next++;
          return { ...req, path };
        },
      },
    ],
  });
  return {
    connections: opts.connections,
    seconds: result.duration,
    urls: paths.length,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    timeoutSeconds: opts.timeoutSeconds,
  };
}
