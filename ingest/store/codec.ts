/**
 * What both engines' stores share: the aggregate tables' shapes, row <-> column
 * conversions, sketch merging, the ledger row, and the test crash hook.
 */
import { hostDays } from '../aggregate/host-rows';
import { ownVoteWeights } from '../aggregate/merge-rows';
import { type DailyHostRow, type FileAggregates, SKETCH_ROW_KEYS } from '../aggregate/rows';
import { SourceSketch } from '../aggregate/source-sketch';
import type { LedgerEntry } from './types';

/** The all-sensors rollup sensor. */
export const ROLLUP_SENSOR_ID = 0;
export const ROLLUP_SENSOR_NAME = '*';

/** Lock serialising commits on PostgreSQL (pg_advisory_xact_lock). */
export const PG_COMMIT_LOCK = 72707370;

export type PgType = 'text' | 'int4' | 'int8' | 'bytea' | 'timestamp';

type KeyValue = string | number;

/** An aggregate table keyed by (day, sensor_id, ...keys) with packets + sketch. */
export interface SketchTable {
  name: string;
  keyCols: readonly string[];
  keyTypes: readonly PgType[];
  rows(a: FileAggregates): readonly { day: string; packets: number; sources: SourceSketch }[];
  keys(row: unknown): KeyValue[];
}

function table<R extends { day: string; packets: number; sources: SourceSketch }>(
  name: string,
  keyCols: readonly string[],
  keyTypes: readonly PgType[],
  rows: (a: FileAggregates) => readonly R[],
  keys: (r: R) => KeyValue[],
): SketchTable {
  return { name, keyCols, keyTypes, rows, keys: keys as (r: unknown) => KeyValue[] };
}

export const SKETCH_TABLES: readonly SketchTable[] = [
  table('daily_total', [], [], (a) => a.totals, SKETCH_ROW_KEYS.totals),
  table('daily_port', ['proto', 'port'], ['text', 'int4'], (a) => a.ports, SKETCH_ROW_KEYS.ports),
  table('daily_country', ['country'], ['text'], (a) => a.countries, SKETCH_ROW_KEYS.countries),
  table(
    'daily_country_port',
    ['country', 'proto', 'port'],
    ['text', 'text', 'int4'],
    (a) => a.countryPorts,
    SKETCH_ROW_KEYS.countryPorts,
  ),
  table(
    'daily_window',
    ['country', 'port', 'window'],
    ['text', 'int4', 'int4'],
    (a) => a.windows,
    SKETCH_ROW_KEYS.windows,
  ),
  table(
    'daily_tag',
    ['tag', 'proto', 'port'],
    ['text', 'text', 'int4'],
    (a) => a.tags,
    SKETCH_ROW_KEYS.tags,
  ),
];

/** Map key of a row: sensor, day and the table's key values. */
export function rowKey(sensorId: number, day: string, keys: readonly KeyValue[]): string {
  return `${sensorId}\u0001${day}\u0001${keys.join('\u0001')}`;
}

/** Stored form of a sketch: serialized bytes and the rounded estimate. */
export interface StoredSketch {
  bytes: Buffer;
  sources: number;
}

export function storedSketch(s: SourceSketch): StoredSketch {
  const b = s.serialize();
  const bytes = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return { bytes, sources: Math.round(s.estimate()) };
}

/** Merges an incoming sketch into stored bytes (neither input is modified). */
export function mergeStoredSketch(existing: Uint8Array, incoming: SourceSketch): StoredSketch {
  const merged = SourceSketch.deserialize(existing);
  merged.merge(incoming);
  return storedSketch(merged);
}

/** daily_host columns in order, with their PostgreSQL types. */
export const HOST_COLUMNS: readonly (readonly [string, PgType])[] = [
  ['day', 'text'],
  ['sensor_id', 'int4'],
  ['ip', 'text'],
  ['country', 'text'],
  ['asn', 'int4'],
  ['as_org', 'text'],
  ['packets', 'int8'],
  ['bytes', 'int8'],
  ['ports', 'text'],
  ['distinct_ports', 'int4'],
  ['distinct_dsts', 'int4'],
  ['syn', 'int8'],
  ['syn_ack', 'int8'],
  ['rst', 'int8'],
  ['ack', 'int8'],
  ['other_tcp', 'int8'],
  ['udp', 'int8'],
  ['icmp', 'int8'],
  ['window', 'int4'],
  ['ttl', 'int4'],
  // Unsigned 32-bit TCP sequence number (or -1): does not fit int4.
  ['seq', 'int8'],
  ['fingerprints', 'text'],
  ['scan_packets', 'int8'],
  ['backscatter_packets', 'int8'],
  ['first_seen', 'timestamp'],
  ['last_seen', 'timestamp'],
  ['dst_registers', 'bytea'],
  ['tcp_vote_weight', 'int8'],
  ['ttl_vote_weight', 'int8'],
];

