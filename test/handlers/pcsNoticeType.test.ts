import { describe, expect, it } from 'vitest';
import { produce } from '../../producer/scheduled.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { PCS_NOTICE_TYPES } from '../../shared/sources/pcs/noticeTypes.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { deliverAll } from './deliverAll.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * The fetch consumer tells the mapping which notice type a Public Contracts Scotland page was
 * asked for (the release does not say): cron, fetch and write handlers against the simulator's
 * `/v1/Notices`, whose Quick Quote awards (104) are published here as the brief fears they may be,
 * with the tender still active and no award block. Each is stored AWARDED, and every PCS contract
 * named by the type its page listed.
 */
const PCS = 'PUBLIC_CONTRACTS_SCOTLAND';
const generated = generateDataset({ seed: 104, from: new Date('2024-02-01T00:00:00Z'), to: new Date('2024-03-10T00:00:00Z'), ftsPerDay: 0, cfPerDay: 0, pcsPerDay: 3, real: 'none' });
const withoutAwardBlock = (release: Record<string, unknown>) => {
  const { awards: _awards, ...rest } = release;
  return { ...rest, tag: ['tender'], tender: { ...(release.tender as object), status: 'active' } };
};
const dataset = { ...generated, [PCS]: generated[PCS].map((r) => (r.noticeType === 104 ? { ...r, release: withoutAwardBlock(r.release) } : r)) };
const stack = handlerStack({ prefix: 'h_pcstype', upstream: { dataset }, vars: { FTS_START_DATE: '2024-03-01', CF_START_DATE: '2024-03-01', PCS_START_DATE: '2024-02-01', PCS_ENABLED: 'true' } });

describe('PCS notices stored by the notice type their page was asked for', () => {
  it('a Quick Quote award (104) without an award block is AWARDED; each contract carries its type\'s name', async () => {
    for (let run = 0; run < 20 && (run === 0 || stack.env.FETCH_QUEUE.sent.length > 0); run++) {
      await produce(stack.env, new Date('2024-03-10T12:00:00Z'));
      stack.env.FETCH_QUEUE.takeWhere((m) => (m.body as { type?: string }).type === 'tick');
      await deliverAll(stack.env);
    }

    const quickQuotes = dataset[PCS].filter((r) => r.noticeType === 104);
    expect(quickQuotes.length).toBeGreaterThan(5);
    const stored = await stack.db.collection(COLLECTIONS.contracts).find({ source: PCS }, { projection: { noticeId: 1, noticeType: 1, status: 1 } }).toArray();
    expect(stored).toHaveLength(dataset[PCS].length);
    const byNotice = new Map(stored.map((c) => [String(c.noticeId), c]));
    for (const release of quickQuotes) expect(byNotice.get(release.notice)?.status, release.notice).toBe('AWARDED');
    for (const release of dataset[PCS]) expect(byNotice.get(release.notice)?.noticeType, release.notice).toBe(PCS_NOTICE_TYPES[Number(release.noticeType)]!.name);
  });
});
