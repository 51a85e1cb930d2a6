import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../shared/config.ts';
import { advanceCheckpoint, firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import { readPage } from '../../consumer/fetch/readPage.ts';
import { sources } from '../../shared/sources/sources.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { startSimulator, type Simulator } from '../simulator/server.ts';

/**
 * One test over every source adapter: plan a window's slices, page each to the end by links.next
 * with the checkpoint reducer, read and map every release. Real HTTP against the simulator; no
 * Worker, so a failure here points at the adapter or the paging, not the queues.
 */
const window = { from: new Date('2024-03-01T00:00:00Z'), to: new Date('2024-04-01T00:00:00Z') };
let simulator: Simulator;
let dataset: ReturnType<typeof generateDataset>;

beforeAll(async () => {
  dataset = generateDataset({ seed: 3, from: new Date('2024-02-01'), to: new Date('2024-05-01'), ftsPerDay: 40, cfPerDay: 40 });
  simulator = await startSimulator({
    dataset,
    rateLimit: { FIND_A_TENDER: { requests: 100_000, periodMs: 60_000 }, CONTRACTS_FINDER: { requests: 100_000, periodMs: 60_000 } },
    // On: the adapters' slices must be short enough never to meet it.
    defectLongWindowLoss: true,
  });
  simulator.setFaults({ missingNextLink: { source: 'FIND_A_TENDER', count: 1 } });
});
afterAll(() => simulator.close());

describe.each(Object.values(sources))('$name adapter', (source) => {
  it('pages a month to the end and maps every release in it once', async () => {
    const config = readConfig({ MONGODB_URI: 'mongodb://unused', FTS_API_URL: simulator.url, CF_API_URL: simulator.url, PAGE_LIMIT: '50' });
    let checkpoint = firstCheckpoint(window, source.maxSliceMs);
    const seen: string[] = [];
    const events: string[] = [];
    while (!checkpoint.complete) {
      const url = checkpoint.nextUrl ?? source.firstPageUrl(config, { from: checkpoint.sliceFrom, to: checkpoint.sliceTo });
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
      const page = await readPage(source, await response.arrayBuffer(), 'off');
      if (!page.ok) throw new Error(page.reason);
      expect(page.rejected).toEqual([]);
      seen.push(...page.mapped.map((m) => m.contract.noticeId));
      const advance = advanceCheckpoint(checkpoint, window, { releases: page.releaseCount, nextUrl: page.nextUrl }, config.PAGE_LIMIT, source.maxSliceMs);
      if (advance.event) events.push(advance.event);
      checkpoint = advance.checkpoint;
    }
    const expected = dataset[source.name].filter((r) => r.date >= window.from && r.date < window.to).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(1000);
    expect(new Set(seen)).toEqual(new Set(expected));
    expect(simulator.stats().faultsInjected.longWindowLoss ?? 0).toBe(0);
    if (source.name === 'FIND_A_TENDER') expect(events.join('\n')).toMatch(/without links.next/);
  });
});
