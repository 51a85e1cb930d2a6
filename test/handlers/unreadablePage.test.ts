import type { Db } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { produceSource } from '../../producer/produceSource.ts';
import { readConfig } from '../../shared/config.ts';
import { contractsFinder } from '../../shared/sources/contractsFinder.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { readSourceStatus } from '../../shared/store/sourceStatus.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import { firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import { generateDataset } from '../simulator/dataset.ts';
import type { Faults } from '../simulator/faults.ts';
import { indexReleases, releasesInWindow } from '../simulator/paging.ts';
import { startSimulator, type Simulator } from '../simulator/server.ts';
import { openTestDb } from '../stack/testDb.ts';
import { deliverAll } from './deliverAll.ts';
import { fakeEnv } from './fakeEnv.ts';

/**
 * A page that cannot be read, through the real handlers: the producer's step for Contracts Finder,
 * then the Worker's queue entry for every fetch and write message it and the consumers send. The
 * simulator and MongoDB are real; the platform edge is ./fakeEnv.ts.
 *
 * One Contracts Finder month (the previous one) at 10 releases a page. The page broken on purpose is
 * the second of the month's first 15-day slice, so the slice has pages after it: without the broken
 * page there is no links.next to them.
 */
const LIMIT = 10;
const monthStart = (monthsAgo: number): Date => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1));
};
const month = { from: monthStart(1), to: monthStart(0) };
const windowId = `CONTRACTS_FINDER:${month.from.toISOString().slice(0, 7)}`;
const releases = generateDataset({ seed: 5, from: month.from, to: month.to, ftsPerDay: 0, cfPerDay: 4 }).CONTRACTS_FINDER;
const firstSlice = firstCheckpoint(month, contractsFinder.maxSliceMs);
/** The first slice as the service pages it: newest first. */
const sliceReleases = releasesInWindow(indexReleases(releases), firstSlice.sliceFrom.getTime(), firstSlice.sliceTo.getTime());
const broken = sliceReleases[LIMIT + 3];
/** What no request can reach while the broken page stays unreadable: that page and the rest of its slice. */
const beyondReach = sliceReleases.slice(LIMIT).map((r) => r.id);
/** Of those, the releases whose notice no other request reaches either (a contract is a notice, at its newest version reached). */
const reachable = new Set(releases.filter((r) => !beyondReach.includes(r.id)).map((r) => r.notice));
const noticeBeyondReach = releases.filter((r) => beyondReach.includes(r.id) && !reachable.has(r.notice)).map((r) => r.id);

const running: { simulator: Simulator; close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const run of running.splice(0)) {
    await run.simulator.close();
    await run.close();
  }
});

/** Two cron runs (real clock), each followed by every message delivered: the first does the work, the second refreshes the summary. */
async function runPipeline(faults: Partial<Faults>) {
  const { db, uri, name, close } = await openTestDb('h_hole');
  const simulator = await startSimulator({
    dataset: { FIND_A_TENDER: [], CONTRACTS_FINDER: releases, PUBLIC_CONTRACTS_SCOTLAND: [] },
    rateLimit: { FIND_A_TENDER: { requests: 60_000, periodMs: 60_000 }, CONTRACTS_FINDER: { requests: 60_000, periodMs: 60_000 } },
  });
  running.push({ simulator, close });
  simulator.setFaults(faults);
  const env = fakeEnv({
    MONGODB_URI: uri,
    MONGODB_DB: name,
    CF_API_URL: simulator.url,
    CF_REQUESTS_PER_MINUTE: '60000',
    CF_START_DATE: month.from.toISOString().slice(0, 10),
    STORE_RAW: 'off',
    PAGE_LIMIT: String(LIMIT),
  });
  for (let run = 0; run < 2; run++) {
    await produceSource(env, readConfig(env), db, contractsFinder, new Date());
    await deliverAll(env);
  }
  expect([...env.FETCH_DLQ.sent, ...env.WRITE_DLQ.sent], 'dead letters').toEqual([]);
  const window = await windowsCollection(db).findOne({ _id: windowId });
  if (!window) throw new Error(`no window ${windowId}`);
  return { db, simulator, window, stored: await storedIds(db) };
}

