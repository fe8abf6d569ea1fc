/**
 * Browser tests: `npx vitest run --config tests/browser/vitest.config.ts`.
 * The global setup seeds a SQLite file with the web fixture, runs `next build` (skip with
 * SCANLINE_BROWSER_SKIP_BUILD=1 when .next is current) and `next start` on a loopback
 * port; the tests drive Debian's Chromium through playwright-core.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('../../', import.meta.url)) } },
  test: {
    root: fileURLToPath(new URL('../../', import.meta.url)),
    include: ['tests/browser/**/*.browser.ts'],
    globalSetup: ['tests/browser/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
