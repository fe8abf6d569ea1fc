/** Helpers shared by the host queries: class by majority, port maps, fingerprints. */
import 'server-only';
import type { HostClass } from '@/lib/api/params';
import type { PortCount } from '@/lib/api/types';

/**
 * A host's class over a period, by packets: 'scan' when scan packets are at least the
 * backscatter and the unclassified packets, else 'backscatter' when those are at least
 * the unclassified, else 'other'. (The SQL filter in hosts.ts encodes the same rule.)
 */
export function hostClass(packets: number, scan: number, backscatter: number): HostClass {
  const other = packets - scan - backscatter;
  if (scan >= backscatter && scan >= other) return 'scan';
  if (backscatter >= other) return 'backscatter';
  return 'other';
}

/** Adds a daily_host `ports` JSON text ({'tcp/445': n}) into a map keyed '445/tcp'. */
export function addPorts(into: Map<string, number>, json: unknown): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(json ?? '{}'));
  } catch {
    return;
  }
  if (typeof parsed !== 'object' || parsed === null) return;
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    const [proto, port] = k.split('/');
    if (proto === undefined || port === undefined) continue;
    const key = `${port}/${proto}`;
    into.set(key, (into.get(key) ?? 0) + Number(v));
  }
}

export function portList(map: Map<string, number>, limit = 16): PortCount[] {
  return [...map]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([port, packets]) => ({ port, packets }));
}

/** Adds a daily_host `fingerprints` JSON text (sorted rule names) into a set. */
export function addFingerprints(into: Set<string>, json: unknown): void {
  try {
    const parsed: unknown = JSON.parse(String(json ?? '[]'));
    if (Array.isArray(parsed)) for (const f of parsed) into.add(String(f));
  } catch {
    // A malformed list contributes nothing.
  }
}

/** The JSON text key daily_host.ports uses for a port: '"tcp/445"'. */
export function hostPortsKey(proto: string, port: number): string {
  return `"${proto}/${port}"`;
}
