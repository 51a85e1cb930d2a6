import { resolve } from 'node:path';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Four tiers as vitest projects, run in this order by `npm test` (`--project NAME` runs one):
 * - fast: the pure `*.test.ts` beside the code, test/architecture and test/simulator; no server.
 * - db: test/handlers and test/integration against the MongoDB-compatible server.
 * - e2e, chaos: wrangler dev, the simulator and that server.
 * The server (test/stack/globalSetup.ts) starts only when a project that needs it runs, once for the
 * whole run. Files run one at a time: the end-to-end suites each start wrangler dev and the
 * simulator, and two cores are better spent on one than shared by many. The chaos scenarios are the
 * exception, run five at a time inside their file: most of their time is spent waiting out pauses,
 * stalls and outages (three of them 10–15 minutes of outage or delta ticks; test/chaos/chaos.test.ts). (`fileParallelism` and
 * `poolOptions` are read from this root config for every project: vitest makes one pool per kind.)
 * The fast tier runs in the threads pool without isolation (one worker, modules loaded once: 14 s
 * instead of 45 s); its files mock nothing and read no environment they change.
 */
const server = ['test/stack/globalSetup.ts'];

function tier(name: string, groupOrder: number, include: string[], extra: TestProjectInlineConfiguration['test'] = {}): TestProjectInlineConfiguration {
  return { extends: true, test: { name, include, sequence: { groupOrder }, ...extra } };
}

export default defineConfig({
  root: resolve(import.meta.dirname, '..'),
  // workerd's own module, which worker.ts reaches through its Durable Object: see the stub.
  resolve: { alias: { 'cloudflare:workers': resolve(import.meta.dirname, 'handlers/cloudflareWorkers.ts') } },
  test: {
    projects: [
      tier('fast', 0, ['{producer,consumer,shared,scripts}/**/*.test.ts', 'test/{architecture,simulator}/**/*.test.ts'], { pool: 'threads' }),
      tier('db', 1, ['test/{handlers,integration}/**/*.test.ts'], { globalSetup: server }),
      tier('e2e', 2, ['test/e2e/**/*.test.ts'], { globalSetup: server }),
      tier('chaos', 3, ['test/chaos/**/*.test.ts'], { globalSetup: server, maxConcurrency: 5 }),
    ],
    fileParallelism: false,
    poolOptions: { threads: { isolate: false } },
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
