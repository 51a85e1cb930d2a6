import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { contractsFinder } from '../../shared/sources/contractsFinder.ts';
import { SOURCE_NAMES } from '../../shared/sources/sourceName.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import { planMonthWindows, startOfMonth } from '../../shared/windows/planWindows.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import type { Dataset } from '../simulator/dataset.ts';
import { indexReleases, releasesInWindow } from '../simulator/paging.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/localStack.ts';
import { waitForWindows } from '../../scripts/local/progress.ts';
import { applyEdits, badNumberEdits } from '../simulator/faults.ts';
import { packageHeader } from '../simulator/fixtures.ts';
import { daysAgo } from '../stack/history.ts';

/**
 * Bad input through the real consumers: a release that fails validation, a release too big for a
 * queue message, the known bad bytes, and a page that can never be parsed. Nothing is dropped:
 * the bad goes to quarantine with its reason, the huge is stored whole, the rest goes on, and what
 * the unreadable page hides is recorded as a hole on a window that is never done.
 */
let stack: LocalStack;
/** Fifty days of history: a fixed size, whatever the day of the month. */
const START = daysAgo(50);
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
  // The second page of the first slice of the longest CF month window, as the service pages it: the
  // month windows end on the first of this month, so the longest spans 20 days at least, and its
  // first slice 15 (about 60 releases).
  const months = planMonthWindows('CONTRACTS_FINDER', new Date(START), startOfMonth(new Date()));
  const longest = months.reduce((a, b) => (b.to.getTime() - b.from.getTime() > a.to.getTime() - a.from.getTime() ? b : a));
  const slice = firstCheckpoint(longest, contractsFinder.maxSliceMs);
  const paged = releasesInWindow(indexReleases(dataset.CONTRACTS_FINDER), slice.sliceFrom.getTime(), slice.sliceTo.getTime());
  unreadableId = paged[PAGE_LIMIT + 3].id;
  beyondReach = paged.slice(PAGE_LIMIT).map((r) => r.id);
}


beforeAll(async () => {
  stack = await startLocalStack({
    startDates: { fts: START, cf: START },
    perDay: { fts: 4, cf: 4 },
    seed: 11,
    requestsPerMinute: 1200,
    mongoUri: inject('mongoUri'),
    quiet: true,
    editDataset: plantBadReleases,
    workerVars: { PAGE_LIMIT: String(PAGE_LIMIT), DELTA_TICK_MINUTES: '0' },
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

  it('stores the releases of the pages that had bad bytes with the repaired values, and quarantines none of them', async () => {
    // A page's releases as the pipeline must store them: the simulator's bad numbers read the way
    // UPSTREAM.md says, ` 000` as 0 (as OCP does) and `1e9999`, no number a double holds, as null.
    const repairedAsUpstreamSays = (releases: unknown[]): unknown[] => {
      const text = JSON.stringify(releases);
      const edits = badNumberEdits(text).map((edit) => ({ ...edit, text: edit.text === ' 000' ? '0' : 'null' }));
      return JSON.parse(applyEdits(text, edits)) as unknown[];
    };
    const damaged = stack.simulator!.requests.filter((r) => r.source === 'FIND_A_TENDER' && r.fault?.split(',').includes('badBytes'));
    expect(damaged.length).toBeGreaterThan(0);
    const fts = new Map(stack.dataset!.FIND_A_TENDER.map((r) => [r.id, r.release]));
    const invalidOcid = fts.get(invalidId)?.ocid;
    // The simulator damages the first numbers of the whole body: none may sit in the package header.
    expect(badNumberEdits(JSON.stringify(packageHeader('ftsSearch')))).toEqual([]);
    const pageKey = (path: string, query: URLSearchParams) => `${path}?${query}`;
    const quarantined = await stack.db.collection(COLLECTIONS.quarantine).find({ source: 'FIND_A_TENDER' }).toArray();
    for (const page of damaged) {
      const served = page.releaseIds.map((id) => fts.get(id));
      const repaired = repairedAsUpstreamSays(served);
      expect(repaired, 'the damage changed a value').not.toEqual(served);
      const ids = page.releaseIds.filter((id) => id !== invalidId);
      const stored = await stack.db.collection(COLLECTIONS.contracts).find({ source: 'FIND_A_TENDER', noticeId: { $in: ids } }, { projection: { noticeId: 1, rawData: 1 } }).toArray();
      const rawById = new Map(stored.map((c) => [c.noticeId as string, c.rawData]));
      expect(ids.map((id) => rawById.get(id))).toEqual(ids.map((id) => repaired[page.releaseIds.indexOf(id)]));
      // Nothing of the page in quarantine (the planted invalid release aside: its own test).
      const url = pageKey(page.path, new URLSearchParams(page.query));
      const ofPage = quarantined.filter((q) => pageKey(new URL(q.pageUrl).pathname, new URL(q.pageUrl).searchParams) === url);
      expect(ofPage.filter((q) => q.release?.ocid !== invalidOcid)).toEqual([]);
    }
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
      const expected = stack.dataset![source].filter((r) => inWindow(r.date));
      // A release is stored when its notice is (one contract per notice, at its newest version stored).
      const stored = new Set((await stack.db.collection(COLLECTIONS.contracts).find({ source }, { projection: { noticeId: 1 } }).toArray()).map((c) => c.noticeId));
      const notStored = expected.filter((r) => !stored.has(r.notice)).map((r) => r.id);
      const reachable = new Set(expected.filter((r) => !beyondReach.includes(r.id)).map((r) => r.notice));
      const noticeBeyondReach = expected.filter((r) => beyondReach.includes(r.id) && !reachable.has(r.notice)).map((r) => r.id);
      expect(new Set(notStored), source).toEqual(new Set(source === 'FIND_A_TENDER' ? [invalidId] : noticeBeyondReach));
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
