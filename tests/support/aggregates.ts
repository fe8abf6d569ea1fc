/**
 * Synthetic input for store tests: seeded packets and a small, exact reference
 * aggregator turning them into FileAggregates (the real aggregator's output shape).
 * Splitting a packet list into two files and aggregating each gives what two capture
 * files of the same day would give.
 */

import * as R from '../../ingest/aggregate/host-record';
import { ownVoteWeights } from '../../ingest/aggregate/merge-rows';
import {
  type DailyCountryPortRow,
  type DailyCountryRow,
  type DailyHostRow,
  type DailyPortRow,
  type DailyTagRow,
  type DailyTotalRow,
  type DailyWindowRow,
  type FileAggregates,
  HOST_PORTS_KEPT,
} from '../../ingest/aggregate/rows';
import { SourceSketch } from '../../ingest/aggregate/source-sketch';

export interface SynthPacket {
  /** ms since the epoch */
  ts: number;
  src: number;
  dst: number;
  proto: 'tcp' | 'udp' | 'icmp';
  port: number;
  flag: 'syn' | 'synAck' | 'rst' | 'ack' | 'otherTcp' | null;
  window: number;
  /** TCP sequence number (unsigned 32-bit), -1 for UDP / ICMP. */
  seq: number;
  ttl: number;
  bytes: number;
  cls: 'scan' | 'backscatter' | 'other';
  fps: string[];
}

const COUNTRIES = ['JP', 'US', 'CN', 'BR', 'ZZ', 'DE', 'RU'];
const PORTS = [23, 2323, 22, 80, 443, 445, 3389, 8080, 5555, 6379];
const FPS = ['mirai', 'zmap', 'masscan', 'large-scale-scanner'];

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SynthOptions {
  /** Distinct sources to draw from. */
  sources?: number;
  /** First UTC day (YYYY-MM-DD) and number of days covered. */
  day?: string;
  days?: number;
}

/** `n` seeded packets from `sources` hosts over `days` UTC days. */
export function synthPackets(seed: number, n: number, opts: SynthOptions = {}): SynthPacket[] {
  const r = rng(seed);
  const sources = opts.sources ?? 200;
  const start = Date.parse(`${opts.day ?? '2024-03-01'}T00:00:00Z`);
  const span = (opts.days ?? 1) * 86_400_000;
  const out: SynthPacket[] = [];
  for (let i = 0; i < n; i++) {
    const src = (0xc6336400 + Math.floor(r() * sources)) >>> 0; // 198.51.100.0 + k
    const kind = r();
    const proto = kind < 0.75 ? 'tcp' : kind < 0.92 ? 'udp' : 'icmp';
    const port = proto === 'icmp' ? 8 * 256 : (PORTS[Math.floor(r() * PORTS.length)] ?? 23);
    const cls = proto === 'tcp' && r() < 0.1 ? 'backscatter' : proto === 'icmp' ? 'other' : 'scan';
    const flag =
      proto !== 'tcp' ? null : cls === 'backscatter' ? 'synAck' : r() < 0.9 ? 'syn' : 'rst';
    out.push({
      ts: start + Math.floor(r() * span),
      src,
      dst: (0xcb007100 + Math.floor(r() * 64)) >>> 0,
      proto,
      port,
      flag,
      window: proto === 'tcp' ? [1024, 8192, 14600, 65535][src % 4]! : -1,
      seq: proto === 'tcp' ? seqOf(src, i) : -1,
      ttl: 40 + (src % 20) + (r() < 0.2 ? 1 : 0),
      bytes: 40 + Math.floor(r() * 40),
      cls,
      fps: src % 5 === 0 ? [FPS[src % FPS.length]!] : [],
    });
  }
  return out;
}

/**
 * A host's TCP sequence numbers: most packets carry the host's own fixed value (spread
 * over the whole unsigned 32-bit range, 0xffffffff included), every fifth a varying one.
 * No draw from the generator, so the other fields stay as they were.
 */
function seqOf(src: number, i: number): number {
  if (i % 5 === 4) return Math.imul(i, 0x2545f491) >>> 0;
  return src % 17 === 0 ? 0xffffffff : Math.imul(src, 0x9e3779b1) >>> 0;
}

