import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { contractsFinder } from '../../shared/sources/contractsFinder.ts';
import { SOURCE_NAMES } from '../../shared/sources/sourceName.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import type { Dataset } from '../simulator/dataset.ts';
import { indexReleases, releasesInWindow } from '../simulator/paging.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/localStack.ts';
import { waitForWindows } from '../../scripts/local/progress.ts';

/**
 * Bad input through the real consumers: a release that fails validation, a release too big for a
 * queue message, the known bad bytes, and a page that can never be parsed. Nothing is dropped:
 * the bad goes to quarantine with its reason, the huge is stored whole, the rest goes on, and what
 * the unreadable page hides is recorded as a hole on a window that is never done.
 */
let stack: LocalStack;
let invalidId = '';
let hugeId = '';
const HUGE_DESCRIPTION = 'A very long specification. '.repeat(8_000); // ~216 KB
/** Small pages, so the CF slice with the unreadable page has pages after it. */
const PAGE_LIMIT = 20;
let unreadableId = '';
/** The unreadable page and the rest of its slice: no request can reach them. */
let beyondReach: string[] = [];

function plantBadReleases(dataset: Dataset): void {
  const fts = dataset.FIND_A_TENDER;
  const invalid = fts[Math.floor(fts.length / 3)];
  invalidId = invalid.id;
  delete invalid.release.id;
  const huge = fts[Math.floor((fts.length * 2) / 3)];
  hugeId = huge.id;
  (huge.release.tender as Record<string, unknown>).description = HUGE_DESCRIPTION;
  // The second page of the first slice of the CF month window, as the service pages it.
  const month = { from: new Date(`${monthStart(1)}T00:00:00Z`), to: new Date(`${monthStart(0)}T00:00:00Z`) };
  const slice = firstCheckpoint(month, contractsFinder.maxSliceMs);
  const paged = releasesInWindow(indexReleases(dataset.CONTRACTS_FINDER), slice.sliceFrom.getTime(), slice.sliceTo.getTime());
  unreadableId = paged[PAGE_LIMIT + 3].id;
  beyondReach = paged.slice(PAGE_LIMIT).map((r) => r.id);
}

const monthStart = (monthsAgo: number): string => {
  const date = new Date();
  date.setUTCMonth(date.getUTCMonth() - monthsAgo, 1);
  return date.toISOString().slice(0, 10);
};

