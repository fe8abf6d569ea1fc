/**
 * Scale presets: how big the telescope is and how much of the scenario it sees.
 * A preset turns scenario units into packets (`unitPackets` per unit per day over the
 * whole telescope) and multiplies the reference host counts by `hostFactor`. Shares,
 * rankings and trends are the same at every scale; only volumes and sampling noise differ.
 *
 * Sensor prefixes are documentation / benchmarking space (RFC 5737, RFC 2544): dark by
 * definition, and never a real network's addresses.
 */

import { parseIPv4 } from '../aggregate/ip-format';

export interface SensorSite {
  name: string;
  /** Monitored prefix, 'a.b.c.d/len'. */
  prefix: string;
}

export type ScaleName = 'test' | 'demo' | 'sensor' | 'slash16';

export interface ScalePreset {
  name: ScaleName;
  description: string;
  /** Packets per scenario unit per day, whole telescope. */
  unitPackets: number;
  /** Multiplier of the scenario's reference host counts. */
  hostFactor: number;
  sensors: readonly SensorSite[];
}

/** An Asia-Pacific sensor network: small dark blocks in several networks. */
const SITES = [
  { name: 'tyo1', block: '192.0.2.16' },
  { name: 'sin1', block: '203.0.113.32' },
  { name: 'osa1', block: '198.51.100.64' },
  { name: 'syd1', block: '192.0.2.160' },
  { name: 'tpe1', block: '198.51.100.200' },
  { name: 'icn1', block: '203.0.113.176' },
] as const;

function sites(n: number, len: number): SensorSite[] {
  return SITES.slice(0, n).map((s) => ({ name: s.name, prefix: `${s.block}/${len}` }));
}

export const SCALES: Readonly<Record<ScaleName, ScalePreset>> = {
  test: {
    name: 'test',
    description: 'tiny: 2 sensors x /29, a few thousand packets a day (for tests)',
    unitPackets: 4,
    hostFactor: 0.05,
    sensors: sites(2, 29),
  },
  demo: {
    name: 'demo',
    description: 'the built-in demo: 3 sensors x /29, ~15k packets a day',
    unitPackets: 20,
    hostFactor: 0.08,
    sensors: sites(3, 29),
  },
  sensor: {
    name: 'sensor',
    description: 'a sensor network: 6 sensors x /29 (48 addresses), ~4k packets per address a day',
    unitPackets: 250,
    hostFactor: 1,
    sensors: sites(6, 29),
  },
  slash16: {
    name: 'slash16',
    description: 'a /16 telescope: millions of packets and ~300k sources a day',
    unitPackets: 8000,
    hostFactor: 12,
    sensors: [{ name: 'tele16', prefix: '198.18.0.0/16' }],
  },
};

export function isScaleName(s: string): s is ScaleName {
  return s in SCALES;
}

/** Parses 'a.b.c.d/len' into [network uint32, number of addresses]. */
export function parsePrefix(prefix: string): { base: number; size: number; len: number } {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(prefix);
  if (!m) throw new Error(`bad prefix ${prefix}`);
  const len = Number(m[5]);
  if (len < 8 || len > 32) throw new Error(`prefix length out of range: ${prefix}`);
  const ip =
    ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const size = 2 ** (32 - len);
  const base = ip - (ip % size);
  if (base !== ip) throw new Error(`prefix has host bits set: ${prefix}`);
  return { base, size, len };
}

export { formatIPv4 as ipv4ToString } from '../aggregate/ip-format';

export function ipv4FromString(s: string): number {
  const ip = parseIPv4(s);
  if (ip === null) throw new Error(`bad IPv4 address ${s}`);
  return ip;
}
