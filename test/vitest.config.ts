import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * One MongoDB-compatible server for the whole run (test/stack/globalSetup.ts); every test file
 * uses databases of its own on it. Files run one at a time: the end-to-end and chaos suites each
 * start wrangler dev and the simulator, and two cores are better spent on one than shared by many.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, '..'),
  // workerd's own module, which worker.ts reaches through its Durable Object: see the stub.
  resolve: { alias: { 'cloudflare:workers': resolve(import.meta.dirname, 'handlers/cloudflareWorkers.ts') } },
  test: {
    include: ['{producer,consumer,shared,scripts,test}/**/*.test.ts'],
    globalSetup: ['test/stack/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
