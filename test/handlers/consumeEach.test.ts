import { MongoClient, MongoNetworkError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { backoffSeconds, outageDelaySeconds } from '../../consumer/backoff.ts';
import { consumeEach } from '../../consumer/consumeEach.ts';
import { FAILURE_RETRIES } from '../../consumer/retryBudget.ts';
import { PermanentError, TransientError } from '../../shared/errors.ts';
import { FetchMessageSchema, WriteMessageSchema } from '../../shared/queue/messages.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { messageKey } from '../../shared/store/messageFailures.ts';
import worker from '../../worker.ts';
import { makeFetchMessage, makeWriteMessage } from '../factories.ts';
import { decisionsOf, fakeBatch, redeliver, type Decision, type FakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * The loop every work queue runs (consumer/consumeEach.ts): a message it cannot read is
 * dead-lettered at once with the reason and acked; a handler's PermanentError dead-letters; MongoDB
 * unreachable under a message's work makes it wait for MongoDB (the outage delay, nothing noted);
 * any other error is counted in `messageFailures` and retried with consumer/backoff.ts's delay, and
 * dead-lettered once FAILURE_RETRIES are spent, however many deliveries waited for MongoDB before.
 * One message's fate never decides another's.
 */
const stack = handlerStack({ prefix: 'h_each', perTest: 'env' });

const ack = { kind: 'ack' };
const delayOf = (decision: Decision | null | undefined) => (decision?.kind === 'retry' ? decision.delaySeconds : undefined);

const queues = [
  { queue: 'fetch', schema: FetchMessageSchema, valid: () => makeFetchMessage({ windowId: 'FIND_A_TENDER:1999-01' }), badField: 'seq', bad: { seq: 'one' }, dlq: (e: FakeEnv) => e.FETCH_DLQ },
  { queue: 'write', schema: WriteMessageSchema, valid: () => makeWriteMessage({ windowId: 'FIND_A_TENDER:1999-01' }), badField: 'page', bad: { page: -1 }, dlq: (e: FakeEnv) => e.WRITE_DLQ },
] as const;

describe.each(queues)('$queue queue', ({ queue, schema, valid, badField, bad, dlq }) => {
  it('dead-letters a message of an unknown schema version at once, naming the version, and acks it', async () => {
    const body = { ...valid(), v: 2 };
    const batch = fakeBatch(queue, [body]);

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([ack]);
    expect(dlq(stack.env).sent).toEqual([{ contentType: 'json', body: { v: 1, type: 'dead', queue, body, attempts: 1, error: 'unreadable message: schema version 2 is not 1' } }]);
    expect(await stack.db.collection(COLLECTIONS.messageFailures).findOne({ _id: messageKey(queue, body) as never })).toBeNull();
  });

  it(`dead-letters a message of the wrong shape at once, naming the bad field (${badField}), and acks it`, async () => {
    const body = { ...valid(), ...bad };
    const batch = fakeBatch(queue, [body], { attempts: 3 });

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([ack]);
    expect(dlq(stack.env).sent).toEqual([{ contentType: 'json', body: { v: 1, type: 'dead', queue, body, attempts: 3, error: expect.stringMatching(new RegExp(`^unreadable message: ${badField}: `)) } }]);
    expect(await stack.db.collection(COLLECTIONS.messageFailures).findOne({ _id: messageKey(queue, body) as never })).toBeNull();
  });

  it('dead-letters on a PermanentError with its reason and acks; the next message goes on', async () => {
    const [doomed, fine] = [valid(), { ...valid(), windowId: 'FIND_A_TENDER:1999-02' }];
    const batch = fakeBatch(queue, [doomed, fine], { attempts: 2 });
    const handled: string[] = [];

    await consumeEach(batch, stack.env, stack.db, queue, schema, async (message) => {
      if (message.windowId === doomed.windowId) throw new PermanentError('HTTP 404 for the test');
      handled.push(message.windowId);
    });

    expect(decisionsOf(batch)).toEqual([ack, ack]);
    expect(handled).toEqual([fine.windowId]);
    expect(dlq(stack.env).bodies()).toEqual([{ v: 1, type: 'dead', queue, body: doomed, attempts: 2, error: 'PermanentError: HTTP 404 for the test' }]);
  });

  it('retries on a TransientError with the backoff delay of its first failure and notes it; the next message goes on', async () => {
    const [flaky, fine] = [{ ...valid(), windowId: 'FIND_A_TENDER:1999-03' }, { ...valid(), windowId: 'FIND_A_TENDER:1999-04' }];
    const attempts = 4;
    const batch = fakeBatch(queue, [flaky, fine], { attempts });

    await consumeEach(batch, stack.env, stack.db, queue, schema, async (message) => {
      if (message.windowId === flaky.windowId) throw new TransientError('HTTP 503 for the test');
    });

    const [retried, acked] = decisionsOf(batch);
    expect(acked).toEqual(ack);
    expect(retried).toEqual({ kind: 'retry', delaySeconds: expect.any(Number) });
    // backoff.ts: a first failure waits between half and all of 5 s, whatever its attempts.
    expect(delayOf(retried)).toBeGreaterThanOrEqual(backoffSeconds(1, () => 0));
    expect(delayOf(retried)).toBeLessThanOrEqual(backoffSeconds(1, () => 1));
    expect(await stack.db.collection(COLLECTIONS.messageFailures).findOne({ _id: messageKey(queue, flaky) as never })).toMatchObject({
      queue,
      error: 'TransientError: HTTP 503 for the test',
      attempts,
      messageId: batch.messages[0].id,
      failures: 1,
    });
    expect(dlq(stack.env).sent).toEqual([]);
  });

  it('on a MongoDB network error under its work waits for MongoDB (the outage delay, nothing noted); the next message goes on', async () => {
    const [cut, fine] = [{ ...valid(), windowId: 'FIND_A_TENDER:1999-05' }, { ...valid(), windowId: 'FIND_A_TENDER:1999-06' }];
    const attempts = 3;
    const batch = fakeBatch(queue, [cut, fine], { attempts });

    await consumeEach(batch, stack.env, stack.db, queue, schema, async (message) => {
      if (message.windowId === cut.windowId) throw new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed');
    });

    const [waiting, acked] = decisionsOf(batch);
    expect(acked).toEqual(ack);
    expect(waiting).toEqual({ kind: 'retry', delaySeconds: expect.any(Number) });
    expect(delayOf(waiting)).toBeGreaterThanOrEqual(outageDelaySeconds(attempts, () => 0));
    expect(delayOf(waiting)).toBeLessThanOrEqual(outageDelaySeconds(attempts, () => 1));
    expect(await stack.db.collection(COLLECTIONS.messageFailures).findOne({ _id: messageKey(queue, cut) as never })).toBeNull();
    expect(dlq(stack.env).sent).toEqual([]);
  });

  it('does not count a failure MongoDB will not note (its client gone): the message waits as for an outage', async () => {
    const client = await new MongoClient(stack.testDb.uri).connect();
    await client.close();
    const attempts = 3;
    const batch = fakeBatch(queue, [{ ...valid(), windowId: 'FIND_A_TENDER:1999-08' }], { attempts });

    await consumeEach(batch, stack.env, client.db(stack.testDb.name), queue, schema, async () => {
      throw new TransientError('HTTP 502 for the test');
    });

    const [waiting] = decisionsOf(batch);
    expect(delayOf(waiting)).toBeGreaterThanOrEqual(outageDelaySeconds(attempts, () => 0));
    expect(delayOf(waiting)).toBeLessThanOrEqual(outageDelaySeconds(attempts, () => 1));
    expect(dlq(stack.env).sent).toEqual([]);
  });

  it(`counts its own failures apart from the deliveries that waited for MongoDB: dead-lettered after ${FAILURE_RETRIES[queue]} retries with the last reason; a replayed copy counts afresh`, async () => {
    const body = { ...valid(), windowId: 'FIND_A_TENDER:1999-07' };
    const failing = async () => {
      throw new TransientError('HTTP 500 for the test');
    };
    // Twelve deliveries waited out an outage before this one.
    let batch = fakeBatch(queue, [body], { attempts: 13 });
    for (let failures = 1; failures <= FAILURE_RETRIES[queue]; failures++) {
      await consumeEach(batch, stack.env, stack.db, queue, schema, failing);
      const [decision] = decisionsOf(batch);
      expect(decision, `failure ${failures}`).toEqual({ kind: 'retry', delaySeconds: expect.any(Number) });
      expect(delayOf(decision), `failure ${failures}`).toBeGreaterThanOrEqual(backoffSeconds(failures, () => 0));
      expect(delayOf(decision), `failure ${failures}`).toBeLessThanOrEqual(backoffSeconds(failures, () => 1));
      batch = redeliver(batch);
    }
    expect(dlq(stack.env).sent).toEqual([]);

    await consumeEach(batch, stack.env, stack.db, queue, schema, failing);

    expect(decisionsOf(batch)).toEqual([ack]);
    const error = `retries exhausted (${FAILURE_RETRIES[queue] + 1} failures); last error: TransientError: HTTP 500 for the test`;
    expect(dlq(stack.env).bodies()).toEqual([{ v: 1, type: 'dead', queue, body, attempts: 13 + FAILURE_RETRIES[queue], error }]);

    const replayed = fakeBatch(queue, [body]);
    await consumeEach(replayed, stack.env, stack.db, queue, schema, failing);
    expect(delayOf(decisionsOf(replayed)[0])).toBeLessThanOrEqual(backoffSeconds(1, () => 1));
    expect(await stack.db.collection(COLLECTIONS.messageFailures).findOne({ _id: messageKey(queue, body) as never })).toMatchObject({ messageId: replayed.messages[0].id, failures: 1 });
  });
});
