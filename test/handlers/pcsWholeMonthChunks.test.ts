import { describe, expect, it } from 'vitest';
import { produce } from '../../producer/scheduled.ts';
import { WHOLE_MONTH_CHUNK } from '../../consumer/fetch/sendAnswer.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { deliverAll } from './deliverAll.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * A Public Contracts Scotland answer is a whole month of one notice type; one of more than a
 * chunk's releases (sendAnswer.ts) is read, compared and sent a chunk at a time. Cron, fetch and
 * write handlers against the simulator: every notice of a February of ~450 is stored once (its
 * busiest type, 200 or so in one answer, in chunks whose parts are numbered on, so none overwrites
 * another's), and the next hour's re-read of that month, the copy unchanged, writes nothing.
 */
const PCS = 'PUBLIC_CONTRACTS_SCOTLAND';
const dataset = generateDataset({ seed: 7, from: new Date('2024-02-01T00:00:00Z'), to: new Date('2024-03-01T00:00:00Z'), ftsPerDay: 0, cfPerDay: 0, pcsPerDay: 16, real: 'none' });
const stack = handlerStack({ prefix: 'h_pcschunk', upstream: { dataset }, vars: { FTS_START_DATE: '2024-03-01', CF_START_DATE: '2024-03-01', PCS_START_DATE: '2024-02-01', PCS_ENABLED: 'true' } });

async function cronAndDeliver(now: Date): Promise<number> {
  let writes = 0;
  for (let run = 0; run < 20 && (run === 0 || stack.env.FETCH_QUEUE.sent.length > 0); run++) {
    await produce(stack.env, now);
    stack.env.FETCH_QUEUE.takeWhere((m) => (m.body as { type?: string }).type === 'tick');
    await deliverAll(stack.env, (bodies) => (writes += bodies.length));
  }
  return writes;
}

describe('a whole-month PCS answer larger than a chunk', () => {
  it('stores every notice once, its parts numbered on across chunks; the re-read of an unchanged month writes nothing', async () => {
    const busiest = Math.max(...[101, 102, 103, 104].map((type) => dataset[PCS].filter((r) => r.noticeType === type).length));
    expect(busiest).toBeGreaterThan(WHOLE_MONTH_CHUNK);

    expect(await cronAndDeliver(new Date('2024-03-03T12:00:00Z'))).toBeGreaterThan(0);
    const stored = await stack.db.collection(COLLECTIONS.contracts).find({ source: PCS }, { projection: { releaseId: 1 } }).toArray();
    expect(stored.map((c) => c.releaseId).sort()).toEqual(dataset[PCS].map((r) => r.id).sort());
    // The month's backfill window (its re-read, planned by the same cron, may have written some too).
    const parts = await stack.db.collection(COLLECTIONS.windowParts).find({ windowId: 'PUBLIC_CONTRACTS_SCOTLAND:2024-02' }).toArray();
    expect(parts.reduce((n, p) => n + (p.releases as number), 0)).toBe(dataset[PCS].length);

    // The next hour: February is read again (the first week of March); the copy holds all of it.
    expect(await cronAndDeliver(new Date('2024-03-03T13:00:00Z'))).toBe(0);
  });
});
