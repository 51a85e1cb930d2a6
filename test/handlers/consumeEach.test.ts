import { describe, expect, it } from 'vitest';
import { backoffSeconds } from '../../consumer/backoff.ts';
import { consumeEach } from '../../consumer/consumeEach.ts';
import { PermanentError, TransientError } from '../../shared/errors.ts';
import { FetchMessageSchema, WriteMessageSchema } from '../../shared/queue/messages.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { messageKey } from '../../shared/store/messageFailures.ts';
import worker from '../../worker.ts';
import { makeFetchMessage, makeWriteMessage } from '../factories.ts';
import { decisionsOf, fakeBatch, type FakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * The loop every work queue runs (consumer/consumeEach.ts): a message it cannot read is
 * dead-lettered at once with the reason and acked; a handler's PermanentError dead-letters, any
 * other error retries with consumer/backoff.ts's delay and notes the failure in `messageFailures`.
 * One message's fate never decides another's.
 */
const stack = handlerStack({ prefix: 'h_each', perTest: 'env' });

const ack = { kind: 'ack' };

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

  it('retries on a TransientError with the backoff delay and notes the failure; the next message goes on', async () => {
    const [flaky, fine] = [{ ...valid(), windowId: 'FIND_A_TENDER:1999-03' }, { ...valid(), windowId: 'FIND_A_TENDER:1999-04' }];
    const attempts = 4;
    const batch = fakeBatch(queue, [flaky, fine], { attempts });

    await consumeEach(batch, stack.env, stack.db, queue, schema, async (message) => {
      if (message.windowId === flaky.windowId) throw new TransientError('HTTP 503 for the test');
    });

    const [retried, acked] = decisionsOf(batch);
    expect(acked).toEqual(ack);
    expect(retried).toEqual({ kind: 'retry', delaySeconds: expect.any(Number) });
    const delay = retried?.kind === 'retry' ? retried.delaySeconds : undefined;
    // backoff.ts: attempt 4 waits between half and all of 40 s.
    expect(delay).toBeGreaterThanOrEqual(backoffSeconds(attempts, () => 0));
    expect(delay).toBeLessThanOrEqual(backoffSeconds(attempts, () => 1));
    expect(await stack.db.collection(COLLECTIONS.messageFailures).findOne({ _id: messageKey(queue, flaky) as never })).toMatchObject({
      queue,
      error: 'TransientError: HTTP 503 for the test',
      attempts,
    });
    expect(dlq(stack.env).sent).toEqual([]);
  });
});
