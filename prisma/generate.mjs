// Generates both Prisma clients (SQLite and PostgreSQL) offline; run by `npm install`
// (postinstall) and `npm run db:generate`. prisma.config.ts points the CLI at a stub
// schema-engine so it does not try to download the native binary.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');

for (const schema of ['prisma/schema.prisma', 'prisma/postgres/schema.prisma']) {
  const r = spawnSync(process.execPath, [cli, 'generate', '--schema', schema], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  if (r.status !== 0) {
    console.error(`prisma generate failed for ${schema}`);
    process.exit(r.status ?? 1);
  }
}
