import type { Engine } from '../../lib/db/url';
import type { FileAggregates } from '../aggregate/rows';

/** A capture timestamp with full precision. */
export interface CaptureInstant {
  sec: number;
  nsec: number;
}

/** What the ingest knows about one input file when it commits it. */
export interface LedgerEntry {
  /** SHA-256 hex of the file's bytes: the ledger's identity. */
  sha256: string;
  /**
   * SHA-256 hex of the capture after decompression (the file's bytes when uncompressed):
   * a file whose content is already in the ledger is a duplicate too, so the same
   * capture plain and gzipped counts once. Null or absent when unknown.
   */
  contentSha256?: string | null;
  path: string;
  size: number;
  /** 'partial': damaged or truncated, the packets before the damage were counted. */
  status: 'complete' | 'partial';
  /** 'pcap' | 'pcapng' | 'unknown' */
  format: string;
  /** 'none' | 'gzip' */
  compression: string;
  linkTypes: readonly (number | string)[];
  packets: number;
  ipPackets: number;
  /**
   * IP packets left out: their destination is outside the sensor's prefixes (0 when the
   * sensor has none). Absent: 0.
   */
  outsidePackets?: number;
  first: CaptureInstant | null;
  last: CaptureInstant | null;
  error: { message: string; record?: number | null; offset?: number | null } | null;
  /** Enrichment datasets and versions used (stored as JSON text). */
  datasets: unknown;
  durationMs: number;
  /**
   * The UTC days the file contributed to, when its rows were merged with other files'
   * before the commit (Store.commitMerged). Absent: the days of the rows committed with it.
   */
  days?: readonly string[];
  /**
   * The id of the latest ledger row of this path when the file was read (null: none),
   * which decided what of it was counted already (a grown file). A commit finds the
   * entry 'stale' when another process has added a row of this path since: nothing of it
   * is written, and the caller reads the file again. Absent: not checked (a stream).
   */
  basedOn?: number | null;
}

/** A ledger row as stored. */
export interface LedgerRow {
  id: number;
  sha256: string;
  path: string;
  size: number;
  sensorId: number;
  status: string;
  format: string;
  compression: string;
  linkTypes: string;
  packets: number;
  ipPackets: number;
  outsidePackets: number;
  firstTs: Date | null;
  lastTs: Date | null;
  /** Full precision, decimal nanoseconds since the epoch. */
  firstNs: string | null;
  lastNs: string | null;
  /** UTC days the file contributed to. */
  days: string[];
  errorMessage: string | null;
  errorRecord: number | null;
  errorOffset: number | null;
  /** JSON text. */
  datasets: string;
  ingestedAt: Date;
  durationMs: number;
}

/**
 * 'duplicate': the file's bytes or capture are in the ledger already (nothing written).
 * 'stale': read before another process added a ledger row of its path
 * (LedgerEntry.basedOn), so what it counts may overlap that row's; nothing written, and
 * the caller reads it again.
 */
export type CommitResult = 'stored' | 'duplicate' | 'stale';

/** An entry a merged commit refused (Store.commitMerged), by its index. */
export interface MergedRefusal {
  at: number;
  why: Exclude<CommitResult, 'stored'>;
}

export interface CommitItem {
  entry: LedgerEntry;
  sensorId: number;
  aggregates: FileAggregates;
}

export interface Store {
  readonly engine: Engine;
  /** The id of the sensor `name`, created if new; `prefixes` (comma-separated CIDRs) updates it. */
  ensureSensor(name: string, prefixes?: string): Promise<number>;
  /** A sensor's monitored prefixes as stored (comma-separated CIDR blocks, '' for none). */
  sensorPrefixes(sensorId: number): Promise<string>;
  /** The ledger row of a file content, or null if it was never committed. */
  hasFile(sha256: string): Promise<LedgerRow | null>;
  /** The latest ledger row for a path (and size, if given), or null. A hint only: content decides. */
  findFileByPath(path: string, size?: number): Promise<LedgerRow | null>;
  /**
   * Commits one file in one transaction: adds its aggregates to its sensor's rows and to
   * the all-sensors rollup (sensor 0), merges host rows, and records the ledger row.
   * A file already in the ledger (same sha256) changes nothing: 'duplicate' (or
   * 'stale', see LedgerEntry.basedOn).
   */
  commitFile(
    entry: LedgerEntry,
    sensorId: number,
    aggregates: FileAggregates,
  ): Promise<CommitResult>;
  /**
   * Commits several files in one transaction, in order, each as commitFile would (a file
   * whose content is already in the ledger, or earlier in the same call, is 'duplicate').
   * All or none: each file is still never half-counted. Small files share the cost of a
   * commit (the index pages they touch are written once, not once per file).
   */
  commitFiles(items: readonly CommitItem[]): Promise<CommitResult[]>;
  /**
   * Commits files whose aggregates were merged in memory before the commit (files of one
   * sensor, their rows merged by key, so rows of a day they share are written once, not
   * merged into the stored row file after file): the rows once and a ledger row per file
   * (each with its own `days`), in one transaction. If any file's content is already in
   * the ledger or repeats within `entries` ('duplicate'), or any file is 'stale', nothing
   * is written and those files come back: the caller re-reads the others (their rows
   * cannot be told apart). An empty array: all stored.
   */
  commitMerged(
    entries: readonly LedgerEntry[],
    sensorId: number,
    aggregates: FileAggregates,
  ): Promise<MergedRefusal[]>;
  /**
   * Opens one transaction for one file whose aggregates are written in parts (a file too
   * big to hold in memory whole): each write() adds a part as commitFile would, and
   * commit() records the ledger row, so the file is still all or nothing. The
   * transaction holds the commit lock from here on (other commits wait), and the store
   * takes no other commit until it ends. `days` are the UTC days known so far (PostgreSQL
   * creates their host partitions before the lock).
   */
  beginFile(sensorId: number, days: readonly string[]): Promise<FileTransaction>;
  close(): Promise<void>;
}

/** See Store.beginFile. */
export interface FileTransaction {
  /** Adds a part of the file's aggregates (rows of a key may repeat across parts). */
  write(aggregates: FileAggregates): Promise<void>;
  /** Records the ledger row and commits; rolled back when 'duplicate' or 'stale' (see CommitResult). */
  commit(entry: LedgerEntry): Promise<CommitResult>;
  /** Undoes every part. */
  rollback(): Promise<void>;
}

export interface StoreOptions {
  /** SQLite: how long a commit waits for another process's commit (ms). Default 3600000 (an hour). */
  busyTimeoutMs?: number;
  /** SQLite: the writer's page cache in bytes (default 384 MB; RSS grows to it on big files). */
  cacheBytes?: number;
  /**
   * SQLite: from this many rows in one write to (day, sensor) pairs with no rows yet, the
   * rows their insert triggers would derive (monthly rollups, daily_host_port) are written
   * by one grouped statement per pair, the triggers set aside meanwhile (default
   * BULK_DERIVED_MIN, sqlite-trigger-aside.ts; tests set 0 or Infinity to take one path
   * or the other).
   */
  bulkDerivedMin?: number;
  /**
   * Open a database that lacks some of this version's migrations (refused by default,
   * naming them): for tests of a migration on data written before it.
   */
  allowPendingMigrations?: boolean;
}
