import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SOURCE_NAMES } from '../../shared/sources/sourceName.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { expectAllWindowsDone, expectBuyersExact, expectEveryServedReleaseStoredOnce, releasesDue, snapshotData } from '../stack/expectations.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/localStack.ts';
import { waitForWindows } from '../../scripts/local/progress.ts';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The whole pipeline for real: cron → fetch queue → fetch consumer → write queue → write consumer
 * → MongoDB, under wrangler dev, against the simulator serving a year of both sources (three before procurement records: every
 * update scans a whole collection on FerretDB, and records made the three-year run take over 25
 * minutes there), with
 * FTS's long-window defect switched on.
 */
const REQUESTS_PER_MINUTE = 3000;
let stack: LocalStack;

const aYearAgo = (): string => {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - 1, date.getUTCMonth(), 1);
  return date.toISOString().slice(0, 10);
};

beforeAll(async () => {
  stack = await startLocalStack({
    startDates: { fts: aYearAgo(), cf: aYearAgo() },
    perDay: { fts: 1.5, cf: 1 },
    seed: 7,
    // One real release of each kind, not whole captured days: the point here is the pipeline, not the volume.
    realReleases: 'eachKind',
    requestsPerMinute: REQUESTS_PER_MINUTE,
    defectLongWindowLoss: true,
    mongoUri: inject('mongoUri'),
    quiet: true,
    // No delta ticks: each cron's delta is what the test counts on.
    // MongoDB operations may take long here: FerretDB scans a whole collection for every update,
    // and procurement records are updated by compare-and-set (FERRETDB.md).
    workerVars: { FETCH_WINDOWS_IN_FLIGHT: '3', STALL_MINUTES: '5', DELTA_TICK_MINUTES: '0', MONGODB_TIMEOUT_MS: '120000' },
  });
  const started = Date.now();
  await stack.worker.runCron();
  let lastLog = 0;
  await waitForWindows(stack.db, { until: 'closed',
    timeoutMs: 25 * 60_000,
    idleMs: 60_000,
    onIdle: () => stack.worker.runCron(),
    onTick: (progress) => {
      if (Date.now() - lastLog < 30_000) return;
      lastLog = Date.now();
      console.log(`${Math.round((Date.now() - started) / 1000)} s: ${JSON.stringify(progress)}`);
    },
  });
  console.log(`backfill closed in ${Math.round((Date.now() - started) / 1000)} s`);
}, 30 * 60_000);

afterAll(async () => {
  // What went wrong along the way, if anything: retries, dead letters, windows closed by the sweep.
  const notable = stack?.worker.output().split('\n').filter((line) => /retrying|dead-letter|closed \d+ window|ERROR/.test(line));
  if (notable?.length) console.log(notable.slice(-30).join('\n'));
  await stack?.stop();
});

describe('a one-year backfill of both sources, end to end', () => {
  it('stores every served notice once per source, at its newest release', async () => {
    // The defect was on, and no request ever met it: every FTS request asked for 6 hours at most.
    expect(stack.simulator!.stats().faultsInjected.longWindowLoss ?? 0, 'FTS pages that lost releases to the long-window defect').toBe(0);
    const counts = await expectEveryServedReleaseStoredOnce(stack.db, stack.simulator!, stack.dataset!);
    const due = await releasesDue(stack.db, stack.dataset!);
    for (const source of SOURCE_NAMES) {
      // Served is the simulator's whole history up to the last delta: the 6-hour slices lost nothing to the defect.
      expect(counts[source].served).toBe(due[source].length);
      expect(counts[source].stored).toBeGreaterThan(300);
    }
    // One contract per notice meant something: the history holds CF notices in several versions.
    expect(counts.CONTRACTS_FINDER.extraVersionsServed).toBeGreaterThan(0);
  });

  it('extracts a buyer for every buyer seen, with exact contract counts', async () => {
    await expectBuyersExact(stack.db);
  });

  it('closes every window, with many pages per window', async () => {
    await expectAllWindowsDone(stack.db);
    const windows = await stack.db.collection(COLLECTIONS.syncJobs).find({ kind: 'window', source: 'FIND_A_TENDER', span: 'month' }).toArray();
    expect(windows.length).toBeGreaterThanOrEqual(12);
    expect(Math.min(...windows.map((w) => w.checkpoint.pages))).toBeGreaterThan(100);
  });

  it('never broke the rate limit', () => {
    const stats = stack.simulator!.stats();
    for (const source of SOURCE_NAMES) {
      expect(stats.rateLimited[source]).toBe(0);
      expect(stats.early[source]).toBe(0);
      expect(stats.maxRequestsInAnyPeriod[source]).toBeLessThanOrEqual(REQUESTS_PER_MINUTE);
    }
  });

  it('summarises each source in syncJobs at the next cron run', async () => {
    const asked = new Date();
    await stack.worker.runCron();
    let statuses = await stack.db.collection(COLLECTIONS.syncJobs).find({ kind: 'source' }).toArray();
    for (let i = 0; i < 60 && !statuses.every((s) => s.lastRunAt >= asked); i++) {
      await sleep(500);
      statuses = await stack.db.collection(COLLECTIONS.syncJobs).find({ kind: 'source' }).toArray();
    }
    expect(statuses.map((s) => s.source).sort()).toEqual([...SOURCE_NAMES].sort());
    for (const status of statuses) {
      expect(status).toMatchObject({ status: 'syncing', lastRunErrors: 0, errorLog: [] });
      expect(status.totalFetched).toBe((await releasesDue(stack.db, stack.dataset!))[status.source as 'FIND_A_TENDER'].length);
    }
  });

  it('changes nothing when the cron runs again, once the buyer merges its writes found are carried out', async () => {
    // The real templates' buyer parties make the write path find some registry entries to be one
    // organisation; the hourly run carries those merges out (producer/mergeBuyers.ts). Settled first.
    for (let cron = 0; cron < 3 && (await pendingMerges()) > 0; cron++) {
      await stack.worker.runCron();
      await waitForWindows(stack.db, { until: 'closed', timeoutMs: 60_000 });
    }
    expect(await pendingMerges(), 'merges still pending').toBe(0);
    const before = await snapshotData(stack.db);
    const windowsBefore = await stack.db.collection(COLLECTIONS.syncJobs).countDocuments({ kind: 'window' });
    await stack.worker.runCron();
    await sleep(5_000);
    await waitForWindows(stack.db, { until: 'closed', timeoutMs: 60_000 });
    expect(await snapshotData(stack.db)).toEqual(before);
    expect(await stack.db.collection(COLLECTIONS.syncJobs).countDocuments({ kind: 'window' })).toBe(windowsBefore);
  });
});

/** Merges the write path recorded and no cron has carried out yet (store/buyerMerges.ts). */
const pendingMerges = () => stack.db.collection(COLLECTIONS.buyerLinks).countDocuments({ _id: { $gte: 'merge:', $lt: 'merge;' } as never, state: 'pending' });
