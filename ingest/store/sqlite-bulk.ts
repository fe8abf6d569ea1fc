import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../../lib/db/raw';

/** Rows per multi-row INSERT: one statement step instead of 64 amortises the JS-to-C calls. */
export const BULK_ROWS = 64;

export interface BulkOptions<T> {
  /** Appended to the INSERT, e.g. an UPSERT's ON CONFLICT ... DO UPDATE. */
  onConflict?: string;
  /**
   * Without `onConflict`, a key already stored or repeated within a batch makes SQLite
   * undo that one statement; its rows' items then go here one by one (to be merged),
   * so the result is the same either way.
   */
  oneByOne?: (item: T) => void;
  /** Called with the number of rows each statement wrote. */
  wrote?: (rows: number) => void;
}

/** Multi-row INSERTs of BULK_ROWS rows, prepared once per table and row count. */
export class BulkInsert<T = undefined> {
  private readonly statements = new Map<number, Statement>();
  private values: unknown[] = [];
  private items: T[] = [];

  constructor(
    private readonly db: SqliteDatabase,
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly opts: BulkOptions<T> = {},
  ) {}

  add(values: readonly unknown[], item?: T): void {
    this.items.push(item as T);
    for (const v of values) this.values.push(v);
    if (this.items.length === BULK_ROWS) this.flush();
  }

  flush(): void {
    const items = this.items;
    if (items.length === 0) return;
    const values = this.values;
    this.items = [];
    this.values = [];
    try {
      this.statement(items.length).run(values);
    } catch (e) {
      const oneByOne = this.opts.oneByOne;
      if (!isKeyConflict(e) || oneByOne === undefined) throw e;
      for (const item of items) oneByOne(item);
      return;
    }
    this.opts.wrote?.(items.length);
  }

  private statement(rows: number): Statement {
    let st = this.statements.get(rows);
    if (st === undefined) {
      const one = `(${this.columns.map(() => '?').join(', ')})`;
      const cols = this.columns.map((c) => `"${c}"`).join(', ');
      st = this.db.prepare(
        `INSERT INTO ${this.table} (${cols}) VALUES ${Array(rows).fill(one).join(', ')} ${this.opts.onConflict ?? ''}`,
      );
      this.statements.set(rows, st);
    }
    return st;
  }
}

function isKeyConflict(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
