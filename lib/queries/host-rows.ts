/**
 * Helpers shared by the host queries: class by majority, port maps, fingerprints, and
 * the per-row majority values (TCP window, TTL, TCP sequence number) weighed over rows.
 */
import 'server-only';
import type { HostClass } from '@/lib/api/params';
import type { PortCount } from '@/lib/api/types';
import { num } from './db';

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

/** A key of daily_host.ports, and daily_host_port.port: 'tcp/445'. */
export function hostPortLabel(proto: string, port: number): string {
  return `${proto}/${port}`;
}

/** The JSON text key daily_host.ports uses for a port: '"tcp/445"'. */
export function hostPortsKey(proto: string, port: number): string {
  return `"${hostPortLabel(proto, port)}"`;
}

/** TCP packets of a daily_host row (the packets that carry a window and a sequence number). */
export function tcpPacketsOf(r: {
  syn?: unknown;
  syn_ack?: unknown;
  rst?: unknown;
  ack?: unknown;
  other_tcp?: unknown;
}): number {
  return num(r.syn) + num(r.syn_ack) + num(r.rst) + num(r.ack) + num(r.other_tcp);
}

/** Adds one row's majority value with its weight; -1 (none) is skipped. */
export function addWeighted(into: Map<number, number>, value: number, weight: number): void {
  if (value < 0 || weight <= 0) return;
  into.set(value, (into.get(value) ?? 0) + weight);
}

/** Values by weight, largest first (ties: smaller value). */
export function rankedValues(m: Map<number, number>): { value: number; packets: number }[] {
  return [...m]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([value, packets]) => ({ value, packets }));
}

/** The value with the largest weight (ties: smaller value), -1 when there is none. */
export function topValue(m: Map<number, number>): number {
  return rankedValues(m)[0]?.value ?? -1;
}
