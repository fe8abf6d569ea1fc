/**
 * Which daily series shows an anomaly's evidence: the /api/v1/series parameters of the
 * chart the anomaly view draws (with the anomaly marked on it), and its title. Pure.
 */
import { countryName } from '../charts/countries';
import { portText } from './summary';
import type { Anomaly } from './types';

export interface EvidenceChart {
  title: string;
  unit: 'packets' | 'sources';
  params: Record<string, string | undefined>;
}

export function evidenceChart(
  a: Pick<
    Anomaly,
    | 'kind'
    | 'dimension'
    | 'key'
    | 'metric'
    | 'country'
    | 'proto'
    | 'port'
    | 'day'
    | 'periodFrom'
    | 'details'
  >,
): EvidenceChart | null {
  const port = a.port !== null && a.proto ? `${a.port}/${a.proto}` : undefined;
  const window = a.details.mark ?? { from: a.periodFrom, to: a.day };
  const range = { from: window.from, to: window.to };
  if (a.kind === 'campaign-growth') {
    if (!port) return null;
    if (a.dimension === 'fingerprint') {
      return {
        title: `${portText(port)}: distinct hosts by scanner fingerprint`,
        unit: 'sources',
        params: { ...range, split: 'fingerprint', port, metric: 'sources', limit: '5' },
      };
    }
    return {
      title: `${a.country ? `${countryName(a.country)} → ` : ''}${portText(port)}: distinct hosts by TCP window size`,
      unit: 'sources',
      params: {
        ...range,
        split: 'window',
        port,
        country: a.country ?? undefined,
        metric: 'sources',
        limit: '3',
      },
    };
  }
  if (a.kind === 'rank-move') {
    const prev = a.details.rank?.previousPeriod;
    const from = prev?.from ?? a.periodFrom;
    if (a.dimension === 'port' && port) {
      return {
        title: `${portText(port)}: packets per UTC day`,
        unit: 'packets',
        params: { from, to: a.day, port, metric: 'packets' },
      };
    }
    if (a.dimension === 'country' && a.country) {
      return {
        title: `${countryName(a.country)}: packets per UTC day`,
        unit: 'packets',
        params: { from, to: a.day, country: a.country, metric: 'packets' },
      };
    }
    return null;
  }
  const metric = a.kind === 'backscatter' ? 'packets' : a.metric;
  const what = metric === 'packets' ? 'packets' : 'distinct sources';
  if (a.dimension === 'port' && port) {
    return {
      title: `${portText(port)}: ${what} per UTC day`,
      unit: metric,
      params: { ...range, port, metric },
    };
  }
  if (a.dimension === 'country-port' && port && a.country) {
    return {
      title: `${countryName(a.country)} → ${portText(port)}: ${what} per UTC day`,
      unit: metric,
      params: { ...range, country: a.country, port, metric },
    };
  }
  if (a.country) {
    // Countries, and ASes / backscatter victims through their country (no per-AS series).
    return {
      title: `${countryName(a.country)}: ${what} per UTC day`,
      unit: metric,
      params: { ...range, country: a.country, metric },
    };
  }
  return null;
}
