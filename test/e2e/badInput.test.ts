import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { Dataset } from '../simulator/dataset.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/localStack.ts';
import { waitForWindows } from '../../scripts/local/progress.ts';
import { applyEdits, badNumberEdits } from '../simulator/faults.ts';
import { packageHeader } from '../simulator/fixtures.ts';

/**
 * Bad input through the real consumers: a release that fails validation, a release too big for a
 * queue message, the known bad bytes, and a page that cannot be parsed at all. Nothing is dropped:
 * the bad goes to quarantine with its reason, the huge is stored whole, the rest goes on.
 */
let stack: LocalStack;
let invalidId = '';
let hugeId = '';
const HUGE_DESCRIPTION = 'A very long specification. '.repeat(8_000); // ~216 KB

function plantBadReleases(dataset: Dataset): void {
  const fts = dataset.FIND_A_TENDER;
  const invalid = fts[Math.floor(fts.length / 3)];
  invalidId = invalid.id;
  delete invalid.release.id;
  const huge = fts[Math.floor((fts.length * 2) / 3)];
  hugeId = huge.id;
  (huge.release.tender as Record<string, unknown>).description = HUGE_DESCRIPTION;
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
    // The known bad bytes on FTS pages (repaired), and three cut-off CF bodies in a row: one page
    // stays unreadable after its two extra tries and is quarantined with its raw text.
    faults: { badBytes: { source: 'FIND_A_TENDER', count: 5 }, truncatedBody: { source: 'CONTRACTS_FINDER', count: 3 } },
  });
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

  it('quarantines a page that cannot be parsed, raw, and does not report its window clean', async () => {
    const [page] = await stack.db.collection(COLLECTIONS.quarantine).find({ source: 'CONTRACTS_FINDER' }).toArray();
    expect(page.reason).toMatch(/JSON|parse|Unexpected|Unterminated/i);
    expect(page.rawText.length).toBeGreaterThan(100);
    const window = await stack.db.collection(COLLECTIONS.syncJobs).findOne({ _id: page.windowId });
    expect(window).toMatchObject({ state: 'done', quarantined: 1 });
    expect(window?.events.join('\n')).toMatch(/unreadable page quarantined/);
  });

  it('stores every other release that was served whole', async () => {
    const stats = stack.simulator!.stats();
    for (const source of ['FIND_A_TENDER', 'CONTRACTS_FINDER'] as const) {
      const expected = stats.servedReleaseIds[source].filter((id) => id !== invalidId);
      const stored = await stack.db.collection(COLLECTIONS.contracts).find({ source }, { projection: { noticeId: 1 } }).toArray();
      expect(new Set(stored.map((c) => c.noticeId))).toEqual(new Set(expected));
    }
  });
});
