import type { MappedRelease } from '../../../shared/mapping/mappedRelease.ts';
import * as v from 'valibot';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readConfig } from '../../../shared/config.ts';
import { planDeltaWindow, planMonthWindows } from '../../../shared/windows/planWindows.ts';
import { pageToEnd } from '../pageToEnd.ts';
import { sampleTenders } from './sampleTenders.ts';
import { startSampleTenders, type SampleTendersServer } from './sampleTendersServer.ts';

/**
 * A source is one adapter file: a made-up third one, unknown to the registry, goes through the
 * shared planning, paging (checkpoint reducer, links.next) and mapping, passed in explicitly.
 */
let server: SampleTendersServer;
beforeAll(async () => {
  server = await startSampleTenders(new Date('2026-09-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z'));
});
afterAll(() => server.close());

it('plans, pages to the end and maps every release of a source the registry does not know', async () => {
  const config = { ...readConfig({ MONGODB_URI: 'mongodb://unused', PAGE_LIMIT: '10' }), ...v.parse(sampleTenders.settings, { SAMPLE_API_URL: server.url }) };
  // As the producer plans: months from the start date to the month it first ran, then a delta to now.
  const firstRun = new Date('2026-10-01T00:00:00Z');
  const windows = [
    ...planMonthWindows(sampleTenders.name, sampleTenders.startDate(config), firstRun),
    planDeltaWindow(sampleTenders.name, firstRun, new Date('2026-11-01T00:05:00Z'), 15 * 60_000)!,
  ];
  expect(windows.map((w) => w._id)).toEqual(['SAMPLE_TENDERS:2026-09', 'SAMPLE_TENDERS:delta:2026-10-01T00:00:00.000Z']);

  const mapped: MappedRelease[] = [];
  for (const window of windows) {
    const paged = await pageToEnd(sampleTenders, config, window);
    expect(paged.rejected).toEqual([]);
    expect(paged.events).toEqual([]);
    mapped.push(...paged.mapped);
  }

  // Every release, each mapped by the adapter's rules; one dated in the delta window's overlap with
  // the month (planned so: deltas overlap by 15 minutes) is paged by both, and stored once.
  expect(server.releases.length).toBeGreaterThan(200);
  expect([...new Set(mapped.map((m) => m.contract.releaseId))].sort()).toEqual(server.releases.map((r) => r.id).sort());
  const [month, delta] = windows;
  const pagedTwice = server.releases.filter((r) => mapped.filter((m) => m.contract.releaseId === r.id).length > 1);
  for (const r of pagedTwice) expect(new Date(r.date) >= delta.from && new Date(r.date) < month.to, `${r.id} at ${r.date}`).toBe(true);
  const byId = new Map(server.releases.map((r) => [r.id, r]));
  for (const { contract } of mapped) {
    const release = byId.get(contract.releaseId)!;
    // The adapter names the notice: `N1000-v1` is version 1 of notice N1000.
    const notice = release.id.replace(/-v1$/, '');
    expect(contract).toMatchObject({
      _id: `SAMPLE_TENDERS:${notice}`,
      source: 'SAMPLE_TENDERS',
      noticeId: notice,
      releaseOrder: `${release.date}#000000000001`,
      sourceUrl: `https://tenders.example/notices/${notice}`,
      noticeType: release.tag.join('+'),
      publishedDate: release.summaryPublished,
      releaseDate: release.date,
    });
  }

  // Its own URL shape: one first page per 7-day slice (5 in September, 5 in October), the rest by links.next.
  const firstPages = server.requests.filter((url) => !url.searchParams.has('page'));
  expect(firstPages).toHaveLength(10);
  for (const url of firstPages) expect([...url.searchParams.keys()]).toEqual(['since', 'until', 'size']);
  expect(server.requests.length).toBeGreaterThan(firstPages.length + 10);
});
