import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../shared/config.ts';
import { sources } from '../../shared/sources/sources.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { startSimulator, type Simulator } from '../simulator/server.ts';
import { pageToEnd } from './pageToEnd.ts';

/**
 * The FTS defect of 2026 at its worst, for each source: every page that has a next page is sent
 * without `links.next`. Paged as the fetch consumer does, each slice is walked down below each
 * page's oldest release: every release of the window is seen, none twice but those in the second
 * just below a narrowed bound, and no URL is asked twice.
 */
const window = { from: new Date('2024-03-04T00:00:00Z'), to: new Date('2024-03-07T00:00:00Z') };
const PAGE_LIMIT = 20;
let simulator: Simulator;
let dataset: ReturnType<typeof generateDataset>;

beforeAll(async () => {
  dataset = generateDataset({ seed: 5, from: new Date('2024-03-01'), to: new Date('2024-03-10'), ftsPerDay: 300, cfPerDay: 300 });
  simulator = await startSimulator({
    dataset,
    rateLimit: { FIND_A_TENDER: { requests: 100_000, periodMs: 60_000 }, CONTRACTS_FINDER: { requests: 100_000, periodMs: 60_000 } },
  });
});
afterAll(() => simulator.close());

// A whole-month source (PCS) has no pages to link: its answer is the whole request.
describe.each(Object.values(sources).filter((source) => !source.wholeMonths))('$name, links.next missing from every page', (source) => {
  it('sees every release of the window and asks no URL twice', async () => {
    simulator.resetLog();
    simulator.setFaults({ missingNextLink: { source: source.name, count: Number.MAX_SAFE_INTEGER } });
    const config = readConfig({ MONGODB_URI: 'mongodb://unused', FTS_API_URL: simulator.url, CF_API_URL: simulator.url, PAGE_LIMIT: String(PAGE_LIMIT) });

    const { mapped, rejected, events } = await pageToEnd(source, config, window);

    expect(rejected).toEqual([]);
    const expected = dataset[source.name].filter((r) => r.date >= window.from && r.date < window.to).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(10 * PAGE_LIMIT);
    const seen = mapped.map((m) => m.contract.releaseId);
    expect(new Set(seen)).toEqual(new Set(expected));
    // Seen twice only when in the second just below a narrowed bound (asked again on purpose).
    const bounds = new Set(events.flatMap((e) => /slice now \S+\.\.(\S+)$/.exec(e)?.[1] ?? []));
    const seenTwice = dataset[source.name].filter((r) => seen.indexOf(r.id) !== seen.lastIndexOf(r.id));
    expect(seenTwice.length).toBeGreaterThan(0);
    expect(seenTwice.filter((r) => !bounds.has(new Date(Math.floor(r.date.getTime() / 1000) * 1000 + 1000).toISOString())).map((r) => r.id)).toEqual([]);

    const asked = simulator.requests.filter((r) => r.source === source.name).map((r) => `${r.path}?${new URLSearchParams(r.query)}`);
    expect(asked.length).toBeGreaterThan(expected.length / PAGE_LIMIT);
    expect(asked.filter((url, i) => asked.indexOf(url) !== i)).toEqual([]);
    // The fault was on throughout: no page came with a next link to follow.
    expect(simulator.requests.filter((r) => r.query.cursor !== undefined)).toEqual([]);
    expect(events.filter((e) => e.includes('continuing below its oldest release')).length).toBeGreaterThanOrEqual(expected.length / PAGE_LIMIT - 1);
    expect(events.filter((e) => e.includes('nothing to continue below'))).toEqual([]);
  });
});
