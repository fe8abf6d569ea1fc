/**
 * The ingest's store: one transaction per input file (aggregates + ledger row), on
 * SQLite or PostgreSQL depending on the URL. See types.ts for the contract.
 */
import { migrationStatus } from '../../lib/db/migrations';
import { databaseUrl, engineOf, redactUrl, sqlitePath } from '../../lib/db/url';
import { PgStore } from './pg-store';
import { SqliteStore } from './sqlite-store';
import type { Store, StoreOptions } from './types';

export { ROLLUP_SENSOR_ID, ROLLUP_SENSOR_NAME } from './codec';
export type {
  CaptureInstant,
  CommitResult,
  LedgerEntry,
  LedgerRow,
  Store,
  StoreOptions,
} from './types';

/** Opens the store for `url` (default: DATABASE_URL or the embedded SQLite file). */
export async function openStore(
  url: string = databaseUrl(),
  opts: StoreOptions = {},
): Promise<Store> {
  // A database of an earlier version would fail on its first statement, naming a column.
  // Checked first: the stores prepare their statements when they open.
  if (
    !opts.allowPendingMigrations &&
    (engineOf(url) === 'postgres' || sqlitePath(url) !== ':memory:')
  ) {
    const status = await migrationStatus(url).catch(() => null);
    if (status !== null && status.applied.length > 0 && status.pending.length > 0) {
      throw new Error(
        `The database ${redactUrl(url)} lacks ${status.pending.length} migration(s) of this version (${status.pending.join(', ')}): apply them first (npm run db:migrate, with DATABASE_URL set to it)`,
      );
    }
  }
  if (engineOf(url) === 'sqlite') return new SqliteStore(url, opts);
  return PgStore.open(url, opts).catch((e: unknown) => {
    // node-postgres names neither the server nor the database ("connect ECONNREFUSED ...").
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`PostgreSQL ${redactUrl(url)}: ${message}`, { cause: e });
  });
}
