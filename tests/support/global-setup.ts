/**
 * Vitest global setup: a PostgreSQL server for the database tests.
 *
 * - SCANLINE_TEST_PG_URL set: that server is used (a superuser URL, or a user with
 *   CREATEDB); nothing is started.
 * - Otherwise a throwaway PostgreSQL cluster is started (tests/support/postgres.ts) and
 *   stopped and deleted after the run.
 * - No server binaries and no URL: the run fails with a message saying what to install
 *   (in CI and locally alike: database tests are never skipped silently).
 *
 * Tests read the URL with `inject('pgUrl')` (or process.env.SCANLINE_TEST_PG_URL, which
 * is also set for child processes).
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  let url = process.env.SCANLINE_TEST_PG_URL;
  let stop: (() => void) | undefined;
  if (!url) {
    const cluster = await startPostgres();
    url = cluster.url;
    stop = cluster.stop;
  }
  process.env.SCANLINE_TEST_PG_URL = url;
  project.provide('pgUrl', url);
  return () => {
    stop?.();
  };
}
