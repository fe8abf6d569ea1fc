import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./', import.meta.url)) } },
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', '.next/**', 'var/**', 'generated/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker per core but one: a single worker on two cores. Much
    // of the suite waits on child processes (the CLI, PostgreSQL, tshark), so a second
    // worker overlaps it: 759 s against 540 s for the unit suite on two cores.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['tests/support/global-setup.ts'],
  },
});
