import { MongoNetworkError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { outageDelaySeconds } from '../../consumer/backoff.ts';
import { consumeTogether } from '../../consumer/consumeTogether.ts';
import { WriteMessageSchema } from '../../shared/queue/messages.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import worker from '../../worker.ts';
import { makeMappedRelease, makeWriteMessage } from '../factories.ts';
import { decisionsOf, fakeBatch } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { monthWindow, recordWindow } from './recordWindow.ts';

/**
 * The `write` queue through the Worker's entry (worker.queue), on a real MongoDB-compatible server:
 * parts land in contracts, buyers and windowParts; a redelivered batch changes nothing; a window
 * closes when, and only when, its last part is stored; a batch whose store loses MongoDB waits for it.
 */
const stack = handlerStack({ prefix: 'h_write', perTest: 'env' });

const ack = { kind: 'ack' };
const idsOf = async (collection: string, filter: object = {}) => (await stack.db.collection(collection).find(filter).sort({ _id: 1 }).toArray()).map((d) => String(d._id));
const snapshot = async () =>
  Object.fromEntries(
    await Promise.all([COLLECTIONS.contracts, COLLECTIONS.buyers, COLLECTIONS.windowParts, COLLECTIONS.syncJobs].map(async (c) => [c, await stack.db.collection(c).find({}).sort({ _id: 1 }).toArray()])),
  );

/** A window the fetch chain finished: its pages sent `pageParts` write parts, none stored yet. */
async function fetchedWindow(month: string, pageParts: Record<string, number>) {
  return recordWindow(stack.db, monthWindow('FIND_A_TENDER', month), { state: 'fetched', seq: 1, 'checkpoint.complete': true, pageParts });
}

/** Part `part` of page `page` of a window, with one release per notice id. */
const part = (windowId: string, page: number, part: number, noticeIds: string[], buyerOrg = 'GB-BUYER-A') =>
  makeWriteMessage({ windowId, page, part, releases: noticeIds.map((noticeId) => makeMappedRelease({ contract: { noticeId, buyerOrg, buyerName: buyerOrg } })) });

describe('write consumer (worker.queue on `write`)', () => {
  it('stores each part in contracts, buyers and windowParts and acks it', async () => {
    const window = await fetchedWindow('2019-01', { p0: 2, p1: 1 });
    const batch = fakeBatch('write', [part(window._id, 0, 0, ['101-2019', '102-2019']), part(window._id, 0, 1, ['103-2019'], 'GB-BUYER-B')]);

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([ack, ack]);
    expect(await idsOf(COLLECTIONS.contracts, { noticeId: /-2019$/ })).toEqual(['FIND_A_TENDER:101-2019', 'FIND_A_TENDER:102-2019', 'FIND_A_TENDER:103-2019']);
    const buyers = await stack.db.collection(COLLECTIONS.buyers).find({ _id: { $in: ['GB-BUYER-A', 'GB-BUYER-B'] } as never }).sort({ _id: 1 }).toArray();
    expect(buyers.map((b) => [b._id, b.contractCount])).toEqual([['GB-BUYER-A', 2], ['GB-BUYER-B', 1]]);
    expect(await idsOf(COLLECTIONS.windowParts, { windowId: window._id })).toEqual([`${window._id}|0.0.0`, `${window._id}|0.0.1`]);
    expect([stack.env.WRITE_DLQ.sent, stack.env.FETCH_QUEUE.sent, stack.env.WRITE_QUEUE.sent]).toEqual([[], [], []]);
  });

  it('changes nothing when the same batch comes again', async () => {
    const window = await fetchedWindow('2019-02', { p0: 2 });
    const bodies = [part(window._id, 0, 0, ['201-2019', '202-2019']), part(window._id, 0, 1, ['203-2019'])];
    await worker.queue(fakeBatch('write', bodies), stack.env);
    const once = await snapshot();

    const again = fakeBatch('write', bodies);
    await worker.queue(again, stack.env);

    expect(decisionsOf(again)).toEqual([ack, ack]);
    expect(await snapshot()).toEqual(once);
    expect((await windowsCollection(stack.db).findOne({ _id: window._id }))?.state).toBe('done');
  });

  it('closes the window only when its last part is stored, with the releases of all its parts', async () => {
    const window = await fetchedWindow('2019-03', { p0: 1, p1: 0, p2: 2 });
    const state = async () => (await windowsCollection(stack.db).findOne({ _id: window._id }))?.state;

    await worker.queue(fakeBatch('write', [part(window._id, 2, 1, ['321-2019']), part(window._id, 0, 0, ['301-2019', '302-2019'])]), stack.env);
    expect(await state()).toBe('fetched');
    // A redelivered part is not a missing one.
    await worker.queue(fakeBatch('write', [part(window._id, 0, 0, ['301-2019', '302-2019'])]), stack.env);
    expect(await state()).toBe('fetched');

    const last = fakeBatch('write', [part(window._id, 2, 0, ['320-2019'])]);
    await worker.queue(last, stack.env);

    expect(decisionsOf(last)).toEqual([ack]);
    expect(await windowsCollection(stack.db).findOne({ _id: window._id })).toMatchObject({ state: 'done', releasesWritten: 4, doneAt: expect.any(Date) });
  });

  it('waits for MongoDB when its store meets a network error: every part retried with the outage delay, none tried alone, nothing noted', async () => {
    const window = await fetchedWindow('2019-04', { p0: 2 });
    const attempts = 2;
    const batch = fakeBatch('write', [part(window._id, 0, 0, ['401-2019']), part(window._id, 0, 1, ['402-2019'])], { attempts });
    let stores = 0;

    await consumeTogether(batch, stack.env, stack.db, 'write', WriteMessageSchema, async () => {
      stores++;
      throw new MongoNetworkError('connection 2 to 127.0.0.1:27017 closed');
    });

    expect(stores).toBe(1);
    for (const decision of decisionsOf(batch)) {
      expect(decision).toEqual({ kind: 'retry', delaySeconds: expect.any(Number) });
      const delay = decision?.kind === 'retry' ? decision.delaySeconds : undefined;
      expect(delay).toBeGreaterThanOrEqual(outageDelaySeconds(attempts, () => 0));
      expect(delay).toBeLessThanOrEqual(outageDelaySeconds(attempts, () => 1));
    }
    expect(await stack.db.collection(COLLECTIONS.messageFailures).countDocuments()).toBe(0);
    expect(stack.env.WRITE_DLQ.sent).toEqual([]);
  });
});
