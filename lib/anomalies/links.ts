/**
 * Deep links from an anomaly to the dashboard view that shows its evidence. The views'
 * own URL state (lib/url-state/views.ts) carries the period, port, metric...; two extra
 * parameters mark the anomaly on the view's trend charts:
 *   mark=YYYY-MM-DD or mark=FROM..TO   the anomalous day(s)
 *   anomaly=<id>                        the anomaly (for the review panel)
 * and a fragment scrolls to the part of the view that holds the evidence.
 */
import { addDays } from '../api/period';
import { parsePortKey, portSlug } from '../api/port-key';

export interface LinkTarget {
  path: string;
  params: Record<string, string | undefined>;
  hash?: string;
}

export function href(t: LinkTarget): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(t.params)) if (v) qs.set(k, v);
  const s = qs.toString();
  return `${t.path}${s ? `?${s}` : ''}${t.hash ? `#${t.hash}` : ''}`;
}

/** The 8-day window a daily anomaly opens: the day before to six days after. */
export function eventWindow(day: string): { from: string; to: string } {
  return { from: addDays(day, -1), to: addDays(day, 6) };
}

/** A level shift opens two weeks either side of the change. */
export function shiftWindow(day: string): { from: string; to: string } {
  return { from: addDays(day, -14), to: addDays(day, 14) };
}

export function markParam(from: string, to: string): string {
  return from === to ? from : `${from}..${to}`;
}

export function portPath(portKey: string): string {
  const p = parsePortKey(portKey);
  return p ? `/ports/${portSlug(p)}` : '/ports';
}

export interface SeriesLinkArgs {
  id: string;
  dimension: 'port' | 'country' | 'country-port' | 'asn';
  country: string | null;
  port: string | null;
  asn: number | null;
  metric: 'packets' | 'sources';
  window: { from: string; to: string };
  mark: string;
  /** Scroll to the source hosts (backscatter events). */
  hosts?: boolean;
}

/** The view of a series anomaly (spike, level shift, backscatter event). */
export function seriesLink(a: SeriesLinkArgs): LinkTarget {
  const common = {
    from: a.window.from,
    to: a.window.to,
    metric: a.metric === 'sources' ? 'sources' : undefined,
    mark: a.mark,
    anomaly: a.id,
  };
  if ((a.dimension === 'country' || a.dimension === 'country-port') && a.country) {
    return {
      path: `/countries/${a.country}`,
      params: {
        ...common,
        port: a.dimension === 'country-port' ? (a.port ?? undefined) : undefined,
      },
      hash: a.hosts ? 'country-hosts-title' : 'chart-country-trend',
    };
  }
  if (a.dimension === 'port' && a.port) {
    return { path: portPath(a.port), params: common, hash: 'chart-port-trend' };
  }
  // AS: the host list filtered by the AS (no per-AS trend view exists).
  return {
    path: '/hosts',
    params: {
      from: a.window.from,
      to: a.window.to,
      asn: a.asn !== null ? String(a.asn) : undefined,
      country: a.country ?? undefined,
      mark: a.mark,
      anomaly: a.id,
    },
  };
}

/** The hosts of a backscatter event: the host list filtered by AS, day and class. */
export function backscatterHostsLink(day: string, country: string, asn: number): LinkTarget {
  return {
    path: '/hosts',
    params: { from: day, to: day, country, asn: String(asn), class: 'backscatter' },
  };
}

/** Campaign growth: the window-size split chart of the port (per country when given). */
export function growthLink(a: {
  id: string;
  period: { from: string; to: string };
  country: string | null;
  port: string;
  fingerprint: boolean;
}): LinkTarget {
  const base = {
    from: a.period.from,
    to: a.period.to,
    mark: markParam(a.period.from, a.period.to),
    anomaly: a.id,
  };
  if (a.country) {
    return {
      path: `/countries/${a.country}`,
      params: { ...base, metric: 'sources', port: a.port },
      hash: 'chart-country-windows',
    };
  }
  if (a.fingerprint) {
    return {
      path: portPath(a.port),
      params: { ...base, metric: 'sources', split: 'fingerprint' },
      hash: 'chart-port-tags',
    };
  }
  return {
    path: portPath(a.port),
    params: { ...base, metric: 'sources' },
    hash: 'chart-port-windows',
  };
}

/** Rank moves: the ranking view of the period (ports or countries), with the previous period. */
export function rankLink(a: {
  id: string;
  dimension: 'port' | 'country';
  period: { from: string; to: string };
}): LinkTarget {
  const params = { from: a.period.from, to: a.period.to, anomaly: a.id };
  return a.dimension === 'port'
    ? { path: '/ports', params, hash: 'ranking-title' }
    : { path: '/countries', params, hash: 'country-rank-title' };
}
