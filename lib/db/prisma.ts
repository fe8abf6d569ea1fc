/**
 * The Prisma client for a database URL: the SQLite client with
 * @prisma/adapter-better-sqlite3 for `file:` URLs, the PostgreSQL client with
 * @prisma/adapter-pg for `postgres://` URLs. One client per URL per process.
 *
 * Both generated clients come from schemas identical but for the provider, so they
 * expose the same model API; getPrisma() is typed as the SQLite client's class.
 * Avoid provider-specific query options (e.g. `mode: 'insensitive'`) in shared code.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient as PgPrismaClient } from '../../generated/prisma-postgres/client';
import { PrismaClient as SqlitePrismaClient } from '../../generated/prisma-sqlite/client';
import { closePgReads } from './pg-reads';
import { processMap } from './process-map';
import { closeSqliteReads } from './sqlite-reads';
import { databaseUrl, engineOf, sqlitePath } from './url';

export type ScanlinePrisma = SqlitePrismaClient;

const SQLITE_PRAGMAS = 'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;';

/** The better-sqlite3 adapter factory, with Scanline's pragmas applied on connect. */
export function sqliteAdapterFactory(url: string, busyTimeoutMs = 10_000): SqlDriverAdapterFactory {
  const file = sqlitePath(url);
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const inner = new PrismaBetterSqlite3({ url: file, timeout: busyTimeoutMs });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect(): Promise<SqlDriverAdapter> {
      const adapter = await inner.connect();
      await adapter.executeScript(`PRAGMA busy_timeout = ${busyTimeoutMs}; ${SQLITE_PRAGMAS}`);
      return adapter;
    },
  };
}

/** One client per URL, kept across a dev server's module reloads. */
const clients = () => processMap<ScanlinePrisma>('prismaClients');

/** The Prisma client for `url` (default: databaseUrl()), created once per URL. */
export function getPrisma(url: string = databaseUrl()): ScanlinePrisma {
  const map = clients();
  const existing = map.get(url);
  if (existing) return existing;
  let client: ScanlinePrisma;
  if (engineOf(url) === 'sqlite') {
    client = new SqlitePrismaClient({ adapter: sqliteAdapterFactory(url) });
  } else {
    client = new PgPrismaClient({
      adapter: new PrismaPg({ connectionString: url }),
    }) as unknown as ScanlinePrisma;
  }
  map.set(url, client);
  return client;
}

/** The URL a client was made for by getPrisma, or undefined (e.g. a transaction's client). */
export function urlOfClient(client: unknown): string | undefined {
  for (const [url, c] of clients()) if (c === client) return url;
  return undefined;
}

/** Disconnects and forgets the client(s) made by getPrisma (all, or one URL's). */
export async function disconnectPrisma(url?: string): Promise<void> {
  const map = clients();
  const entries = url === undefined ? [...map] : [[url, map.get(url)] as const];
  for (const [key, client] of entries) {
    map.delete(key);
    await client?.$disconnect();
  }
  closeSqliteReads(url);
  await closePgReads(url);
}
