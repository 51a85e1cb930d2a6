import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../shared/config.ts';
import { sources } from '../../shared/sources/sources.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { startSimulator, type Simulator } from '../simulator/server.ts';
import { pageToEnd } from './pageToEnd.ts';

/**
 * One test over every source adapter: plan a window's slices, page each to the end by links.next
 * with the checkpoint reducer, read and map every release. Real HTTP against the simulator; no
 * Worker, so a failure here points at the adapter or the paging, not the queues.
 */
const window = { from: new Date('2024-03-01T00:00:00Z'), to: new Date('2024-04-01T00:00:00Z') };
let simulator: Simulator;
let dataset: ReturnType<typeof generateDataset>;

beforeAll(async () => {
  dataset = generateDataset({ seed: 3, from: new Date('2024-02-01'), to: new Date('2024-05-01'), ftsPerDay: 40, cfPerDay: 40, pcsPerDay: 40 });
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
    const config = readConfig({ MONGODB_URI: 'mongodb://unused', FTS_API_URL: simulator.url, CF_API_URL: simulator.url, PCS_API_URL: simulator.url, PAGE_LIMIT: '50' });
    const { mapped, rejected, events } = await pageToEnd(source, config, window);
    expect(rejected).toEqual([]);
    const seen = mapped.map((m) => m.contract.releaseId);
    const expected = dataset[source.name].filter((r) => r.date >= window.from && r.date < window.to).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(1000);
    expect(new Set(seen)).toEqual(new Set(expected));
    expect(simulator.stats().faultsInjected.longWindowLoss ?? 0).toBe(0);
    if (source.name === 'FIND_A_TENDER') expect(events.join('\n')).toMatch(/without links.next/);
  });
});