/** A host row as column values (HOST_COLUMNS order); dates via `ts`. */
export function hostValues<T = string>(
  r: DailyHostRow,
  sensorId: number,
  ts: (d: Date) => T,
): (string | number | T | Uint8Array | null)[] {
  return [
    r.day,
    sensorId,
    r.ip,
    r.country,
    // The column is a signed 32-bit integer: AS numbers past 2^31 - 1 (private-use and
    // unallocated 4-byte ranges) never appear in public routing data; stored as unknown.
    r.asn > 0x7fffffff ? 0 : r.asn,
    r.asOrg,
    r.packets,
    r.bytes,
    JSON.stringify(r.ports),
    r.distinctPorts,
    r.distinctDsts,
    r.syn,
    r.synAck,
    r.rst,
    r.ack,
    r.otherTcp,
    r.udp,
    r.icmp,
    r.window,
    r.ttl,
    r.seq,
    JSON.stringify(r.fingerprints),
    r.scanPackets,
    r.backscatterPackets,
    ts(r.firstSeen),
    ts(r.lastSeen),
    r.dstRegisters ?? null,
    r.tcpVoteWeight,
    r.ttlVoteWeight,
  ];
}

function toDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}

/** A stored daily_host record (snake_case columns) back to a DailyHostRow. */
export function hostFromRecord(rec: Record<string, unknown>): DailyHostRow {
  // No inner closures: this runs once per merged host row.
  const row: DailyHostRow = {
    day: String(rec.day),
    ip: String(rec.ip),
    country: String(rec.country),
    asn: Number(rec.asn),
    asOrg: String(rec.as_org),
    packets: Number(rec.packets),
    bytes: Number(rec.bytes),
    ports: JSON.parse(String(rec.ports)) as Record<string, number>,
    distinctPorts: Number(rec.distinct_ports),
    distinctDsts: Number(rec.distinct_dsts),
    syn: Number(rec.syn),
    synAck: Number(rec.syn_ack),
    rst: Number(rec.rst),
    ack: Number(rec.ack),
    otherTcp: Number(rec.other_tcp),
    udp: Number(rec.udp),
    icmp: Number(rec.icmp),
    window: Number(rec.window),
    ttl: Number(rec.ttl),
    seq: Number(rec.seq),
    tcpVoteWeight: Number(rec.tcp_vote_weight),
    ttlVoteWeight: Number(rec.ttl_vote_weight),
    fingerprints: JSON.parse(String(rec.fingerprints)) as string[],
    scanPackets: Number(rec.scan_packets),
    backscatterPackets: Number(rec.backscatter_packets),
    firstSeen: toDate(rec.first_seen),
    lastSeen: toDate(rec.last_seen),
    dstRegisters: rec.dst_registers instanceof Uint8Array ? rec.dst_registers : null,
  };
  // 0 (a row has at least one packet): stored before the weights were kept; such a row
  // votes with its own totals.
  if (row.ttlVoteWeight === 0) Object.assign(row, ownVoteWeights(row));
  return row;
}

/** ingested_file columns (besides id) and their PostgreSQL types. */
export const LEDGER_COLUMNS: readonly (readonly [string, PgType])[] = [
  ['sha256', 'text'],
  ['content_sha256', 'text'],
  ['path', 'text'],
  ['size', 'int8'],
  ['sensor_id', 'int4'],
  ['status', 'text'],
  ['format', 'text'],
  ['compression', 'text'],
  ['link_types', 'text'],
  ['packets', 'int8'],
  ['ip_packets', 'int8'],
  ['outside_packets', 'int8'],
  ['first_ts', 'timestamp'],
  ['last_ts', 'timestamp'],
  ['first_ns', 'text'],
  ['last_ns', 'text'],
  ['days', 'text'],
  ['error_message', 'text'],
  ['error_record', 'int8'],
  ['error_offset', 'int8'],
  ['datasets', 'text'],
  ['ingested_at', 'timestamp'],
  ['duration_ms', 'int4'],
];

function instantDate(t: LedgerEntry['first']): Date | null {
  return t ? new Date(t.sec * 1000 + Math.floor(t.nsec / 1e6)) : null;
}