beforeAll(async () => {
  stack = await startLocalStack({
    startDates: { fts: monthStart(1), cf: monthStart(1) },
    perDay: { fts: 8, cf: 4 },
    seed: 11,
    requestsPerMinute: 1200,
    mongoUri: inject('mongoUri'),
    quiet: true,
    editDataset: plantBadReleases,
    workerVars: { PAGE_LIMIT: String(PAGE_LIMIT) },
    // The known bad bytes on FTS pages (repaired).
    faults: { badBytes: { source: 'FIND_A_TENDER', count: 5 } },
  });
  // A CF page cut off on every request, on every attempt at its window.
  stack.simulator!.setFaults({ unreadablePage: { source: 'CONTRACTS_FINDER', releaseId: unreadableId, count: 'always' } });
  await stack.worker.runCron();
  await waitForWindows(stack.db, { until: 'closed', timeoutMs: 8 * 60_000, onIdle: () => stack.worker.runCron() });
}, 10 * 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('bad input is kept with its reason, and the rest of the page goes on', () => {
  it('quarantines the release that fails validation, with the release itself', async () => {
    const quarantined = await stack.db.collection(COLLECTIONS.quarantine).find({ source: 'FIND_A_TENDER' }).toArray();
    expect(quarantined).toHaveLength(1);
    expect(quarantined[0].reason).toMatch(/invalid release: .*id/);
    expect(quarantined[0].release.ocid).toBeDefined();
    expect(quarantined[0].pageUrl).toContain('/api/1.0/ocdsReleasePackages');
    expect(await stack.db.collection(COLLECTIONS.contracts).countDocuments({ noticeId: invalidId })).toBe(0);
  });

  it('stores a release too big for a queue message whole', async () => {
    const contract = await stack.db.collection(COLLECTIONS.contracts).findOne({ source: 'FIND_A_TENDER', noticeId: hugeId });
    expect(contract?.description).toBe(HUGE_DESCRIPTION.trim());
    expect(contract?.rawData.tender.description).toBe(HUGE_DESCRIPTION);
  });

  it('repairs the known bad bytes instead of quarantining them', () => {
    expect(stack.simulator!.stats().faultsInjected.badBytes).toBeGreaterThan(0);
  });

  it('quarantines a page that can never be parsed, raw, and leaves its window failed with the hole, never done', async () => {
    const quarantined = await stack.db.collection(COLLECTIONS.quarantine).find({ source: 'CONTRACTS_FINDER' }).toArray();
    expect(quarantined).toHaveLength(1);
    const [page] = quarantined;
    expect(page.reason).toMatch(/JSON|parse|Unexpected|Unterminated/i);
    expect(page.rawText.length).toBeGreaterThan(100);
    const window = await stack.db.collection<WindowDoc>(COLLECTIONS.syncJobs).findOne({ _id: page.windowId });
    // Started again after each failure until attempts ran out: the page never read.
    expect(window).toMatchObject({ state: 'failed', attempts: 3, lastError: expect.stringMatching(/unreadable page left a hole/) });
    expect(window?.checkpoint.holes).toMatchObject([{ page: 1, pageUrl: page.pageUrl, reason: page.reason }]);
  });

  it('stores every release of every window, except the invalid one and what only the unreadable page leads to', async () => {
    const windows = await stack.db.collection<WindowDoc>(COLLECTIONS.syncJobs).find({ kind: 'window' }).toArray();
    for (const source of SOURCE_NAMES) {
      // The expected set is the data the simulator holds for the windows, not what it served.
      const inWindow = (date: Date) => windows.some((w) => w.source === source && date >= w.from && date < w.to);
      const expected = stack.dataset![source].filter((r) => inWindow(r.date)).map((r) => r.id);
      const stored = new Set((await stack.db.collection(COLLECTIONS.contracts).find({ source }, { projection: { noticeId: 1 } }).toArray()).map((c) => c.noticeId));
      const notStored = expected.filter((id) => !stored.has(id));
      expect(new Set(notStored), source).toEqual(new Set(source === 'FIND_A_TENDER' ? [invalidId] : beyondReach));
    }
    expect(beyondReach.length).toBeGreaterThan(PAGE_LIMIT);
  });

  it('every release not stored from CF lies in a hole its window records', async () => {
    const windows = await stack.db.collection<WindowDoc>(COLLECTIONS.syncJobs).find({ kind: 'window', source: 'CONTRACTS_FINDER' }).toArray();
    const holes = windows.flatMap((w) => w.checkpoint.holes);
    const unaccounted = stack.dataset!.CONTRACTS_FINDER.filter((r) => beyondReach.includes(r.id) && !holes.some((h) => r.date >= h.sliceFrom && r.date < h.sliceTo));
    expect(unaccounted.map((r) => r.id)).toEqual([]);
  });

  it('GET /status names the window with the hole and counts it in slices', async () => {
    const window = (await stack.db.collection(COLLECTIONS.quarantine).findOne({ source: 'CONTRACTS_FINDER' }))?.windowId;
    const cfStatus = async () => {
      await stack.worker.runCron();
      const body = (await (await fetch(`${stack.worker.url}/status`)).json()) as { sources: { source: string }[] };
      return body.sources.find((s) => s.source === 'CONTRACTS_FINDER');
    };
    await expect.poll(cfStatus, { timeout: 40_000, interval: 5_000 }).toMatchObject({ status: 'error', holes: { slices: 1, windows: [window] } });
  });
});
