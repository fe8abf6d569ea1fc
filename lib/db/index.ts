export { disconnectPrisma, getPrisma, type ScanlinePrisma, sqliteAdapterFactory } from './prisma';
export {
  openPgPool,
  openSqlite,
  pgTimestamp,
  pgTypes,
  type SqliteDatabase,
  type SqliteOptions,
  sqliteTimestamp,
} from './raw';
export {
  DEFAULT_DATABASE_URL,
  databaseUrl,
  type Engine,
  engineOf,
  projectRoot,
  redactUrl,
  sqlitePath,
} from './url';
