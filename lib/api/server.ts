/**
 * Server side of the API: parse an endpoint's parameters with its zod schema, run the
 * query. Used by the route handlers and by pages prefetching into the per-request
 * QueryClient, so both return exactly the same JSON.
 */
import 'server-only';
import type { QueryClient } from '@tanstack/react-query';
import { cache } from 'react';
import { resolvePeriod, sensorScope } from '@/lib/queries/db';
import { getHost } from '@/lib/queries/host';
import { getHosts } from '@/lib/queries/hosts';
import { getMeta } from '@/lib/queries/meta';
import { perSensor, reportingSensors } from '@/lib/queries/per-sensor';
import { getPortShare } from '@/lib/queries/port-share';
import { getSeries } from '@/lib/queries/series';
import { getShareSeries } from '@/lib/queries/share-series';
import { getTopAsns } from '@/lib/queries/top-asns';
import { getTopCountries } from '@/lib/queries/top-countries';
import { getTopPorts } from '@/lib/queries/top-ports';
import { getTotals } from '@/lib/queries/totals';
import type { ApiParams, Endpoint, EndpointResults } from './endpoints';
import {
  asnsTopSchema,
  countriesTopSchema,
  hostSchema,
  hostsSchema,
  metaSchema,
  parseParams,
  periodOf,
  portShareSchema,
  portsTopSchema,
  seriesSchema,
  shareSeriesSchema,
  totalsSchema,
} from './params';
import { makeQueryClient } from './query-client';
import { apiQuery } from './query-options';
import { cachedResult, paramsKey } from './result-cache';

type Input = URLSearchParams | ApiParams;
type Runner<E extends Endpoint> = (input: Input) => Promise<EndpointResults[E]>;

const runners: { [E in Endpoint]: Runner<E> } = {
  meta: async (input) => {
    parseParams(metaSchema, input);
    return getMeta();
  },
  totals: async (input) => {
    const p = parseParams(totalsSchema, input);
    return getTotals({
      period: await resolvePeriod(periodOf(p)),
      scope: await sensorScope(p.sensors),
    });
  },
  'ports/top': async (input) => {
    const p = parseParams(portsTopSchema, input);
    return getTopPorts({
      period: await resolvePeriod(periodOf(p)),
      limit: p.limit,
      country: p.country,
      scope: await sensorScope(p.sensors),
    });
  },
  'countries/top': async (input) => {
    const p = parseParams(countriesTopSchema, input);
    return getTopCountries({
      period: await resolvePeriod(periodOf(p)),
      limit: p.limit,
      port: p.port,
      scope: await sensorScope(p.sensors),
    });
  },
  series: async (input) => {
    const p = parseParams(seriesSchema, input);
    const period = await resolvePeriod(periodOf(p));
    const scope = await sensorScope(p.sensors);
    const data = await getSeries({
      period,
      metric: p.metric,
      port: p.port,
      country: p.country,
      split: p.split,
      ports: p.ports,
      countries: p.countries,
      limit: p.limit,
      scope,
    });
    if (p.per !== 'sensor') return data;
    return perSensor(data, await reportingSensors(period, scope, data.days));
  },
  hosts: async (input) => {
    const p = parseParams(hostsSchema, input);
    return getHosts({
      period: await resolvePeriod(periodOf(p)),
      country: p.country,
      port: p.port,
      asn: p.asn,
      class: p.class,
      prefix: p.prefix,
      limit: p.limit,
      scope: await sensorScope(p.sensors),
    });
  },
  host: async (input) => {
    const p = parseParams(hostSchema, input);
    return getHost({ ip: p.ip, period: periodOf(p), scope: await sensorScope(p.sensors) });
  },
  'asns/top': async (input) => {
    const p = parseParams(asnsTopSchema, input);
    return getTopAsns({
      period: await resolvePeriod(periodOf(p)),
      country: p.country,
      port: p.port,
      limit: p.limit,
      scope: await sensorScope(p.sensors),
    });
  },
  'port-share': async (input) => {
    const p = parseParams(portShareSchema, input);
    return getPortShare({
      period: await resolvePeriod(periodOf(p)),
      country: p.country,
      limit: p.limit,
      scope: await sensorScope(p.sensors),
    });
  },
  'port-share/series': async (input) => {
    const p = parseParams(shareSeriesSchema, input);
    return getShareSeries({
      period: await resolvePeriod(periodOf(p)),
      country: p.country,
      port: p.port,
      scope: await sensorScope(p.sensors),
    });
  },
};

/**
 * Validates the parameters (ApiError 400 on failure) and runs the endpoint's query, or
 * reuses its result while the data has not changed (result-cache.ts).
 */
export function runEndpoint<E extends Endpoint>(
  endpoint: E,
  input: Input,
): Promise<EndpointResults[E]> {
  return cachedResult(`${endpoint} ${paramsKey(input)}`, () =>
    (runners[endpoint] as Runner<E>)(input),
  );
}

/** One QueryClient per server request. */
export const getServerQueryClient = cache(makeQueryClient);

/**
 * Prefetches an endpoint into the request's QueryClient under the key the client hook
 * uses. Failures are left for the client to show (and retry), never thrown here.
 */
export async function prefetch<E extends Endpoint>(
  qc: QueryClient,
  endpoint: E,
  params: ApiParams,
): Promise<EndpointResults[E] | undefined> {
  await qc.prefetchQuery({
    ...apiQuery(endpoint, params),
    queryFn: () => runEndpoint(endpoint, params),
    retry: false,
  });
  return qc.getQueryData<EndpointResults[E]>(apiQuery(endpoint, params).queryKey);
}
