/**
 * The PostgreSQL store: one transaction per file (or per group of small files, see
 * Store.commitFiles) on one connection, serialised with
 * other committers by pg_advisory_xact_lock (so a sketch's read-merge-write never
 * races). Rows travel by binary COPY (array parameters cost several times more at a
 * million rows). For each table:
 * - no rows yet for the file's days and sensors (the first file of a day): COPY straight
 *   into the table;
 * - otherwise, per chunk: COPY the chunk's keys into a temp table, fetch only the rows
 *   that already exist (a join), merge them in JS (sketches, host fields), COPY the
 *   merged rows into a temp table and apply them with one UPDATE ... FROM, and COPY the
 *   new rows straight into the table.
 * Keys repeated within a file are merged as well. The aggregate tables have fillfactor
 * 70 (a PostgreSQL-only migration) so that merge updates are HOT.
 */
import type pg from 'pg';
import { openPgPool, pgTimestamp } from '../../lib/db/raw';
import type { HostRowList } from '../aggregate/host-rows';
import { mergeHostRows } from '../aggregate/merge-rows';
import type { DailyHostRow, FileAggregates } from '../aggregate/rows';
import { SourceSketch } from '../aggregate/source-sketch';
import {
  CrashHook,
  daysOf,
  HOST_COLUMNS,
  hostFromRecord,
  hostValues,
  LEDGER_COLUMNS,
  ledgerFromRecord,
  ledgerValues,
  PG_COMMIT_LOCK,
  type PgType,
  PhaseTimer,
  ROLLUP_SENSOR_ID,
  ROLLUP_SENSOR_NAME,
  rowKey,
  SKETCH_TABLES,
  type SketchTable,
  type StoredSketch,
  storedSketch,
} from './codec';
import { ledgerVerdict, mergedRefusals } from './merged-refusals';
import { copyRows } from './pg-copy';
import { ensureHostPartitions } from './pg-partitions';
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

/** Rows per merge round (keys copied, existing rows fetched and merged). */
const MERGE_CHUNK = 100_000;

const q = (c: string) => `"${c}"`;
const SQL_TYPE: Record<PgType, string> = {
  text: 'text',
  int4: 'integer',
  int8: 'bigint',
  bytea: 'bytea',
  timestamp: 'timestamp(3)',
};

interface TableSql {
  table: string;
  /** Temp tables: full rows, and keys only. */
  tmp: string;
  keys: string;
  create: string;
  cols: readonly (readonly [string, PgType])[];
  keyCols: readonly (readonly [string, PgType])[];
  any: string;
  update: string;
  fetch: string;
}

function tableSql(
  table: string,
  keyCols: readonly (readonly [string, PgType])[],
  cols: readonly (readonly [string, PgType])[],
  fetchKeyCols: readonly string[],
  fetchWhere: string,
  fetchSelect: string,
): TableSql {
  const tmp = `scanline_tmp_${table}`;
  const keys = `scanline_keys_${table}`;
  const keyNames = keyCols.map(([c]) => c);
  const valueCols = cols.map(([c]) => c).filter((c) => !keyNames.includes(c));
  const fetchKeys = keyCols.filter(([c]) => fetchKeyCols.includes(c));
  return {
    table,
    tmp,
    keys,
    create: `CREATE TEMP TABLE IF NOT EXISTS ${tmp} (LIKE ${table}) ON COMMIT DELETE ROWS;
      CREATE TEMP TABLE IF NOT EXISTS ${keys} (${fetchKeys.map(([c, t]) => `${q(c)} ${SQL_TYPE[t]}`).join(', ')}) ON COMMIT DELETE ROWS;`,
    cols,
    keyCols: fetchKeys,
    any: `SELECT EXISTS (SELECT 1 FROM ${table} WHERE "day" = ANY($1::text[]) AND "sensor_id" = ANY($2::int4[])) AS e`,
    update: `UPDATE ${table} t SET ${valueCols.map((c) => `${q(c)} = u.${q(c)}`).join(', ')}
      FROM ${tmp} u WHERE ${keyNames.map((c) => `t.${q(c)} = u.${q(c)}`).join(' AND ')}`,
    fetch: `SELECT ${fetchSelect} FROM ${table} t JOIN ${keys} k USING (${fetchKeys.map(([c]) => q(c)).join(', ')})${fetchWhere}`,
  };
}

interface SketchSql extends TableSql {
  spec: SketchTable;
}

