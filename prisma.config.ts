/**
 * Prisma CLI configuration, made to work with no route to Prisma's binary host.
 *
 * Every Prisma 7 CLI command first tries to download the native schema-engine binary.
 * `generate`, `validate` and `format` never execute it (they use bundled wasm), so
 * pointing PRISMA_SCHEMA_ENGINE_BINARY at a tiny stub skips the download. Migrations do
 * not go through the CLI: see prisma/migrate.ts (deploy | status | diff | new NAME).
 *
 * Two schemas exist because a Prisma schema has one provider: prisma/schema.prisma
 * (SQLite, the default; this file's `schema`) and prisma/postgres/schema.prisma.
 * `node prisma/generate.mjs` (the postinstall) generates both clients.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(
    new URL('./prisma/offline-schema-engine.sh', import.meta.url),
  );
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./var/scanline.db' },
});
