/**
 * The SQLite store: better-sqlite3 prepared statements inside one BEGIN IMMEDIATE
 * transaction per file (or per group of small files, see Store.commitFiles). IMMEDIATE takes the write lock up front, so two processes
 * committing at once serialise (the second waits up to busy_timeout) and a sketch's
 * read-merge-write never races. Aggregate rows go in as 64-row UPSERTs whose conflict
 * clause merges sketches through SQL functions (sqlite-sketch-functions.ts); host rows
 * of new days as 64-row INSERTs, of days with rows already read, merged in JS, updated.
 */
import { existsSync } from 'node:fs';
import type { Statement } from 'better-sqlite3';
import { openSqlite, type SqliteDatabase, sqliteTimestamp } from '../../lib/db/raw';
import { sqlitePath } from '../../lib/db/url';
import { mergeHostRows } from '../aggregate/merge-rows';
import type { DailyHostRow, FileAggregates } from '../aggregate/rows';
import type { SourceSketch } from '../aggregate/source-sketch';
import {
  CrashHook,
  daysOf,
  HOST_COLUMNS,
  hostFromRecord,
  hostValues,
  LEDGER_COLUMNS,
  ledgerFromRecord,
  ledgerValues,
  PhaseTimer,
  ROLLUP_SENSOR_ID,
  ROLLUP_SENSOR_NAME,
  SKETCH_TABLES,
  type SketchTable,
  type StoredSketch,
  storedSketch,
} from './codec';
import { dayGroupsInKeyOrder, hostRowsInKeyOrder } from './key-order';
import { ledgerVerdict, mergedRefusals } from './merged-refusals';
import { BulkInsert } from './sqlite-bulk';
import { HOST_PORTS } from './sqlite-host-ports';
import { MONTHLY_ROLLUPS } from './sqlite-monthly-rollups';
import { PORT_WINDOW_SUMS } from './sqlite-port-window-sums';
import { registerSketchFunctions } from './sqlite-sketch-functions';
import { BULK_DERIVED_MIN, type DerivedRows, TriggerAside } from './sqlite-trigger-aside';
import type {
  CommitItem,
  CommitResult,
  FileTransaction,
  LedgerEntry,
  LedgerRow,
  MergedRefusal,
  Store,
  StoreOptions,
} from './types';

interface SketchStatements {
  spec: SketchTable;
  cols: string[];
  /** ON CONFLICT clause that merges a row into the stored one (packets add, sketches merge). */
  upsert: string;
  /** Any row of (day, sensor_id): a seek on the primary key's prefix. */
  any: Statement;
  /** Copies a sensor's rows of a day into the rollup (parameters: day, sensor id). */
  copyToRollup: Statement;
}

type SketchRow = { day: string; packets: number; sources: SourceSketch };

/** Tables derived from a sketch table by an insert trigger that a bulk write sets aside. */
const DERIVED_BY_TABLE: Readonly<Record<string, DerivedRows>> = {
  ...MONTHLY_ROLLUPS,
  daily_window: PORT_WINDOW_SUMS,
};

/** The writer's page cache unless StoreOptions.cacheBytes says otherwise. */
export const DEFAULT_CACHE_BYTES = 384 * 2 ** 20;

const HOST_NAMES = HOST_COLUMNS.map(([c]) => c);
/** Columns before this index are the key and the geo fields (country, asn, as_org). */
const GEO_END = HOST_NAMES.indexOf('as_org') + 1;

const q = (c: string) => `"${c}"`;

