/**
 * Creates a SQLite database with the migrations applied and the web fixture committed
 * through the real store: `npx tsx tests/browser/seed-db.ts file:./var/web-fixture.db`.
 */
import { rmSync } from 'node:fs';
import { deployMigrations } from '@/lib/db/migrations';
import { sqlitePath } from '@/lib/db/url';
import { seedFixture } from '@/lib/queries/testing/seed';

export async function seedDatabase(url: string): Promise<void> {
  if (url.startsWith('file:')) {
    const file = sqlitePath(url);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
  await deployMigrations(url);
  await seedFixture(url);
}

if (process.argv[1]?.endsWith('seed-db.ts')) {
  const url = process.argv[2] ?? 'file:./var/web-fixture.db';
  seedDatabase(url).then(
    () => console.log(`seeded ${url}`),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
