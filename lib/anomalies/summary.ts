/** One-sentence summaries of anomalies. Pure. */
import { parsePortKey, portLabel } from '../api/port-key';
import { countryName } from '../charts/countries';
import { formatCompact, formatInt } from '../charts/format';
import { backscatterTypeLabel } from './backscatter';
import type { BackscatterDetails, Dimension } from './types';

/** '445/tcp' -> '445/TCP' */
export function portText(key: string): string {
  const p = parsePortKey(key);
  return p ? portLabel(p) : key;
}

/** '3.2x', '14x', '240x' */
export function ratioText(r: number): string {
  if (!Number.isFinite(r)) return 'many times';
  return r < 10 ? `${(Math.round(r * 10) / 10).toString()}x` : `${formatInt(Math.round(r))}x`;
}

/** 'a, b and c' */
export function andList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export interface SubjectArgs {
  dimension: Dimension;
  key: string;
  country: string | null;
  port: string | null;
  asn: number | null;
  asOrg?: string;
}

/** What the series is: 'New Zealand', '445/TCP', 'Japan → 445/TCP', 'AS4134 Chinanet'. */
export function subjectText(a: SubjectArgs): string {
  switch (a.dimension) {
    case 'country':
      return countryName(a.country ?? a.key);
    case 'port':
      return portText(a.port ?? a.key);
    case 'country-port':
      return `${countryName(a.country ?? '')} → ${portText(a.port ?? '')}`;
    case 'asn':
      return `AS${a.asn}${a.asOrg ? ` ${a.asOrg}` : ''}${a.country ? ` (${countryName(a.country)})` : ''}`;
    default:
      return a.key;
  }
}

function metricText(metric: 'packets' | 'sources'): string {
  return metric === 'packets' ? 'packets' : 'distinct sources';
}

export function spikeSentence(a: {
  subject: string;
  day: string;
  ratio: number;
  observed: number;
  baseline: number;
  metric: 'packets' | 'sources';
  /** e.g. 'mostly 445/TCP' */
  detail?: string;
  /** Episodes over consecutive days: the last day. */
  lastDay?: string;
}): string {
  const more = a.lastDay ? ` (through ${a.lastDay})` : '';
  const base =
    a.baseline < 1
      ? `${formatInt(a.observed)} ${metricText(a.metric)} on ${a.day}${more}, from almost none before`
      : `${ratioText(a.ratio)} its baseline on ${a.day}${more} (${formatInt(a.observed)} ${metricText(a.metric)}, ~${formatInt(a.baseline)} expected)`;
  return `${a.subject}: ${base}${a.detail ? `, ${a.detail}` : ''}`;
}

export function shiftSentence(a: {
  subject: string;
  day: string;
  observed: number;
  baseline: number;
  metric: 'packets' | 'sources';
  detail?: string;
}): string {
  const up = a.observed >= a.baseline;
  const r = up ? a.observed / Math.max(a.baseline, 0.5) : a.baseline / Math.max(a.observed, 0.5);
  const dir = up ? `up ${ratioText(r)}` : `down to 1/${ratioText(r).replace('x', '')}`;
  return `${a.subject}: level ${dir} from ${a.day} (~${formatInt(a.observed)} ${metricText(a.metric)} a day, was ~${formatInt(a.baseline)})${a.detail ? `, ${a.detail}` : ''}`;
}

export function backscatterSentence(a: {
  details: BackscatterDetails;
  day: string;
  /** The country's own spike that day, when the event made one. */
  countrySpike?: { ratio: number };
}): string {
  const d = a.details;
  const types = backscatterTypeLabel(d.types) || 'Backscatter';
  const topPorts = d.ports.slice(0, 3).map((p) => portText(p.port));
  const to =
    d.ports.length > 3
      ? ` to ${formatInt(d.ports.length)}+ ports (${topPorts.join(', ')}, …)`
      : topPorts.length
        ? ` to ${andList(topPorts)}`
        : '';
  const n = d.victims.length;
  const who = `${n} address${n === 1 ? '' : 'es'} of AS${d.asn} ${d.asOrg || '(unknown organisation)'}`;
  const fixed = fixedText(d);
  const rate = `; attack ~${formatCompact(Math.round(d.estimatedAttackRate))} packets/s (estimate)`;
  const what = `${types} backscatter${to} from ${who}${fixed}${rate}`;
  if (a.countrySpike) {
    return `${countryName(d.country)}: ${ratioText(a.countrySpike.ratio)} its baseline on ${a.day}, ${what}`;
  }
  return `${countryName(d.country)}: DDoS victim on ${a.day}, ${what}`;
}

/** ', fixed TCP window 65535 and sequence number 1511505920' (or one of them, or ''). */
export function fixedText(d: BackscatterDetails): string {
  const window = d.fixedWindow && d.windows[0] ? d.windows[0].window : null;
  // Details stored before sequence numbers were reported have no `seqs`.
  const seq = d.fixedSeq && d.seqs?.[0] ? d.seqs[0].seq : null;
  if (window !== null && seq !== null) {
    return `, fixed TCP window ${window} and sequence number ${seq}`;
  }
  if (window !== null) return `, fixed TCP window ${window}`;
  if (seq !== null) return `, fixed TCP sequence number ${seq}`;
  return '';
}

export function growthSentence(a: {
  subject: string;
  start: number;
  end: number;
  growth: number;
  restGrowth: number;
  restLabel: string;
}): string {
  return `${a.subject}: distinct hosts grew ${ratioText(a.growth)} over the period (~${formatInt(Math.round(a.start))} to ~${formatInt(Math.round(a.end))} a week) while ${a.restLabel} stayed flat (${ratioText(a.restGrowth)})`;
}

export function rankSentence(a: {
  subject: string;
  what: 'ports' | 'source countries';
  rank: number;
  previousRank: number | null;
  kind: 'new-first' | 'new-entry' | 'jump';
}): string {
  const was = a.previousRank === null ? 'not ranked before' : `was #${a.previousRank}`;
  const single = a.what === 'ports' ? 'port' : 'source country';
  if (a.kind === 'new-first') return `${a.subject} is now the top ${single} (${was})`;
  if (a.kind === 'new-entry') return `${a.subject} enters the top ${a.what} at #${a.rank} (${was})`;
  return `${a.subject} climbs to #${a.rank} among ${a.what} (${was})`;
}