function sketchStatements(db: SqliteDatabase, spec: SketchTable): SketchStatements {
  const keyCols = ['day', 'sensor_id', ...spec.keyCols];
  const cols = [...keyCols, 'packets', 'sources', 'sketch'];
  return {
    spec,
    cols,
    upsert: `ON CONFLICT (${keyCols.map(q).join(', ')}) DO UPDATE SET
       packets = packets + excluded.packets,
       sketch = scanline_sketch_merge(sketch, excluded.sketch),
       sources = scanline_sketch_sources(sketch, excluded.sketch)`,
    any: db.prepare(`SELECT 1 FROM ${spec.name} WHERE "day" = ? AND "sensor_id" = ? LIMIT 1`),
    copyToRollup: db.prepare(
      `INSERT INTO ${spec.name} (${cols.map(q).join(', ')})
       SELECT ${cols.map((c) => (c === 'sensor_id' ? ROLLUP_SENSOR_ID : q(c))).join(', ')}
       FROM ${spec.name} WHERE "day" = ? AND "sensor_id" = ?`,
    ),
  };
}

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private readonly db: SqliteDatabase;
  private readonly sketch: SketchStatements[];
  private readonly hostInsert: Statement;
  private readonly hostSelect: Statement;
  private readonly hostUpdate: Statement;
  private readonly hostUpdateCounters: Statement;
  private readonly hostAny: Statement;
  private readonly ledgerInsert: Statement;
  private readonly ledgerBySha: Statement;
  private readonly ledgerByPath: Statement;
  private readonly ledgerByPathSize: Statement;
  private readonly bulkDerivedMin: number;
  /** A beginFile transaction is open. */
  private openFile = false;
  private tempMode: 'MEMORY' | 'DEFAULT' = 'DEFAULT';

  constructor(url: string, opts: StoreOptions = {}) {
    const file = sqlitePath(url);
    if (file !== ':memory:' && !existsSync(file)) {
      throw new Error(
        `The database ${url} does not exist: create it with the migrations first (npm run db:migrate)`,
      );
    }
    // An hour: a file written in parts holds the write lock while it is read (minutes for
    // tens of millions of packets); PostgreSQL's advisory lock waits without a limit.
    this.db = openSqlite(url, { busyTimeoutMs: opts.busyTimeoutMs ?? 3_600_000 });
    // A big page cache for the writer (used as a file's rows need it): index inserts are
    // random, and pages spilled to the WAL mid-transaction are re-read through it
    // (2M-packet file: 31 s of writing with 128 MB, 24 s with 384 MB).
    const cacheKiB = Math.max(1024, Math.round((opts.cacheBytes ?? DEFAULT_CACHE_BYTES) / 1024));
    this.db.pragma(`cache_size = -${cacheKiB}`);
    this.bulkDerivedMin = opts.bulkDerivedMin ?? BULK_DERIVED_MIN;
    const exists = this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'daily_host'")
      .get();
    if (!exists) {
      this.db.close();
      throw new Error(
        `The database ${url} has no Scanline tables: run the migrations first (npm run db:migrate)`,
      );
    }
    registerSketchFunctions(this.db);
    this.sketch = SKETCH_TABLES.map((t) => sketchStatements(this.db, t));
    const hostCols = HOST_COLUMNS.map(([c]) => c);
    const hostKey = '"day" = ? AND "sensor_id" = ? AND "ip" = ?';
    this.hostInsert = this.db.prepare(
      `INSERT INTO daily_host (${hostCols.map(q).join(', ')}) VALUES (${hostCols.map(() => '?').join(', ')})
       ON CONFLICT DO NOTHING`,
    );
    this.hostSelect = this.db
      .prepare(`SELECT ${hostCols.map(q).join(', ')} FROM daily_host WHERE ${hostKey}`)
      .raw();
    this.hostAny = this.db.prepare(
      'SELECT 1 FROM daily_host WHERE "day" = ? AND "sensor_id" = ? LIMIT 1',
    );
    const set = (cols: string[]) => cols.map((c) => `${q(c)} = ?`).join(', ');
    this.hostUpdate = this.db.prepare(
      `UPDATE daily_host SET ${set(hostCols.slice(3))} WHERE ${hostKey}`,
    );
    this.hostUpdateCounters = this.db.prepare(
      `UPDATE daily_host SET ${set(hostCols.slice(GEO_END))} WHERE ${hostKey}`,
    );
    const ledgerCols = LEDGER_COLUMNS.map(([c]) => c);
    this.ledgerInsert = this.db.prepare(
      `INSERT INTO ingested_file (${ledgerCols.map(q).join(', ')}) VALUES (${ledgerCols.map(() => '?').join(', ')})`,
    );
    // The same bytes, or the same capture uncompressed / compressed (content_sha256).
    this.ledgerBySha = this.db.prepare(
      'SELECT * FROM ingested_file WHERE sha256 = ? OR content_sha256 = ? LIMIT 1',
    );
    this.ledgerByPath = this.db.prepare(
      'SELECT * FROM ingested_file WHERE path = ? ORDER BY id DESC LIMIT 1',
    );
    this.ledgerByPathSize = this.db.prepare(
      'SELECT * FROM ingested_file WHERE path = ? AND size = ? ORDER BY id DESC LIMIT 1',
    );
  }

  async ensureSensor(name: string, prefixes?: string): Promise<number> {
    if (name === ROLLUP_SENSOR_NAME)
      throw new Error(`'${name}' is reserved for the all-sensors rollup`);
    const tx = this.db.transaction(() => {
      const row = this.db.prepare('SELECT id, prefixes FROM sensor WHERE name = ?').get(name) as
        | { id: number; prefixes: string }
        | undefined;
      if (row) {
        if (prefixes !== undefined && prefixes !== row.prefixes) {
          this.db.prepare('UPDATE sensor SET prefixes = ? WHERE id = ?').run(prefixes, row.id);
        }
        return row.id;
      }
      const info = this.db
        .prepare('INSERT INTO sensor (name, prefixes, created_at) VALUES (?, ?, ?)')
        .run(name, prefixes ?? '', sqliteTimestamp(new Date()));
      return Number(info.lastInsertRowid);
    });
    return tx.immediate();
  }

  async sensorPrefixes(sensorId: number): Promise<string> {
    const row = this.db.prepare('SELECT prefixes FROM sensor WHERE id = ?').get(sensorId) as
      | { prefixes: string }
      | undefined;
    return row?.prefixes ?? '';
  }

  async hasFile(sha256: string): Promise<LedgerRow | null> {
    const rec = this.ledgerBySha.get(sha256, sha256) as Record<string, unknown> | undefined;
    return rec ? ledgerFromRecord(rec) : null;
  }

  async findFileByPath(path: string, size?: number): Promise<LedgerRow | null> {
    const rec = (
      size === undefined ? this.ledgerByPath.get(path) : this.ledgerByPathSize.get(path, size)
    ) as Record<string, unknown> | undefined;
    return rec ? ledgerFromRecord(rec) : null;
  }

  async commitFile(
    entry: LedgerEntry,
    sensorId: number,
    aggregates: FileAggregates,
  ): Promise<CommitResult> {
    const [result] = await this.commitFiles([{ entry, sensorId, aggregates }]);
    return result!;
  }

  async commitFiles(items: readonly CommitItem[]): Promise<CommitResult[]> {
    for (const { sensorId } of items) {
      if (sensorId === ROLLUP_SENSOR_ID) throw new Error('commitFile: sensor 0 is the rollup');
    }
    return this.commitTransaction(`${items.length} file(s)`, items[0]?.entry, (crash, timer) =>
      items.map((item) => this.writeFile(item, crash, timer)),
    );
  }

  async commitMerged(
    entries: readonly LedgerEntry[],
    sensorId: number,
    aggregates: FileAggregates,
  ): Promise<MergedRefusal[]> {
    if (sensorId === ROLLUP_SENSOR_ID) throw new Error('commitMerged: sensor 0 is the rollup');
    return this.commitTransaction(
      `${entries.length} merged file(s)`,
      entries[0],
      (crash, timer) => {
        const refused = mergedRefusals(entries, (e) => this.ledgerVerdict(e));
        if (refused.length > 0) return refused;
        const days = this.writeRows(aggregates, sensorId, crash, timer);
        for (const entry of entries)
          this.ledgerInsert.run(ledgerValues(entry, sensorId, days, sqliteTimestamp));
        return [];
      },
    );
  }

  /** Runs `write` in one IMMEDIATE transaction (commitFiles, commitMerged), its phases timed. */
  private commitTransaction<T>(
    what: string,
    first: LedgerEntry | undefined,
    write: (crash: CrashHook, timer: PhaseTimer) => T,
  ): T {
    this.assertNoOpenFile();
    // Statement journals (each multi-row statement's undo pages, SQLite temp files that
    // spill past 64 KiB) in memory: they were 1.7M temp-file writes for a month of the
    // demo's small files. A batch fits the memory budget, so its statements are bounded.
    this.tempStore('MEMORY');
    const crash = new CrashHook();
    const timer = new PhaseTimer();
    const result = this.db.transaction(() => write(crash, timer)).immediate();
    timer.mark('commit');
    timer.print(`sqlite store ${what} ${first?.sha256.slice(0, 12) ?? ''}`);
    return result;
  }

  async beginFile(sensorId: number, _days: readonly string[]): Promise<FileTransaction> {
    if (sensorId === ROLLUP_SENSOR_ID) throw new Error('beginFile: sensor 0 is the rollup');
    this.assertNoOpenFile();
    // A file written in parts has statements over millions of rows: their journals and
    // sorts stay in temp files (in memory, big.pcap peaked 240 MB higher).
    this.tempStore('DEFAULT');
    // BEGIN IMMEDIATE: the write lock now (waiting up to busy_timeout), as commitFiles.
    this.db.exec('BEGIN IMMEDIATE');
    const crash = new CrashHook();
    const timer = new PhaseTimer();
    const days = new Set<string>();
    let open = true;
    const end = (sql: 'COMMIT' | 'ROLLBACK') => {
      if (!open) throw new Error('beginFile: the transaction is already over');
      open = false;
      this.openFile = false;
      if (this.db.inTransaction) this.db.exec(sql);
    };
    this.openFile = true;
    return {
      write: async (aggregates) => {
        if (!open) throw new Error('beginFile: the transaction is already over');
        try {
          for (const day of this.writeRows(aggregates, sensorId, crash, timer)) days.add(day);
        } catch (e) {
          end('ROLLBACK');
          throw e;
        }
      },
      commit: async (entry) => {
        const verdict = this.ledgerVerdict(entry);
        if (verdict !== null) {
          end('ROLLBACK');
          return verdict;
        }
        try {
          this.ledgerInsert.run(ledgerValues(entry, sensorId, [...days].sort(), sqliteTimestamp));
        } catch (e) {
          end('ROLLBACK');
          throw e;
        }
        end('COMMIT');
        timer.mark('commit');
        timer.print(`sqlite store 1 file in parts ${entry.sha256.slice(0, 12)}`);
        return 'stored';
      },
      rollback: async () => {
        if (open) end('ROLLBACK');
      },
    };
  }

  /** See ledgerVerdict (inside the caller's transaction). */
  private ledgerVerdict(entry: LedgerEntry): MergedRefusal['why'] | null {
    const known = this.ledgerBySha.get(entry.sha256, entry.contentSha256 ?? null) !== undefined;
    return ledgerVerdict(entry, known, () => {
      const latest = this.ledgerByPath.get(entry.path) as { id: number | bigint } | undefined;
      return latest === undefined ? null : Number(latest.id);
    });
  }

  /** temp_store for the next transaction (it cannot change inside one). */
  private tempStore(mode: 'MEMORY' | 'DEFAULT'): void {
    if (this.tempMode !== mode) this.db.pragma(`temp_store = ${mode}`);
    this.tempMode = mode;
  }

  private assertNoOpenFile(): void {
    if (this.openFile)
      throw new Error('a file transaction (beginFile) is still open on this store');
  }

  /** Writes one file's rows and ledger row (inside the caller's transaction). */
  private writeFile(
    { entry, sensorId, aggregates }: CommitItem,
    crash: CrashHook,
    timer: PhaseTimer,
  ): CommitResult {
    const verdict = this.ledgerVerdict(entry);
    if (verdict !== null) return verdict;
    const days = this.writeRows(aggregates, sensorId, crash, timer);
    this.ledgerInsert.run(ledgerValues(entry, sensorId, days, sqliteTimestamp));
    return 'stored';
  }

  /** Adds aggregates to the sensor's rows and the rollup; returns their days. */
  private writeRows(
    aggregates: FileAggregates,
    sensorId: number,
    crash: CrashHook,
    timer: PhaseTimer,
  ): string[] {
    const days = daysOf(aggregates);
    for (const st of this.sketch) {
      // Multi-row statements of 64 rows, in key order (key-order.ts). (day, sensor)
      // pairs with no rows yet take plain INSERTs; the others (another file of that
      // day, or the rollup of another sensor) UPSERTs that add the packets and merge
      // the sketches inside SQLite through the registered sketch functions. An UPSERT
      // costs 2-7x an INSERT even without a conflict. A conflict on the plain path (not
      // expected) undoes that one statement and its rows take the UPSERT path, after
      // the new pairs' monthly rollups are filled (so that they count once).
      const upsert = new BulkInsert<unknown[]>(this.db, st.spec.name, st.cols, {
        onConflict: st.upsert,
        wrote: (n) => crash.wrote(n),
      });
      const conflicted: unknown[][] = [];
      const insert = new BulkInsert<unknown[]>(this.db, st.spec.name, st.cols, {
        oneByOne: (values) => conflicted.push(values),
        wrote: (n) => crash.wrote(n),
      });
      const groups = dayGroupsInKeyOrder(st.spec.rows(aggregates) as readonly SketchRow[], (r) =>
        st.spec.keys(r),
      );
      const fresh: { day: string; sid: number; rows: (typeof groups)[number]['rows'] }[] = [];
      const stored: typeof fresh = [];
      // Days new to both the sensor and the rollup: the rollup's rows are the sensor's,
      // copied inside SQLite once those are in (no second pass through JS and binding).
      const copied: { day: string; rows: number }[] = [];
      for (const { day, rows } of groups) {
        const sensorFresh = st.any.get(day, sensorId) === undefined;
        const rollupFresh = st.any.get(day, ROLLUP_SENSOR_ID) === undefined;
        (sensorFresh ? fresh : stored).push({ day, sid: sensorId, rows });
        if (sensorFresh && rollupFresh) copied.push({ day, rows: rows.length });
        else (rollupFresh ? fresh : stored).push({ day, sid: ROLLUP_SENSOR_ID, rows });
      }
      const copiedDays = new Set(copied.map((c) => c.day));
      const freshRows =
        fresh.reduce((n, p) => n + p.rows.length, 0) + copied.reduce((n, c) => n + c.rows, 0);
      // Many rows on new pairs: their monthly rollup (or port window sums) by one grouped
      // statement per pair.
      const derived = DERIVED_BY_TABLE[st.spec.name];
      const rollup =
        derived && freshRows >= this.bulkDerivedMin ? TriggerAside.begin(this.db, derived) : null;
      // A day's serialised sketches serve both its pairs (sensor and rollup), then go;
      // a copied day's rollup pair is not written from here.
      const sketches = new Map<(typeof groups)[number]['rows'], StoredSketch[]>();
      const add = (bulk: BulkInsert<unknown[]>, { day, sid, rows }: (typeof fresh)[number]) => {
        let bytes = sketches.get(rows);
        if (bytes === undefined && !copiedDays.has(day)) {
          bytes = rows.map(({ row }) => storedSketch(row.sources));
          sketches.set(rows, bytes);
        } else sketches.delete(rows);
        rows.forEach(({ row, keys }, i) => {
          // Serialised as it goes when no second pair needs it: a day's worth of
          // sketches held at once outlived the young generation (heap growth).
          const incoming = bytes?.[i] ?? storedSketch(row.sources);
          const values = [day, sid, ...keys, row.packets, incoming.sources, incoming.bytes];
          bulk.add(values, values);
        });
        bulk.flush();
      };
      for (const pair of fresh) add(insert, pair);
      for (const { day } of copied) crash.wrote(st.copyToRollup.run(day, sensorId).changes);
      // A sensor row that took the UPSERT path was not there to copy: the rollup's follows it.
      for (const values of [...conflicted]) {
        if (values[1] === sensorId && copiedDays.has(values[0] as string)) {
          conflicted.push([values[0], ROLLUP_SENSOR_ID, ...values.slice(2)]);
        }
      }
      rollup?.finish([
        ...fresh.map(({ day, sid }) => [day, sid] as const),
        ...copied.map(({ day }) => [day, ROLLUP_SENSOR_ID] as const),
      ]);
      for (const pair of stored) add(upsert, pair);
      for (const values of conflicted) upsert.add(values, values);
      upsert.flush();
      timer.mark(st.spec.name);
    }
    const hostDays = new Set(days.filter((day) => this.hostAny.get(day, sensorId)));
    // Many host rows on a new day: their daily_host_port rows go in sorted, not through the trigger.
    const newDays = days.filter((day) => !hostDays.has(day));
    const ports =
      newDays.length > 0 && aggregates.hosts.length >= this.bulkDerivedMin
        ? TriggerAside.begin(this.db, HOST_PORTS)
        : null;
    const hostOneByOne = (host: DailyHostRow, readFirst: boolean): void => {
      this.writeHostRow(host, sensorId, readFirst);
      crash.wrote(1);
    };
    // Days with host rows already: read first; other days: bulk INSERT.
    const hostBulk = new BulkInsert<DailyHostRow>(this.db, 'daily_host', HOST_NAMES, {
      oneByOne: (host) => hostOneByOne(host, false),
      wrote: (n) => crash.wrote(n),
    });
    for (const host of hostRowsInKeyOrder(aggregates.hosts)) {
      if (hostDays.has(host.day)) hostOneByOne(host, true);
      else hostBulk.add(hostValues(host, sensorId, sqliteTimestamp), host);
    }
    hostBulk.flush();
    timer.mark('hosts');
    if (ports) {
      crash.wrote(ports.finish(newDays.map((day) => [day, sensorId] as const)));
      timer.mark('host ports');
    }
    return days;
  }

  /** Inserts or merges one host row (read first when its day already has rows). */
  private writeHostRow(host: DailyHostRow, sensorId: number, readFirst: boolean): void {
    let old: unknown[] | undefined;
    if (readFirst) old = this.hostSelect.get(host.day, sensorId, host.ip) as unknown[];
    if (!old) {
      const values = hostValues(host, sensorId, sqliteTimestamp);
      if (this.hostInsert.run(values).changes === 0) {
        old = this.hostSelect.get(host.day, sensorId, host.ip) as unknown[];
      }
    }
    if (!old) return;
    const before = hostFromRecord(Object.fromEntries(HOST_NAMES.map((c, i) => [c, old[i]])));
    const merged = mergeHostRows(before, host);
    const values = hostValues(merged, sensorId, sqliteTimestamp);
    const sameGeo =
      merged.country === before.country &&
      merged.asn === before.asn &&
      merged.asOrg === before.asOrg;
    // Leaving country/asn out of the SET spares their index entries.
    if (sameGeo) this.hostUpdateCounters.run(...values.slice(GEO_END), host.day, sensorId, host.ip);
    else this.hostUpdate.run(...values.slice(3), host.day, sensorId, host.ip);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
