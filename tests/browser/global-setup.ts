/**
 * Seeds the fixture database, builds the app (unless SCANLINE_BROWSER_SKIP_BUILD=1),
 * starts `next start` on a free loopback port and hands its URL to the tests.
 * SCANLINE_BROWSER_ENGINE=postgres runs the same tests on a throwaway PostgreSQL cluster
 * (tests/support/postgres.ts) instead of a SQLite file: `npm run test:browser` runs both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { type PgCluster, startPostgres } from '../support/postgres';
import { buildNext, startNext } from './next-server';
import { seedDatabase } from './seed-db';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const engine = process.env.SCANLINE_BROWSER_ENGINE ?? 'sqlite';
  if (engine !== 'sqlite' && engine !== 'postgres') {
    throw new Error(`SCANLINE_BROWSER_ENGINE: expected sqlite or postgres (got ${engine})`);
  }
  console.log(`browser tests on ${engine}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scanline-browser-'));
  let cluster: PgCluster | null = null;
  const cleanup = () => {
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (engine === 'postgres') cluster = await startPostgres();
    const dbUrl = cluster ? cluster.url : `file:${path.join(dir, 'web.db')}`;
    await seedDatabase(dbUrl);

    if (process.env.SCANLINE_BROWSER_SKIP_BUILD !== '1') buildNext();

    const server = await startNext(dbUrl);
    project.provide('baseUrl', server.baseUrl);
    return async () => {
      await server.stop();
      cleanup();
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}