function instantNs(t: LedgerEntry['first']): string | null {
  return t
    ? (BigInt(Math.trunc(t.sec)) * 1_000_000_000n + BigInt(Math.trunc(t.nsec))).toString()
    : null;
}

/** The UTC days a file contributes to, sorted. */
export function daysOf(a: FileAggregates): string[] {
  const days = new Set<string>();
  for (const t of SKETCH_TABLES) for (const r of t.rows(a)) days.add(r.day);
  for (const day of hostDays(a.hosts)) days.add(day);
  return [...days].sort();
}

/** A ledger entry as column values (LEDGER_COLUMNS order); dates via `ts`. */
export function ledgerValues(
  e: LedgerEntry,
  sensorId: number,
  /** The days of the rows committed with the file; the entry's own `days` win. */
  days: readonly string[],
  ts: (d: Date) => string,
): (string | number | null)[] {
  const first = instantDate(e.first);
  const last = instantDate(e.last);
  return [
    e.sha256,
    e.contentSha256 ?? null,
    e.path,
    e.size,
    sensorId,
    e.status,
    e.format,
    e.compression,
    e.linkTypes.join(','),
    e.packets,
    e.ipPackets,
    e.outsidePackets ?? 0,
    first ? ts(first) : null,
    last ? ts(last) : null,
    instantNs(e.first),
    instantNs(e.last),
    (e.days ?? days).join(','),
    e.error?.message ?? null,
    e.error?.record ?? null,
    e.error?.offset ?? null,
    JSON.stringify(e.datasets ?? {}),
    ts(new Date()),
    Math.round(e.durationMs),
  ];
}

/** A stored ingested_file record to a LedgerRow. */
export function ledgerFromRecord(rec: Record<string, unknown>): import('./types').LedgerRow {
  const num = (k: string) => (rec[k] === null || rec[k] === undefined ? null : Number(rec[k]));
  const date = (k: string) => {
    const v = rec[k];
    if (v === null || v === undefined) return null;
    return v instanceof Date ? v : new Date(String(v));
  };
  const str = (k: string) => (rec[k] === null || rec[k] === undefined ? null : String(rec[k]));
  return {
    id: Number(rec.id),
    sha256: String(rec.sha256),
    path: String(rec.path),
    size: Number(rec.size),
    sensorId: Number(rec.sensor_id),
    status: String(rec.status),
    format: String(rec.format),
    compression: String(rec.compression),
    linkTypes: String(rec.link_types),
    packets: Number(rec.packets),
    ipPackets: Number(rec.ip_packets),
    outsidePackets: Number(rec.outside_packets ?? 0),
    firstTs: date('first_ts'),
    lastTs: date('last_ts'),
    firstNs: str('first_ns'),
    lastNs: str('last_ns'),
    days: String(rec.days ?? '')
      .split(',')
      .filter(Boolean),
    errorMessage: str('error_message'),
    errorRecord: num('error_record'),
    errorOffset: num('error_offset'),
    datasets: String(rec.datasets),
    ingestedAt: date('ingested_at') ?? new Date(0),
    durationMs: Number(rec.duration_ms),
  };
}

/**
 * Test hook: SCANLINE_TEST_CRASH_AFTER_ROWS=N kills this process (SIGKILL, no cleanup)
 * once N rows have been written inside a commit's transaction, before it commits.
 */
export class CrashHook {
  private readonly limit: number;
  private written = 0;

  constructor(env: Record<string, string | undefined> = process.env) {
    const v = Number(env.SCANLINE_TEST_CRASH_AFTER_ROWS);
    this.limit = Number.isFinite(v) && v > 0 ? v : 0;
  }

  /** Call after writing `n` rows inside a transaction. */
  wrote(n: number): void {
    if (this.limit === 0) return;
    this.written += n;
    if (this.written >= this.limit) process.kill(process.pid, 'SIGKILL');
  }
}

/** SCANLINE_STORE_TIMING=1: prints where a commit's time went (stderr). */
export class PhaseTimer {
  private readonly on = Boolean(process.env.SCANLINE_STORE_TIMING);
  private last = performance.now();
  private readonly parts: string[] = [];

  mark(label: string): void {
    if (!this.on) return;
    const now = performance.now();
    const rssMb = Math.round(process.memoryUsage.rss() / 2 ** 20);
    this.parts.push(`${label} ${((now - this.last) / 1000).toFixed(2)}s ${rssMb}MB`);
    this.last = now;
  }

  print(prefix: string): void {
    if (this.on) process.stderr.write(`${prefix}: ${this.parts.join(', ')}\n`);
  }
}
