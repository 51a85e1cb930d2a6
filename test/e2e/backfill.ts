import type { Document, WithId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { SOURCES_ON } from '../stack/sourcesOn.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import { expectAllWindowsDone, expectBuyersExact, expectEveryServedReleaseStoredOnce, releasesDue, snapshotData } from '../stack/expectations.ts';
import { waitForWindows } from '../../scripts/local/progress.ts';
import { HISTORY_DAYS, REQUESTS_PER_MINUTE, type BackfillRun } from './backfillRun.ts';

/** What the finished backfill holds. */
export function describeBackfill(run: BackfillRun): void {
  describe(`a backfill of ${HISTORY_DAYS} days of both sources, end to end`, () => {
    it('stores every served notice once per source, at its newest release', async () => {
      // The defect was on, and no request ever met it: every FTS request asked for 6 hours at most.
      expect(run.stack.simulator!.stats().faultsInjected.longWindowLoss ?? 0, 'FTS pages that lost releases to the long-window defect').toBe(0);
      const counts = await expectEveryServedReleaseStoredOnce(run.stack.db, run.stack.simulator!, run.stack.dataset!);
      const due = await releasesDue(run.stack.db, run.stack.dataset!);
      for (const source of SOURCES_ON) {
        // Served is the simulator's whole history up to the last delta: the 6-hour slices lost nothing to the defect.
        expect(counts[source].served).toBe(due[source].length);
        expect(counts[source].stored).toBeGreaterThan(HISTORY_DAYS / 2);
      }
      // One contract per notice meant something: the history holds CF notices in several versions.
      expect(counts.CONTRACTS_FINDER.extraVersionsServed).toBeGreaterThan(0);
    });

    it('extracts a buyer for every buyer seen, with exact contract counts', async () => {
      await expectBuyersExact(run.stack.db);
    });

    it('closes every window, with many pages per whole month', async () => {
      await expectAllWindowsDone(run.stack.db);
      const windows = await run.stack.db.collection<WindowDoc>(COLLECTIONS.syncJobs).find({ kind: 'window', source: 'FIND_A_TENDER', span: 'month' }).toArray();
      expect(windows.length).toBeGreaterThanOrEqual(6);
      // A whole month is 120 and more 6-hour slices, a page at least each (the first window starts mid-month).
      const wholeMonths = windows.filter((w) => w.from.getUTCDate() === 1 && w.from.getUTCHours() === 0);
      expect(wholeMonths.length).toBeGreaterThanOrEqual(5);
      expect(Math.min(...wholeMonths.map((w) => w.checkpoint.pages))).toBeGreaterThan(100);
    });

    it('never broke the rate limit', () => {
      const stats = run.stack.simulator!.stats();
      for (const source of SOURCES_ON) {
        expect(stats.rateLimited[source]).toBe(0);
        expect(stats.early[source]).toBe(0);
        expect(stats.maxRequestsInAnyPeriod[source]).toBeLessThanOrEqual(REQUESTS_PER_MINUTE);
      }
    });

    it('summarises each source in syncJobs at the next cron run', async () => {
      const statuses = await cronRun(run);
      expect(statuses.map((s) => s.source).sort()).toEqual([...SOURCES_ON].sort());
      for (const status of statuses) {
        expect(status).toMatchObject({ status: 'syncing', lastRunErrors: 0, errorLog: [] });
        expect(status.totalFetched).toBe((await releasesDue(run.stack.db, run.stack.dataset!))[status.source as 'FIND_A_TENDER'].length);
      }
    });
  });
}

/** Run last: after every suite's changes have settled, one more cron changes nothing. */
export function describeSecondCron(run: BackfillRun): void {
  describe('the next cron after the backfill', () => {
    it('changes nothing when the cron runs again, once the buyer merges its writes found are carried out', async () => {
      // The real templates' buyer parties make the write path find some registry entries to be one
      // organisation; the hourly run carries those merges out (producer/mergeBuyers.ts). Settled first.
      for (let cron = 0; cron < 3 && (await pendingMerges(run)) > 0; cron++) {
        await run.stack.worker.runCron();
        await waitForWindows(run.stack.db, { until: 'closed', timeoutMs: 60_000 });
      }
      expect(await pendingMerges(run), 'merges still pending').toBe(0);
      const before = await snapshotData(run.stack.db);
      const windowsBefore = await run.stack.db.collection(COLLECTIONS.syncJobs).countDocuments({ kind: 'window' });
      await cronRun(run);
      await waitForWindows(run.stack.db, { until: 'closed', timeoutMs: 60_000 });
      expect(await snapshotData(run.stack.db)).toEqual(before);
      expect(await run.stack.db.collection(COLLECTIONS.syncJobs).countDocuments({ kind: 'window' })).toBe(windowsBefore);
    }, 5 * 60_000);
  });
}

/** Merges the write path recorded and no cron has carried out yet (store/buyerMerges.ts). */
const pendingMerges = (run: BackfillRun) => run.stack.db.collection(COLLECTIONS.buyerLinks).countDocuments({ _id: { $gte: 'merge:', $lt: 'merge;' } as never, state: 'pending' });

/** Fires the cron and waits until it has summarised both sources (what it does last), returning the summaries. */
async function cronRun(run: BackfillRun): Promise<WithId<Document>[]> {
  const asked = new Date();
  await run.stack.worker.runCron();
  const summaries = () => run.stack.db.collection(COLLECTIONS.syncJobs).find({ kind: 'source' }).toArray();
  await expect.poll(async () => (await summaries()).filter((s) => s.lastRunAt >= asked).length, { timeout: 30_000 }).toBe(SOURCES_ON.length);
  return summaries();
}