/** The CF notices stored: a release is stored when its notice is (at it or at a newer version). */
async function storedIds(db: Db): Promise<Set<string>> {
  const contracts = await db.collection(COLLECTIONS.contracts).find({ source: 'CONTRACTS_FINDER' }, { projection: { noticeId: 1 } }).toArray();
  return new Set(contracts.map((c) => String(c.noticeId)));
}

/** Releases neither stored nor inside a hole the window records: lost without a trace. */
function silentlySkipped(window: WindowDoc, stored: Set<string>): string[] {
  const inHole = (date: Date) => window.checkpoint.holes.some((h) => date >= h.sliceFrom && date < h.sliceTo);
  return releases.filter((r) => !stored.has(r.notice) && !inHole(r.date)).map((r) => r.id);
}

describe('a page that cannot be read', () => {
  it('the month has pages after the broken one in its slice (else this file proves nothing)', () => {
    expect(sliceReleases.length).toBeGreaterThan(3 * LIMIT);
  });

  it('stays unreadable: the window records the hole and ends failed, nothing else is skipped, the status counts it', async () => {
    const { db, simulator, window, stored } = await runPipeline({ unreadablePage: { source: 'CONTRACTS_FINDER', releaseId: broken.id, count: 'always' } });

    // Never done while the hole is open: failed, started again until attempts ran out.
    expect(window).toMatchObject({ state: 'failed', attempts: 3, lastError: expect.stringMatching(/unreadable page/) });
    // The expected set is the simulator's data for the month, not what it served.
    expect(silentlySkipped(window, stored)).toEqual([]);
    expect(new Set(releases.filter((r) => !stored.has(r.notice)).map((r) => r.id))).toEqual(new Set(noticeBeyondReach));
    expect(window.checkpoint.holes).toEqual([
      { sliceFrom: firstSlice.sliceFrom, sliceTo: firstSlice.sliceTo, page: 1, pageUrl: expect.stringContaining('cursor='), reason: expect.stringMatching(/JSON/) },
    ]);
    const [hole] = window.checkpoint.holes;

    const quarantined = await db.collection(COLLECTIONS.quarantine).find({ windowId }).toArray();
    expect(quarantined).toMatchObject([{ source: 'CONTRACTS_FINDER', pageUrl: hole.pageUrl, reason: hole.reason }]);
    expect(quarantined[0].rawText.length).toBeGreaterThan(100);

    expect(await readSourceStatus(db, 'CONTRACTS_FINDER')).toMatchObject({ status: 'error', holes: { slices: 1, windows: [windowId] } });
    // Asked for on every attempt (the first and 3 restarts), with 2 more tries each time.
    expect(simulator.stats().faultsInjected.unreadablePage).toBe(4 * 3);
  });

  it.each([
    { cutOff: 2, attempts: 0, quarantined: 0, why: 'read on the third try' },
    { cutOff: 3, attempts: 1, quarantined: 1, why: 'a hole, filled when the window starts again' },
  ])('cut off $cutOff times, then whole: $why; every release stored and the window done', async ({ cutOff, attempts, quarantined }) => {
    const { db, window, stored } = await runPipeline({ unreadablePage: { source: 'CONTRACTS_FINDER', releaseId: broken.id, count: cutOff } });
    expect(releases.filter((r) => !stored.has(r.notice)).map((r) => r.id)).toEqual([]);
    expect(window).toMatchObject({ state: 'done', attempts, releasesWritten: releases.length, checkpoint: { holes: [] } });
    expect(await db.collection(COLLECTIONS.quarantine).countDocuments({ windowId })).toBe(quarantined);
    expect(await readSourceStatus(db, 'CONTRACTS_FINDER')).toMatchObject({ status: 'syncing', holes: { slices: 0, windows: [] } });
  });
});
