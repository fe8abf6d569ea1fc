/**
 * The public API's endpoints: names, URL paths and result types. Params travel as
 * string records (exactly what goes in the query string), so a request's query key,
 * its URL and its server-side prefetch all derive from the same object.
 */
import type {
  AsnRank,
  CountryRank,
  HostDetail,
  HostSummary,
  Meta,
  PortRank,
  PortShare,
  SeriesResponse,
  Totals,
} from './types';

export interface EndpointResults {
  meta: Meta;
  totals: Totals;
  'ports/top': PortRank[];
  'countries/top': CountryRank[];
  series: SeriesResponse;
  hosts: HostSummary[];
  host: HostDetail;
  'asns/top': AsnRank[];
  'port-share': PortShare[];
  'port-share/series': SeriesResponse;
}

export type Endpoint = keyof EndpointResults;

/** Query-string parameters; undefined and '' are left out. */
export type ApiParams = Record<string, string | undefined>;

export const API_BASE = '/api/v1';

/** Parameters without empty values, keys sorted: a stable identity for keys and URLs. */
export function cleanParams(params: ApiParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(params).sort()) {
    const v = params[k];
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}

/** The endpoint's path and query string, e.g. '/api/v1/ports/top?from=...'. */
export function endpointUrl(endpoint: Endpoint, params: ApiParams): string {
  const clean = cleanParams(params);
  let path: string;
  if (endpoint === 'host') {
    const { ip, ...rest } = clean;
    path = `${API_BASE}/hosts/${encodeURIComponent(ip ?? '')}`;
    return withQuery(path, rest);
  }
  path = `${API_BASE}/${endpoint}`;
  return withQuery(path, clean);
}

function withQuery(path: string, params: Record<string, string>): string {
  const qs = new URLSearchParams(params).toString();
  return qs ? `${path}?${qs}` : path;
}
