import { describe, expect, it } from 'vitest';
import { produce } from '../../producer/scheduled.ts';
import { mergeDocId } from '../../shared/store/buyerMerges.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { makeMappedRelease, makeWriteMessage } from '../factories.ts';
import { expectBuyersExact } from '../stack/expectations.ts';
import { callWorker } from './callWorker.ts';
import { deliverAll } from './deliverAll.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * The hourly run carries out the buyer merges the write consumer found (producer/scheduled.ts →
 * mergeBuyers): two entries of Durham County Council, written through the write queue under ids
 * no name joins, become one when a release gives both ids, at the cron's next run and not before.
 * (test/integration/buyerMerges.test.ts covers the merge itself: locked fields, reruns, unmerge.)
 */
const stack = handlerStack({ prefix: 'h_merge', vars: { WRITE_CHUNK_SIZE: '20', FTS_START_DATE: '2026-01-01', CF_START_DATE: '2026-01-01' } });

const release = (n: number, orgId: string, name: string, identifiers?: string[]) =>
  makeMappedRelease({
    contract: { noticeId: `${String(800_000 + n)}-2026`, buyerOrg: orgId, buyerName: name, releaseDate: new Date(Date.UTC(2026, 0, 1 + n)).toISOString() },
    buyer: { ...(identifiers && { identifiers }) },
  });

/** The registry's size as GET /status reports it: a merged-away entry's tombstone is not a buyer. */
const buyersOnStatus = async () => ((await callWorker(stack.env, 'GET', '/status')).body.counts as { buyers: number }).buyers;

const live = async () => (await stack.db.collection(COLLECTIONS.buyers).find({ mergedInto: { $exists: false } }).sort({ _id: 1 }).toArray()).map((b) => [b._id, b.contractCount]);

describe('the hourly run merges buyers', () => {
  it('two entries stay apart until a release joins them, then the cron makes them one with exact counts', async () => {
    await stack.env.WRITE_QUEUE.send(makeWriteMessage({ releases: [release(1, 'GB-LAE-DUR', 'Durham County Council'), release(2, 'GB-LAE-DUR', 'Durham County Council')] }));
    await stack.env.WRITE_QUEUE.send(makeWriteMessage({ releases: [release(3, 'GB-PPON-DURH-0001-AAAA', 'Durham CC')], part: 1 }));
    await deliverAll(stack.env);
    expect(await live()).toEqual([['GB-LAE-DUR', 2], ['GB-PPON-DURH-0001-AAAA', 1]]);

    await stack.env.WRITE_QUEUE.send(makeWriteMessage({ releases: [release(4, 'GB-LAE-DUR', 'Durham County Council', ['GB-PPON-DURH-0001-AAAA'])], part: 2 }));
    await deliverAll(stack.env);
    expect(await stack.db.collection(COLLECTIONS.buyerLinks).findOne({ _id: mergeDocId('GB-PPON-DURH-0001-AAAA') as never })).toMatchObject({ to: 'GB-LAE-DUR', state: 'pending' });
    expect(await live()).toEqual([['GB-LAE-DUR', 3], ['GB-PPON-DURH-0001-AAAA', 1]]);
    expect(await buyersOnStatus()).toBe(2);

    await produce(stack.env, new Date());
    expect(await live()).toEqual([['GB-LAE-DUR', 4]]);
    expect(await buyersOnStatus()).toBe(1);
    expect(await stack.db.collection(COLLECTIONS.contracts).distinct('buyerOrg')).toEqual(['GB-LAE-DUR']);
    expect(await stack.db.collection(COLLECTIONS.buyerLinks).findOne({ _id: mergeDocId('GB-PPON-DURH-0001-AAAA') as never })).toMatchObject({ state: 'done' });
    await expectBuyersExact(stack.db);
  });
});
