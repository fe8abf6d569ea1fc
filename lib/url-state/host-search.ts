/**
 * Where a host search goes: an address opens the host page, a prefix or an AS number
 * opens the host list filtered by it (keeping the period and sensors).
 */
import { canonicalIp, parseIpPrefix } from '@/lib/api/ip';

export function hostSearchTarget(input: string, current: URLSearchParams): string | null {
  const q = input.trim();
  if (!q) return null;
  const keep = new URLSearchParams();
  for (const k of ['from', 'to', 'sensors']) {
    const v = current.get(k);
    if (v) keep.set(k, v);
  }
  const ip = canonicalIp(q);
  if (ip) {
    const s = keep.toString();
    return `/hosts/${encodeURIComponent(ip)}${s ? `?${s}` : ''}`;
  }
  const asn = /^(?:AS)?\s*(\d{1,10})$/i.exec(q);
  if (asn && Number(asn[1]) <= 4294967295 && !q.includes('.')) {
    keep.set('asn', asn[1]!);
    return `/hosts?${keep.toString()}`;
  }
  const prefix = parseIpPrefix(q);
  if (prefix) {
    keep.set('prefix', q);
    return `/hosts?${keep.toString()}`;
  }
  return null;
}
