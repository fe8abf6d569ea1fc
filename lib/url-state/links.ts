/** Links between views that carry the period and sensors. */
import { type PortRef, parsePortKey, portSlug } from '@/lib/api/port-key';

export interface SliceLink {
  from?: string;
  to?: string;
  sensors?: string[];
}

export function sliceQuery(s: SliceLink, extra: Record<string, string | undefined> = {}): string {
  const qs = new URLSearchParams();
  if (s.from) qs.set('from', s.from);
  if (s.to) qs.set('to', s.to);
  if (s.sensors?.length) qs.set('sensors', s.sensors.join(','));
  for (const [k, v] of Object.entries(extra)) if (v) qs.set(k, v);
  const str = qs.toString();
  return str ? `?${str}` : '';
}

export function portHref(port: PortRef | string, s: SliceLink): string {
  const p = typeof port === 'string' ? parsePortKey(port) : port;
  return p ? `/ports/${portSlug(p)}${sliceQuery(s)}` : '/ports';
}

export function countryHref(cc: string, s: SliceLink): string {
  return `/countries/${cc}${sliceQuery(s)}`;
}

export function hostHref(ip: string, s: SliceLink): string {
  return `/hosts/${encodeURIComponent(ip)}${sliceQuery(s)}`;
}

export function hostsHref(s: SliceLink, filter: Record<string, string | undefined>): string {
  return `/hosts${sliceQuery(s, filter)}`;
}
