import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readConfig, type Config } from '../../shared/config.ts';
import { advanceCheckpoint, firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import { pageOutcome } from '../../consumer/fetch/pageOutcome.ts';
import { readPage } from '../../consumer/fetch/readPage.ts';
import { findATender } from '../../shared/sources/findATender.ts';
import type { TimeRange } from '../../shared/sources/source.ts';
import { ukLocalReadings } from '../../shared/time/ukTime.ts';
import { planMonthWindows } from '../../shared/windows/planWindows.ts';
import { generateDataset, type SimRelease } from '../simulator/dataset.ts';
import { startSimulator, type Simulator } from '../simulator/server.ts';
import { formatUkIso } from '../simulator/ukTime.ts';

/**
 * FTS across both UK clock changes of two years, with the long-window defect on (a request over
 * 6 hours silently loses every 5th release): a release every minute through each night, the month
 * around it paged slice by slice as the fetch consumer does, and every release must come back.
 * The last case shows the check can fail: one 7-hour request does lose releases.
 */

/** Last Sundays of March and October: the clocks change at 01:00 UTC. */
const NIGHTS = ['2023-03-26', '2023-10-29', '2024-03-31', '2024-10-27'];
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** A release every minute from 12 hours before each change to 12 hours after. */
const EVERY_MINUTE = NIGHTS.flatMap((night, n) => {
  const change = Date.parse(`${night}T01:00:00Z`);
  return Array.from({ length: (24 * HOUR) / MINUTE }, (_, k) => ({ id: `${900_000 + n * 2_000 + k}-${night.slice(0, 4)}`, date: new Date(change - 12 * HOUR + k * MINUTE) }));
});
const windows = planMonthWindows('FIND_A_TENDER', new Date('2023-01-01'), new Date('2025-01-01')).filter((w) =>
  NIGHTS.some((night) => w.from <= new Date(night) && new Date(night) < w.to),
);

let simulator: Simulator;
let config: Config;
let served: SimRelease[];

beforeAll(async () => {
  const generated = generateDataset({ seed: 11, from: new Date('2023-03-01'), to: new Date('2024-11-01'), ftsPerDay: 10, cfPerDay: 0 });
  const template = generated.FIND_A_TENDER[0].release;
  const planted = EVERY_MINUTE.map(({ id, date }) => ({ id, notice: id, date, release: { ...template, id, date: formatUkIso(date) } }));
  served = [...generated.FIND_A_TENDER, ...planted];
  expect(new Set(served.map((r) => r.id)).size).toBe(served.length);
  simulator = await startSimulator({
    dataset: { FIND_A_TENDER: served, CONTRACTS_FINDER: [], PUBLIC_CONTRACTS_SCOTLAND: [] },
    rateLimit: { FIND_A_TENDER: { requests: 100_000, periodMs: 60_000 }, CONTRACTS_FINDER: { requests: 100_000, periodMs: 60_000 } },
    defectLongWindowLoss: true,
  });
  // A limit that no slice's count is a multiple of: a full last page would look like the missing
  // links.next defect and narrow the slice, and the slices asked would not be the planned ones.
  config = readConfig({ MONGODB_URI: 'mongodb://unused', FTS_API_URL: simulator.url, PAGE_LIMIT: '83' });
});
afterAll(() => simulator.close());
beforeEach(() => simulator.resetLog());

/** Pages a range by `links.next` from its first URL; returns the notice ids read. */
async function pageRange(firstUrl: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pages = 0;
  for (let url: string | null = firstUrl; url; pages++) {
    const page = await readFtsPage(url);
    ids.push(...page.ids);
    url = page.nextUrl;
  }
  return { ids, pages };
}

async function readFtsPage(url: string) {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  const page = await readPage(findATender, await response.arrayBuffer(), 'off');
  if (!page.ok) throw new Error(page.reason);
  expect(page.rejected).toEqual([]);
  return { ids: page.mapped.map((m) => m.contract.noticeId), nextUrl: page.nextUrl, outcome: pageOutcome(page) };
}

/** A window's slices and pages, with the checkpoint reducer, as the fetch consumer walks them. */
async function pageWindow(window: TimeRange): Promise<{ ids: string[]; events: string[] }> {
  const ids: string[] = [];
  const events: string[] = [];
  let checkpoint = firstCheckpoint(window, findATender.maxSliceMs);
  while (!checkpoint.complete) {
    const page = await readFtsPage(checkpoint.nextUrl ?? findATender.firstPageUrl(config, { from: checkpoint.sliceFrom, to: checkpoint.sliceTo }));
    ids.push(...page.ids);
    const advance = advanceCheckpoint(checkpoint, window, page.outcome, config.PAGE_LIMIT, findATender.maxSliceMs);
    if (advance.event) events.push(advance.event);
    checkpoint = advance.checkpoint;
  }
  return { ids, events };
}

const idsIn = (from: Date, to: Date) => served.filter((r) => r.date >= from && r.date < to).map((r) => r.id);

describe('FTS across the clock changes, long-window defect on', () => {
  it('the nights are clock changes', () => {
    for (const night of NIGHTS) {
      expect(ukLocalReadings(`${night}T01:30:00`), `${night} has a repeated or a skipped hour`).not.toHaveLength(1);
    }
    expect(windows.map((w) => w._id)).toEqual(['FIND_A_TENDER:2023-03', 'FIND_A_TENDER:2023-10', 'FIND_A_TENDER:2024-03', 'FIND_A_TENDER:2024-10']);
  });

  it('pages every month with a change and sees every release, each request at most 6 h however it is read', async () => {
    const seen = new Set<string>();
    const events: string[] = [];
    for (const window of windows) {
      const paged = await pageWindow(window);
      for (const id of paged.ids) seen.add(id);
      events.push(...paged.events);
    }

    const expected = windows.flatMap((w) => idsIn(w.from, w.to));
    const missing = expected.filter((id) => !seen.has(id));
    const everyMinuteMissing = EVERY_MINUTE.filter(({ id }) => !seen.has(id));
    expect({ missing: missing.length, everyMinuteMissing: everyMinuteMissing.length, firstMissing: everyMinuteMissing.slice(0, 3) }).toEqual({
      missing: 0,
      everyMinuteMissing: 0,
      firstMissing: [],
    });
    expect(seen.size).toBe(expected.length);
    expect(simulator.stats().faultsInjected.longWindowLoss ?? 0).toBe(0);

    // Not only as the simulator reads them (the BST instant of a repeated time): every first-page
    // request names one instant per bound and spans at most 6 h elapsed and on the wall clock.
    const firstPages = simulator.requests.filter((r) => r.query.updatedFrom !== undefined && r.query.cursor === undefined);
    expect(firstPages.length).toBeGreaterThan(4 * 120);
    for (const { query } of firstPages) {
      const [from, to] = [ukLocalReadings(query.updatedFrom), ukLocalReadings(query.updatedTo)];
      expect([from.length, to.length], `${query.updatedFrom}..${query.updatedTo}`).toEqual([1, 1]);
      expect(to[0].getTime() - from[0].getTime(), `${query.updatedFrom}..${query.updatedTo}`).toBeLessThanOrEqual(6 * HOUR);
      expect(Date.parse(`${query.updatedTo}Z`) - Date.parse(`${query.updatedFrom}Z`), `${query.updatedFrom}..${query.updatedTo}`).toBeLessThanOrEqual(6 * HOUR);
    }
    // No slice was narrowed, so the slices asked were the planned ones.
    expect(events).toEqual([]);
  });

  it('can fail: one 7-hour request over the autumn night loses releases', async () => {
    // Local 00:00 BST to 06:00 GMT, the request the old widening of the repeated hour sent.
    const query = new URLSearchParams({ updatedFrom: '2024-10-27T00:00:00', updatedTo: '2024-10-27T06:00:00', limit: '100' });
    const { ids, pages } = await pageRange(`${simulator.ftsUrl}?${query}`);
    const expected = idsIn(new Date('2024-10-26T23:00:00Z'), new Date('2024-10-27T06:00:00Z'));
    expect(expected.length).toBeGreaterThanOrEqual(7 * 60);
    expect(ids.length).toBeLessThan(expected.length);
    expect(simulator.stats().faultsInjected.longWindowLoss).toBe(pages);
  });
});
