import { beforeAll, describe, expect, it } from 'vitest';
import { outageDelaySeconds } from '../../consumer/backoff.ts';
import { DEAD_LETTER_MAX_RETRIES } from '../../consumer/retryBudget.ts';
import { freePort } from '../../scripts/local/freePort.ts';
import { fetchMessage } from '../../shared/queue/messages.ts';
import { deadLettersCollection } from '../../shared/store/deadLetters.ts';
import { messageKey, noteFailure } from '../../shared/store/messageFailures.ts';
import { ensureSourceStatus, readSourceStatus } from '../../shared/store/sourceStatus.ts';
import { claimWindow, windowsCollection } from '../../shared/store/windows.ts';
import worker from '../../worker.ts';
import { makeWriteMessage } from '../factories.ts';
import { decisionsOf, fakeBatch, fakeEnv, redeliver, type FakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { monthWindow, recordWindow } from './recordWindow.ts';

/**
 * `fetch-dlq` and `write-dlq` through the Worker's entry (worker.queue): every letter, whether the
 * consumer wrapped it with its reason or Cloudflare delivered the bare body after the retries ran
 * out, is kept in `deadLetters` with a reason and its window marked failed before it is acked; with
 * MongoDB unreachable nothing is acked: the letters wait for MongoDB (the outage delay), are kept
 * once it is back, and one on its last delivery is sent to its queue again rather than deleted.
 */
const stack = handlerStack({ prefix: 'h_dead', perTest: 'env' });

beforeAll(async () => {
  await ensureSourceStatus(stack.db, 'FIND_A_TENDER', new Date('2019-01-01'), new Date('2026-01-01'), new Date());
});

const ack = { kind: 'ack' };
const readWindow = (id: string) => windowsCollection(stack.db).findOne({ _id: id });
/** The Worker's env with MongoDB on a closed port (fresh queues). */
const unreachableEnv = async (): Promise<FakeEnv> => fakeEnv({ MONGODB_URI: `mongodb://127.0.0.1:${await freePort()}/`, MONGODB_DB: stack.testDb.name, MONGODB_TIMEOUT_MS: '300' });

describe('dead-letter consumer (worker.queue on `fetch-dlq` / `write-dlq`)', () => {
  it('keeps a letter the write consumer wrapped, with its reason, fails its window and acks', async () => {
    const window = await recordWindow(stack.db, monthWindow('FIND_A_TENDER', '2019-01'), { state: 'fetched', seq: 1, 'checkpoint.complete': true, pageParts: { p0: 1 } });
    const unreadable = makeWriteMessage({ windowId: window._id, page: -1 });
    await worker.queue(fakeBatch('write', [unreadable]), stack.env);
    const [letter] = stack.env.WRITE_DLQ.bodies();
    const batch = fakeBatch('write-dlq', [letter]);

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([ack]);
    const reason = expect.stringMatching(/^unreadable message: page: /);
    expect(await deadLettersCollection(stack.db).findOne({ _id: messageKey('write', unreadable) })).toMatchObject({
      queue: 'write',
      body: unreadable,
      error: reason,
      state: 'dead',
      messageIds: [batch.messages[0].id],
    });
    expect(await readWindow(window._id)).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/^write message dead-lettered: unreadable message: page: /) });
  });

  it('keeps a bare body Cloudflare dead-lettered after its retries, with the last error noted, fails its window and acks', async () => {
    const recorded = await recordWindow(stack.db, monthWindow('FIND_A_TENDER', '2019-02'));
    expect(await claimWindow(stack.db, recorded, null, new Date())).toBe(1);
    const body = fetchMessage(recorded._id, 1);
    // The fetch consumer's last attempt failed on its own and noted it, as consumeEach notes a failure.
    await noteFailure(stack.db, 'fetch', { id: 'msg-last-attempt', body, attempts: 6 }, 'Error: the last attempt failed', new Date());
    const batch = fakeBatch('fetch-dlq', [body], { attempts: 1 });

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([ack]);
    const reason = 'retries exhausted; last error: Error: the last attempt failed';
    expect(await deadLettersCollection(stack.db).findOne({ _id: messageKey('fetch', body) })).toMatchObject({ queue: 'fetch', body, error: reason, state: 'dead' });
    expect(await readWindow(recorded._id)).toMatchObject({ state: 'failed', lastError: `fetch message dead-lettered: ${reason}` });
    expect((await readSourceStatus(stack.db, 'FIND_A_TENDER'))?.errorLog.at(-1)?.message).toMatch(new RegExp(`^${recorded._id}: fetch message dead-lettered: retries exhausted`));
  });

  it('keeps a body MongoDB refuses to store as it is (a "$" key) as JSON text with the reason, and the rest of its batch', async () => {
    const refused = { ...fetchMessage('FIND_A_TENDER:2019-05', 1), extra: { $where: 'sleep(1)' } };
    const plain = fetchMessage('FIND_A_TENDER:2019-06', 1);
    const batch = fakeBatch('fetch-dlq', [refused, plain]);

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([ack, ack]);
    expect(await deadLettersCollection(stack.db).findOne({ _id: messageKey('fetch', plain) })).toMatchObject({ body: plain, state: 'dead' });
    expect(await deadLettersCollection(stack.db).find({ 'body.json': JSON.stringify(refused) }).toArray()).toEqual([
      expect.objectContaining({ queue: 'fetch', state: 'dead', error: expect.stringMatching(/^retries exhausted; last error: not recorded; kept as JSON text: MongoDB refused the body \(MongoServerError: /) }),
    ]);
  });

  it('holds the whole batch while MongoDB is unreachable (the outage delay, nothing acked), and keeps the same letters once it is back', async () => {
    const unreachable = await unreachableEnv();
    const letters = [fetchMessage(monthWindow('FIND_A_TENDER', '2019-03')._id, 1), fetchMessage(monthWindow('FIND_A_TENDER', '2019-04')._id, 1)];
    const attempts = 3;
    const batch = fakeBatch('fetch-dlq', letters, { attempts });

    await worker.queue(batch, unreachable);

    const decisions = decisionsOf(batch);
    expect(decisions).toEqual([
      { kind: 'retry', delaySeconds: expect.any(Number) },
      { kind: 'retry', delaySeconds: expect.any(Number) },
    ]);
    for (const decision of decisions) {
      const delay = decision?.kind === 'retry' ? decision.delaySeconds : undefined;
      expect(delay).toBeGreaterThanOrEqual(outageDelaySeconds(attempts, () => 0));
      expect(delay).toBeLessThanOrEqual(outageDelaySeconds(attempts, () => 1));
    }
    const kept = () => deadLettersCollection(stack.db).countDocuments({ _id: { $in: letters.map((l) => messageKey('fetch', l)) } });
    expect(await kept()).toBe(0);
    expect(unreachable.FETCH_DLQ.sent).toEqual([]);

    const back = redeliver(batch);
    await worker.queue(back, stack.env);

    expect(decisionsOf(back)).toEqual([ack, ack]);
    expect(await kept()).toBe(2);
  });

  it(`sends a letter on its last delivery (attempt ${DEAD_LETTER_MAX_RETRIES + 1}) with MongoDB unreachable to its queue again, delayed, instead of letting it be deleted`, async () => {
    const unreachable = await unreachableEnv();
    const [last, earlier] = [fetchMessage(monthWindow('FIND_A_TENDER', '2019-07')._id, 1), fetchMessage(monthWindow('FIND_A_TENDER', '2019-08')._id, 1)];
    const lastDelivery = fakeBatch('fetch-dlq', [last], { attempts: DEAD_LETTER_MAX_RETRIES + 1 });
    const earlierDelivery = fakeBatch('fetch-dlq', [earlier], { attempts: DEAD_LETTER_MAX_RETRIES });

    await worker.queue(lastDelivery, unreachable);
    await worker.queue(earlierDelivery, unreachable);

    expect(decisionsOf(lastDelivery)).toEqual([ack]);
    expect(unreachable.FETCH_DLQ.sent).toEqual([{ body: last, contentType: 'json', delaySeconds: expect.any(Number) }]);
    expect(unreachable.FETCH_DLQ.sent[0].delaySeconds).toBeGreaterThanOrEqual(outageDelaySeconds(DEAD_LETTER_MAX_RETRIES + 1, () => 0));
    expect(decisionsOf(earlierDelivery)).toEqual([{ kind: 'retry', delaySeconds: expect.any(Number) }]);
  });
});