export function ipString(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

export function countryOf(src: number): string {
  return COUNTRIES[src % COUNTRIES.length]!;
}

function asnOf(src: number): number {
  return src % 3 === 0 ? 0 : 64500 + (src % 7);
}

function dayOf(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

function majority(votes: Map<number, number>): number {
  let best = -1;
  let bestN = 0;
  for (const [v, n] of votes) if (n > bestN || (n === bestN && v < best)) [best, bestN] = [v, n];
  return best;
}

class Keyed<R extends { packets: number; sources: SourceSketch }> {
  readonly map = new Map<string, R>();
  add(key: string, make: () => R, p: SynthPacket): void {
    let row = this.map.get(key);
    if (!row) {
      row = make();
      this.map.set(key, row);
    }
    row.packets++;
    row.sources.addIPv4(p.src);
  }
  rows(): R[] {
    return [...this.map.values()];
  }
}

interface HostAcc {
  row: DailyHostRow;
  ports: Map<string, number>;
  dsts: Set<number>;
  windows: Map<number, number>;
  ttls: Map<number, number>;
  seqs: Map<number, number>;
  fps: Set<string>;
}

/** Exact aggregates of a packet list (the reference for store tests). */
export function aggregatePackets(packets: readonly SynthPacket[]): FileAggregates {
  const totals = new Keyed<DailyTotalRow>();
  const ports = new Keyed<DailyPortRow>();
  const countries = new Keyed<DailyCountryRow>();
  const countryPorts = new Keyed<DailyCountryPortRow>();
  const windows = new Keyed<DailyWindowRow>();
  const tags = new Keyed<DailyTagRow>();
  const hosts = new Map<string, HostAcc>();
  const sk = () => new SourceSketch();
  for (const p of packets) {
    const day = dayOf(p.ts);
    const country = countryOf(p.src);
    totals.add(day, () => ({ day, packets: 0, sources: sk() }), p);
    ports.add(
      `${day}|${p.proto}|${p.port}`,
      () => ({ day, proto: p.proto, port: p.port, packets: 0, sources: sk() }),
      p,
    );
    countries.add(`${day}|${country}`, () => ({ day, country, packets: 0, sources: sk() }), p);
    countryPorts.add(
      `${day}|${country}|${p.proto}|${p.port}`,
      () => ({ day, country, proto: p.proto, port: p.port, packets: 0, sources: sk() }),
      p,
    );
    if (p.proto === 'tcp' && p.flag === 'syn') {
      windows.add(
        `${day}|${country}|${p.port}|${p.window}`,
        () => ({ day, country, port: p.port, window: p.window, packets: 0, sources: sk() }),
        p,
      );
    }
    for (const tag of [`class:${p.cls}`, ...p.fps.map((f) => `fp:${f}`)]) {
      tags.add(
        `${day}|${tag}|${p.proto}|${p.port}`,
        () => ({ day, tag, proto: p.proto, port: p.port, packets: 0, sources: sk() }),
        p,
      );
    }
    const hk = `${day}|${p.src}`;
    let h = hosts.get(hk);
    if (!h) {
      const asn = asnOf(p.src);
      h = {
        row: {
          day,
          ip: ipString(p.src),
          country,
          asn,
          asOrg: asn ? `AS${asn} Example "Org", Inc.` : '',
          packets: 0,
          bytes: 0,
          ports: {},
          distinctPorts: 0,
          distinctDsts: 0,
          syn: 0,
          synAck: 0,
          rst: 0,
          ack: 0,
          otherTcp: 0,
          udp: 0,
          icmp: 0,
          window: -1,
          ttl: -1,
          seq: -1,
          tcpVoteWeight: 0,
          ttlVoteWeight: 0,
          fingerprints: [],
          scanPackets: 0,
          backscatterPackets: 0,
          firstSeen: new Date(p.ts),
          lastSeen: new Date(p.ts),
        },
        ports: new Map(),
        dsts: new Set(),
        windows: new Map(),
        ttls: new Map(),
        seqs: new Map(),
        fps: new Set(),
      };
      hosts.set(hk, h);
    }
    const r = h.row;
    r.packets++;
    r.bytes += p.bytes;
    if (p.flag) r[p.flag]++;
    else if (p.proto === 'udp') r.udp++;
    else r.icmp++;
    if (p.cls === 'scan') r.scanPackets++;
    if (p.cls === 'backscatter') r.backscatterPackets++;
    const pk = `${p.proto}/${p.port}`;
    h.ports.set(pk, (h.ports.get(pk) ?? 0) + 1);
    h.dsts.add(p.dst);
    if (p.proto === 'tcp') h.windows.set(p.window, (h.windows.get(p.window) ?? 0) + 1);
    if (p.proto === 'tcp') h.seqs.set(p.seq, (h.seqs.get(p.seq) ?? 0) + 1);
    h.ttls.set(p.ttl, (h.ttls.get(p.ttl) ?? 0) + 1);
    for (const f of p.fps) h.fps.add(f);
    if (p.ts < r.firstSeen.getTime()) r.firstSeen = new Date(p.ts);
    if (p.ts > r.lastSeen.getTime()) r.lastSeen = new Date(p.ts);
  }
  const hostRows: DailyHostRow[] = [];
  for (const h of hosts.values()) {
    const sorted = [...h.ports].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    h.row.ports = Object.fromEntries(sorted.slice(0, HOST_PORTS_KEPT));
    h.row.distinctPorts = h.ports.size;
    // As the ingest does: a 32-register HyperLogLog of the destinations.
    const rec = new Int32Array(R.STRIDE);
    for (const d of h.dsts) R.addDestination(rec, 0, d);
    h.row.dstRegisters = R.destinationRegisters(rec, 0);
    h.row.distinctDsts = R.estimateDestinations(h.row.dstRegisters);
    h.row.window = majority(h.windows);
    h.row.ttl = majority(h.ttls);
    h.row.seq = majority(h.seqs);
    h.row.fingerprints = [...h.fps].sort();
    Object.assign(h.row, ownVoteWeights(h.row));
    hostRows.push(h.row);
  }
  return {
    totals: totals.rows(),
    ports: ports.rows(),
    countries: countries.rows(),
    countryPorts: countryPorts.rows(),
    windows: windows.rows(),
    tags: tags.rows(),
    hosts: hostRows,
  };
}

/** A ledger entry for synthetic aggregates. */
export function ledgerEntryFor(
  sha256: string,
  packets: readonly SynthPacket[],
  path = `/captures/${sha256.slice(0, 8)}.pcap`,
) {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const p of packets) {
    first = Math.min(first, p.ts);
    last = Math.max(last, p.ts);
  }
  return {
    sha256,
    path,
    size: packets.length * 60 + 24,
    status: 'complete' as const,
    format: 'pcap',
    compression: 'none',
    linkTypes: [1],
    packets: packets.length,
    ipPackets: packets.length,
    first: { sec: Math.floor(first / 1000), nsec: (first % 1000) * 1e6 + 123 },
    last: { sec: Math.floor(last / 1000), nsec: (last % 1000) * 1e6 + 456 },
    error: null,
    datasets: [{ name: 'test-geo', version: '1.0.0' }],
    durationMs: 12,
  };
}
