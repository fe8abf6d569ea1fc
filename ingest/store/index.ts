/**
 * The ingest's store: one transaction per input file (aggregates + ledger row), on
 * SQLite or PostgreSQL depending on the URL. See types.ts for the contract.
 */
import { databaseUrl, engineOf } from '../../lib/db/url';
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
  return engineOf(url) === 'sqlite' ? new SqliteStore(url, opts) : PgStore.open(url, opts);
}
