import { afterAll, beforeAll, inject } from 'vitest';
import { startLocalStack, type LocalStack } from '../../scripts/local/localStack.ts';
import { waitForWindows } from '../../scripts/local/progress.ts';
import { realRelease } from '../fixtures/realFixtures.ts';
import type { SimRelease } from '../simulator/dataset.ts';
import { daysAgo } from '../stack/history.ts';

/**
 * The one backfill the end-to-end suites read (pipeline.test.ts): the whole pipeline for real, cron
 * → fetch queue → fetch consumer → write queue → write consumer → MongoDB under wrangler dev,
 * against the simulator serving 200 days of both sources with FTS's long-window defect switched on,
 * plus one tender of the procurement suite's own, published an hour before the run.
 */
export const HISTORY_DAYS = 200;
export const REQUESTS_PER_MINUTE = 3000;

export interface BackfillRun {
  stack: LocalStack;
  /** A real UK4 tender notice under a new id and ocid: most of the live stream is award notices, so a generated one may not be there. */
  ownTender: SimRelease;
}

/** Registers the hooks that start the backfill and wait for it to close, and stop it all; read the fields inside tests. */
export function backfillRun(): BackfillRun {
  const run = {} as BackfillRun;
  beforeAll(async () => {
    run.ownTender = await ownTender();
    run.stack = await startLocalStack({
      startDates: { fts: daysAgo(HISTORY_DAYS), cf: daysAgo(HISTORY_DAYS) },
      perDay: { fts: 1.5, cf: 1 },
      seed: 7,
      // One real release of each kind, not whole captured days: the point here is the pipeline, not the volume.
      realReleases: 'eachKind',
      editDataset: (dataset) => dataset.FIND_A_TENDER.push(run.ownTender),
      requestsPerMinute: REQUESTS_PER_MINUTE,
      defectLongWindowLoss: true,
      mongoUri: inject('mongoUri'),
      quiet: true,
      // No delta ticks: each cron's delta is what the suites count on.
      workerVars: { FETCH_WINDOWS_IN_FLIGHT: '3', STALL_MINUTES: '5', DELTA_TICK_MINUTES: '0' },
    });
    const started = Date.now();
    await run.stack.worker.runCron();
    let lastLog = 0;
    await waitForWindows(run.stack.db, {
      until: 'closed',
      timeoutMs: 10 * 60_000,
      idleMs: 60_000,
      onIdle: () => run.stack.worker.runCron(),
      onTick: (progress) => {
        if (Date.now() - lastLog < 30_000) return;
        lastLog = Date.now();
        console.log(`${Math.round((Date.now() - started) / 1000)} s: ${JSON.stringify(progress)}`);
      },
    });
    console.log(`backfill closed in ${Math.round((Date.now() - started) / 1000)} s`);
  }, 12 * 60_000);

  afterAll(async () => {
    // What went wrong along the way, if anything: retries, dead letters, windows closed by the sweep.
    const notable = run.stack?.worker.output().split('\n').filter((line) => /retrying|dead-letter|closed \d+ window|ERROR/.test(line));
    if (notable?.length) console.log(notable.slice(-30).join('\n'));
    await run.stack?.stop();
  });
  return run;
}

async function ownTender(): Promise<SimRelease> {
  const template = (await realRelease('fts-page-limit4-2026-10-06.json', '094476-2026')) as Record<string, unknown>;
  const id = `${String(980_000 + Math.floor(Math.random() * 9_999)).padStart(6, '0')}-${new Date().getUTCFullYear()}`;
  const published = new Date(Date.now() - 3_600_000);
  published.setUTCMilliseconds(0);
  return { id, notice: id, date: published, release: { ...template, id, ocid: 'ocds-h6vhtk-e2e0a1', date: published.toISOString() } };
}
