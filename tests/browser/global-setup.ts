/**
 * Seeds the fixture database, builds the app (unless SCANLINE_BROWSER_SKIP_BUILD=1),
 * starts `next start` on a free loopback port and hands its URL to the tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildNext, startNext } from './next-server';
import { seedDatabase } from './seed-db';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scanline-browser-'));
  const dbUrl = `file:${path.join(dir, 'web.db')}`;
  await seedDatabase(dbUrl);

  if (process.env.SCANLINE_BROWSER_SKIP_BUILD !== '1') buildNext();

  const server = await startNext(dbUrl);
  project.provide('baseUrl', server.baseUrl);

  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