function sketchSql(spec: SketchTable): SketchSql {
  const keyCols: (readonly [string, PgType])[] = [
    ['sensor_id', 'int4'],
    ['day', 'text'],
    ...spec.keyCols.map((c, i) => [c, spec.keyTypes[i]!] as const),
  ];
  const cols = [...keyCols, ['packets', 'int8'], ['sources', 'int4'], ['sketch', 'bytea']] as const;
  const keyNames = keyCols.map(([c]) => c);
  return {
    spec,
    ...tableSql(
      spec.name,
      keyCols,
      cols,
      keyNames,
      '',
      `${keyNames.map((c) => `t.${q(c)}`).join(', ')}, t."packets", t."sketch"`,
    ),
  };
}

const HOST_KEY: (readonly [string, PgType])[] = [
  ['day', 'text'],
  ['sensor_id', 'int4'],
  ['ip', 'text'],
];
const HOST_SQL = tableSql(
  'daily_host',
  HOST_KEY,
  HOST_COLUMNS,
  ['day', 'ip'],
  ' WHERE t."sensor_id" = $1',
  't.*',
);
const LEDGER_INSERT = `INSERT INTO ingested_file (${LEDGER_COLUMNS.map(([c]) => q(c)).join(', ')})
  VALUES (${LEDGER_COLUMNS.map(([, t], i) => `$${i + 1}::${SQL_TYPE[t]}`).join(', ')})`;

const asDate = (d: Date) => d;

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string })?.code === '23505';
}

interface SketchState {
  key: (string | number)[];
  packets: number;
  /** The file's sketch for this key (not owned unless `owned`). */
  sketch: SourceSketch;
  owned: boolean;
  /** Final value once merged with a stored row. */
  merged?: StoredSketch;
}

