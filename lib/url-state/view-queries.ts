/**
 * Which API requests each view makes for a given URL state: used by the client views
 * (hooks) and by the server pages (prefetch), so both agree on every query key.
 */
import type { ApiParams } from '@/lib/api/endpoints';
import { type Period, previousPeriod } from '@/lib/api/period';
import type { CountryRank, PortRank } from '@/lib/api/types';
import {
  type CountriesState,
  type CountryDetailState,
  type HostsState,
  type OverviewState,
  type PortDetailState,
  type PortTrendsState,
  sliceParams,
} from './views';

export const overviewQueries = (s: OverviewState) => {
  const slice = sliceParams(s);
  const prev = s.from && s.to ? previousPeriod({ from: s.from, to: s.to }) : null;
  return {
    totals: slice,
    ports: { ...slice, limit: String(s.n) },
    countries: { ...slice, limit: String(s.n) },
    series: { ...slice, metric: s.metric },
    previousSeries:
      s.compare === 'previous' && prev
        ? { ...slice, from: prev.from, to: prev.to, metric: s.metric }
        : null,
  };
};

export const portKeys = (rows: PortRank[] | undefined) =>
  (rows ?? []).map((r) => `${r.port}/${r.proto}`);

/** Daily packets of the ranked ports (sparklines). */
export const portSparkParams = (
  slice: ApiParams,
  rows: PortRank[] | undefined,
  extra: ApiParams = {},
): ApiParams | null =>
  rows?.length
    ? {
        ...slice,
        ...extra,
        split: 'port',
        ports: portKeys(rows).slice(0, 20).join(','),
        metric: 'packets',
      }
    : null;

export const countrySparkParams = (
  slice: ApiParams,
  rows: CountryRank[] | undefined,
  extra: ApiParams = {},
): ApiParams | null =>
  rows?.length
    ? {
        ...slice,
        ...extra,
        split: 'country',
        countries: rows
          .slice(0, 20)
          .map((r) => r.country)
          .join(','),
        metric: 'packets',
      }
    : null;

export const portTrendsQueries = (s: PortTrendsState) => {
  const slice = sliceParams(s);
  const per = s.per === 'sensor' ? 'sensor' : undefined;
  return {
    series: {
      ...slice,
      metric: s.metric,
      split: 'port',
      ...(s.ports.length ? { ports: s.ports.join(',') } : { limit: String(s.n) }),
      per,
    },
    ports: { ...slice, limit: '25' },
  };
};

/**
 * A series request moved to the previous period of `period`. A port split keeps the ports
 * plotted now rather than ranking the previous period's own. Port trends and chart.png
 * (compare=previous) both draw it.
 */
export function previousSeriesParams(
  params: ApiParams,
  period: Period,
  plotted: string[],
): ApiParams {
  const prev = previousPeriod(period);
  const out: ApiParams = { ...params, from: prev.from, to: prev.to };
  if (params.split === 'port' && plotted.length) {
    out.limit = undefined;
    out.ports = plotted.join(',');
  }
  return out;
}

/** The plotted ports over the previous period (compare=previous), once they are known. */
export const portTrendsPreviousQuery = (s: PortTrendsState, plotted: string[]) =>
  s.compare === 'previous' && s.from && s.to && plotted.length
    ? previousSeriesParams(portTrendsQueries(s).series, { from: s.from, to: s.to }, plotted)
    : null;

export const portDetailQueries = (s: PortDetailState, port: string) => {
  const slice = sliceParams(s);
  return {
    trend: { ...slice, metric: s.metric, port },
    countries: { ...slice, port, limit: '10' },
    windows: { ...slice, metric: 'sources', port, split: 'window', limit: String(s.windows) },
    tags: { ...slice, metric: s.metric, port, split: s.split, limit: '6' },
    hosts: { ...slice, port, limit: '25' },
  };
};

export const countriesQueries = (s: CountriesState) => {
  const slice = sliceParams(s);
  return {
    // every ranked country for the map; the table shows the first n
    countries: { ...slice, limit: '250', port: s.port },
  };
};

export const countryDetailQueries = (s: CountryDetailState, country: string) => {
  const slice = sliceParams(s);
  return {
    trend: { ...slice, metric: s.metric, country },
    ports: { ...slice, country, limit: '10' },
    share: { ...slice, country, limit: '8' },
    asns: { ...slice, country, limit: '10' },
    hosts: { ...slice, country, limit: '25' },
  };
};

/** The port a country view focuses on: the chosen one, else the country's top port. */
export const countryFocusQueries = (s: CountryDetailState, country: string, port: string) => {
  const slice = sliceParams(s);
  return {
    shareSeries: { ...slice, country, port },
    windows: port.endsWith('/tcp')
      ? { ...slice, metric: 'sources', country, port, split: 'window', limit: String(s.windows) }
      : null,
  };
};

export const hostsQueries = (s: HostsState) => {
  const slice = sliceParams(s);
  return {
    hosts: {
      ...slice,
      country: s.country,
      port: s.port,
      asn: s.asn,
      class: s.class === 'any' ? undefined : s.class,
      prefix: s.prefix,
      limit: String(s.limit),
    },
  };
};