export class PgStore implements Store {
  readonly engine = 'postgres' as const;
  private readonly sketch = SKETCH_TABLES.map(sketchSql);

  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string, _opts: StoreOptions = {}): Promise<PgStore> {
    const pool = openPgPool(url);
    try {
      const r = await pool.query("SELECT to_regclass('daily_host') IS NOT NULL AS e");
      if (!r.rows[0]?.e) {
        throw new Error(
          'The database has no Scanline tables: run the migrations first (npm run db:migrate)',
        );
      }
    } catch (e) {
      await pool.end();
      throw e;
    }
    return new PgStore(pool);
  }

  async ensureSensor(name: string, prefixes?: string): Promise<number> {
    if (name === ROLLUP_SENSOR_NAME)
      throw new Error(`'${name}' is reserved for the all-sensors rollup`);
    const r = await this.pool.query<{ id: number }>(
      `INSERT INTO sensor (name, prefixes, created_at) VALUES ($1, $2, $3::timestamp(3))
       ON CONFLICT (name) DO UPDATE SET prefixes = CASE WHEN $4 THEN EXCLUDED.prefixes ELSE sensor.prefixes END
       RETURNING id`,
      [name, prefixes ?? '', pgTimestamp(new Date()), prefixes !== undefined],
    );
    return Number(r.rows[0]!.id);
  }

  async sensorPrefixes(sensorId: number): Promise<string> {
    const r = await this.pool.query<{ prefixes: string }>(
      'SELECT prefixes FROM sensor WHERE id = $1',
      [sensorId],
    );
    return r.rows[0]?.prefixes ?? '';
  }

  async hasFile(sha256: string): Promise<LedgerRow | null> {
    const r = await this.pool.query(
      'SELECT * FROM ingested_file WHERE sha256 = $1 OR content_sha256 = $1 LIMIT 1',
      [sha256],
    );
    return r.rows[0] ? ledgerFromRecord(r.rows[0]) : null;
  }

  async findFileByPath(path: string, size?: number): Promise<LedgerRow | null> {
    const r =
      size === undefined
        ? await this.pool.query(
            'SELECT * FROM ingested_file WHERE path = $1 ORDER BY id DESC LIMIT 1',
            [path],
          )
        : await this.pool.query(
            'SELECT * FROM ingested_file WHERE path = $1 AND size = $2 ORDER BY id DESC LIMIT 1',
            [path, size],
          );
    return r.rows[0] ? ledgerFromRecord(r.rows[0]) : null;
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
    const days = items.map(({ aggregates }) => daysOf(aggregates));
    return this.commitTransaction(
      [...new Set(days.flat())],
      `${items.length} file(s)`,
      items[0]?.entry,
      async (client, crash, timer) => {
        const results: CommitResult[] = [];
        for (const [i, item] of items.entries()) {
          results.push(await this.writeFile(client, item, days[i]!, crash, timer));
        }
        return results;
      },
    );
  }

  async commitMerged(
    entries: readonly LedgerEntry[],
    sensorId: number,
    aggregates: FileAggregates,
  ): Promise<MergedRefusal[]> {
    if (sensorId === ROLLUP_SENSOR_ID) throw new Error('commitMerged: sensor 0 is the rollup');
    const days = daysOf(aggregates);
    return this.commitTransaction(
      days,
      `${entries.length} merged file(s)`,
      entries[0],
      async (client, crash, timer) => {
        const verdicts: (MergedRefusal['why'] | null)[] = [];
        for (const entry of entries) verdicts.push(await verdictOf(client, entry));
        const refused = mergedRefusals(entries, (_, i) => verdicts[i]!);
        if (refused.length > 0) return refused;
        await this.writeRows(client, aggregates, sensorId, days, crash, timer);
        for (const entry of entries)
          await client.query(LEDGER_INSERT, ledgerValues(entry, sensorId, days, pgTimestamp));
        return [];
      },
      (refused) => refused.length === 0,
    );
  }

  /**
   * Runs `write` in one commit transaction on its own connection (commitFiles,
   * commitMerged): the host partitions of `days`, the commit lock, then COMMIT, or
   * ROLLBACK when `keep` says no or anything throws.
   */
  private async commitTransaction<T>(
    days: readonly string[],
    what: string,
    first: LedgerEntry | undefined,
    write: (client: pg.PoolClient, crash: CrashHook, timer: PhaseTimer) => Promise<T>,
    keep: (result: T) => boolean = () => true,
  ): Promise<T> {
    const client = await this.pool.connect();
    const crash = new CrashHook();
    const timer = new PhaseTimer();
    try {
      await this.beginCommit(client, days, timer);
      const result = await write(client, crash, timer);
      if (!keep(result)) {
        await client.query('ROLLBACK');
        return result;
      }
      await client.query('COMMIT');
      timer.mark('commit');
      timer.print(`pg store ${what} ${first?.sha256.slice(0, 12) ?? ''}`);
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  async beginFile(sensorId: number, knownDays: readonly string[]): Promise<FileTransaction> {
    if (sensorId === ROLLUP_SENSOR_ID) throw new Error('beginFile: sensor 0 is the rollup');
    const client = await this.pool.connect();
    const crash = new CrashHook();
    const timer = new PhaseTimer();
    const days = new Set<string>();
    let open = true;
    const end = async (sql: 'COMMIT' | 'ROLLBACK') => {
      if (!open) throw new Error('beginFile: the transaction is already over');
      open = false;
      try {
        await client.query(sql);
      } finally {
        client.release();
      }
    };
    const failed = async (e: unknown): Promise<never> => {
      if (open) await end('ROLLBACK').catch(() => {});
      throw e;
    };
    try {
      await this.beginCommit(client, knownDays, timer);
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      open = false;
      client.release();
      throw e;
    }
    return {
      write: async (aggregates) => {
        if (!open) throw new Error('beginFile: the transaction is already over');
        try {
          const partDays = daysOf(aggregates);
          await ensureHostPartitions(client, partDays, true);
          await this.writeRows(client, aggregates, sensorId, partDays, crash, timer);
          for (const day of partDays) days.add(day);
        } catch (e) {
          await failed(e);
        }
      },
      commit: async (entry) => {
        if (!open) throw new Error('beginFile: the transaction is already over');
        try {
          const verdict = await verdictOf(client, entry);
          if (verdict !== null) {
            await end('ROLLBACK');
            return verdict;
          }
          const sorted = [...days].sort();
          await client.query(LEDGER_INSERT, ledgerValues(entry, sensorId, sorted, pgTimestamp));
          await end('COMMIT');
        } catch (e) {
          return failed(e);
        }
        timer.mark('commit');
        timer.print(`pg store 1 file in parts ${entry.sha256.slice(0, 12)}`);
        return 'stored';
      },
      rollback: async () => {
        if (open) await end('ROLLBACK');
      },
    };
  }

  /**
   * Opens a commit's transaction on `client`: the session's temp tables (outside the
   * transaction, so they outlive a rollback), the host partitions of `days`, BEGIN, and
   * the commit lock.
   */
  private async beginCommit(
    client: pg.PoolClient,
    days: readonly string[],
    timer: PhaseTimer,
  ): Promise<void> {
    await client.query([...this.sketch.map((t) => t.create), HOST_SQL.create].join('\n'));
    await ensureHostPartitions(client, days);
    await client.query('BEGIN');
    // Room for the merge joins' hash tables (the default 4 MB spills to disk).
    await client.query("SET LOCAL work_mem = '128MB'");
    await client.query('SELECT pg_advisory_xact_lock($1)', [PG_COMMIT_LOCK]);
    timer.mark('lock');
  }

  /** Writes one file's rows and ledger row (inside the caller's transaction). */
  private async writeFile(
    client: pg.PoolClient,
    { entry, sensorId, aggregates }: CommitItem,
    days: string[],
    crash: CrashHook,
    timer: PhaseTimer,
  ): Promise<CommitResult> {
    const verdict = await verdictOf(client, entry);
    if (verdict !== null) return verdict;
    await this.writeRows(client, aggregates, sensorId, days, crash, timer);
    await client.query(LEDGER_INSERT, ledgerValues(entry, sensorId, days, pgTimestamp));
    return 'stored';
  }

  /** Adds aggregates (whose days are `days`) to the sensor's rows and the rollup. */
  private async writeRows(
    client: pg.PoolClient,
    aggregates: FileAggregates,
    sensorId: number,
    days: string[],
    crash: CrashHook,
    timer: PhaseTimer,
  ): Promise<void> {
    for (const t of this.sketch) {
      await this.writeSketchTable(client, t, aggregates, sensorId, days, crash);
    }
    timer.mark('sketch rows');
    await this.writeHosts(client, aggregates.hosts, sensorId, days, crash);
    timer.mark('hosts');
  }

  /** COPYs rows into the table's temp table (emptied first) and runs `sql` over it. */
  private async viaTemp(
    client: pg.PoolClient,
    t: TableSql,
    rows: readonly (readonly unknown[])[],
    sql: string,
    crash: CrashHook,
  ): Promise<void> {
    if (rows.length === 0) return;
    await client.query(`TRUNCATE ${t.tmp}`);
    await copyRows(client, t.tmp, t.cols, rows);
    await client.query(sql);
    crash.wrote(rows.length);
  }

  /** COPYs rows straight into the table (no row may exist yet). */
  private async copyInto(
    client: pg.PoolClient,
    t: TableSql,
    rows: Iterable<readonly unknown[]>,
    crash: CrashHook,
  ): Promise<void> {
    if (Array.isArray(rows) && rows.length === 0) return;
    let n = 0;
    const counted = (function* () {
      for (const r of rows) {
        n++;
        yield r;
      }
    })();
    await copyRows(client, t.table, t.cols, counted);
    crash.wrote(n);
  }

  /** Copies keys and returns the stored rows that match them (`params` for the fetch). */
  private async fetchExisting(
    client: pg.PoolClient,
    t: TableSql,
    keys: readonly (readonly unknown[])[],
    params: unknown[],
    rowMode: 'array' | undefined,
  ): Promise<unknown[]> {
    await client.query(`TRUNCATE ${t.keys}`);
    await copyRows(client, t.keys, t.keyCols, keys);
    const res = await client.query({
      text: t.fetch,
      values: params,
      ...(rowMode ? { rowMode } : {}),
    });
    return res.rows;
  }

  private async writeSketchTable(
    client: pg.PoolClient,
    t: SketchSql,
    aggregates: FileAggregates,
    sensorId: number,
    days: string[],
    crash: CrashHook,
  ): Promise<void> {
    const rows = t.spec.rows(aggregates);
    if (rows.length === 0) return;
    const sensors = [sensorId, ROLLUP_SENSOR_ID];
    // Every (sensor, key) of the file, repeated keys merged.
    const state = new Map<string, SketchState>();
    for (const r of rows) {
      const k = t.spec.keys(r);
      for (const sid of sensors) {
        const key = rowKey(sid, r.day, k);
        const prior = state.get(key);
        if (!prior) {
          state.set(key, {
            key: [sid, r.day, ...k],
            packets: r.packets,
            sketch: r.sources,
            owned: false,
          });
          continue;
        }
        prior.packets += r.packets;
        if (!prior.owned) {
          const copy = new SourceSketch();
          copy.merge(prior.sketch);
          prior.sketch = copy;
          prior.owned = true;
        }
        prior.sketch.merge(r.sources);
      }
    }
    const entries = [...state.values()];
    const any = await client.query(t.any, [days, sensors]);
    const serialized = new Map<SourceSketch, StoredSketch>();
    const stored = (sk: SourceSketch) => {
      let v = serialized.get(sk);
      if (!v) {
        v = storedSketch(sk);
        serialized.set(sk, v);
      }
      return v;
    };
    const out = (e: SketchState, sk: StoredSketch) => [...e.key, e.packets, sk.sources, sk.bytes];
    if (!any.rows[0]?.e) {
      // No rows yet for these days and sensors: straight in.
      await this.copyInto(
        client,
        t,
        entries.map((e) => out(e, stored(e.sketch))),
        crash,
      );
      return;
    }
    for (let at = 0; at < entries.length; at += MERGE_CHUNK) {
      const chunk = entries.slice(at, at + MERGE_CHUNK);
      const found = (await this.fetchExisting(
        client,
        t,
        chunk.map((e) => e.key),
        [],
        'array',
      )) as unknown[][];
      for (const rec of found) {
        const sketch = rec.pop() as Buffer;
        const packets = Number(rec.pop());
        const [sid, day, ...k] = rec;
        const e = state.get(rowKey(Number(sid), String(day), k as (string | number)[]));
        if (!e) continue;
        const merged = SourceSketch.deserialize(sketch);
        merged.merge(e.sketch);
        e.packets += packets;
        e.merged = storedSketch(merged);
      }
      const updates = chunk.filter((e) => e.merged).map((e) => out(e, e.merged!));
      const inserts = chunk.filter((e) => !e.merged).map((e) => out(e, stored(e.sketch)));
      await this.viaTemp(client, t, updates, t.update, crash);
      await this.copyInto(client, t, inserts, crash);
    }
  }

  private async writeHosts(
    client: pg.PoolClient,
    hosts: HostRowList,
    sensorId: number,
    days: string[],
    crash: CrashHook,
  ): Promise<void> {
    if (hosts.length === 0) return;
    const any = await client.query(HOST_SQL.any, [days, [sensorId]]);
    if (!any.rows[0]?.e) {
      // First file of these days: plain INSERT (a key repeated in the file makes it fail,
      // and the merge path below handles it).
      await client.query('SAVEPOINT scanline_hosts');
      try {
        await this.copyInto(
          client,
          HOST_SQL,
          (function* () {
            for (const h of hosts) yield hostValues(h, sensorId, asDate);
          })(),
          crash,
        );
        await client.query('RELEASE SAVEPOINT scanline_hosts');
        return;
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        await client.query('ROLLBACK TO SAVEPOINT scanline_hosts');
      }
    }
    const all = hosts[Symbol.iterator]();
    // Chunks until the rows run out (`length` is an upper bound when a day's parts merge).
    for (;;) {
      const incoming = new Map<string, DailyHostRow>();
      for (let i = 0; i < MERGE_CHUNK; i++) {
        const next = all.next();
        if (next.done) break;
        const h = next.value;
        const key = `${h.day}\u0001${h.ip}`;
        const prior = incoming.get(key);
        incoming.set(key, prior ? mergeHostRows(prior, h) : h);
      }
      if (incoming.size === 0) break;
      const keys = [...incoming.values()].map((h) => [h.day, h.ip]);
      const found = await this.fetchExisting(client, HOST_SQL, keys, [sensorId], undefined);
      const updates: unknown[][] = [];
      for (const rec of found as Record<string, unknown>[]) {
        const old = hostFromRecord(rec);
        const key = `${old.day}\u0001${old.ip}`;
        const h = incoming.get(key);
        if (!h) continue;
        incoming.delete(key);
        updates.push(hostValues(mergeHostRows(old, h), sensorId, asDate));
      }
      const inserts = [...incoming.values()].map((h) => hostValues(h, sensorId, asDate));
      await this.viaTemp(client, HOST_SQL, updates, HOST_SQL.update, crash);
      await this.copyInto(client, HOST_SQL, inserts, crash);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * ledgerVerdict inside the caller's transaction: content known when the file's bytes, or
 * its capture uncompressed / compressed (content_sha256), are in the ledger.
 */
async function verdictOf(
  client: pg.PoolClient,
  entry: LedgerEntry,
): Promise<MergedRefusal['why'] | null> {
  const r = await client.query(
    'SELECT 1 FROM ingested_file WHERE sha256 = $1 OR content_sha256 = $2 LIMIT 1',
    [entry.sha256, entry.contentSha256 ?? null],
  );
  let latest: number | null = null;
  if ((r.rowCount ?? 0) === 0 && entry.basedOn !== undefined) {
    const row = await client.query<{ id: string }>(
      'SELECT id FROM ingested_file WHERE path = $1 ORDER BY id DESC LIMIT 1',
      [entry.path],
    );
    latest = row.rows[0] === undefined ? null : Number(row.rows[0].id);
  }
  return ledgerVerdict(entry, (r.rowCount ?? 0) > 0, () => latest);
}
