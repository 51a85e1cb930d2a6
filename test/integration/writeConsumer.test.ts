import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { consumeTogether } from '../../consumer/consumeTogether.ts';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { readConfig } from '../../shared/config.ts';
import { WriteMessageSchema, type WriteMessage } from '../../shared/queue/messages.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { lastFailure } from '../../shared/store/messageFailures.ts';
import { makeMappedRelease, makeWriteMessage } from '../factories.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * The write consumer's batch loop with the real batch store: the readable messages of a batch are
 * stored together; one that cannot be read is dead-lettered, and one that cannot be stored is
 * retried on its own while the others are stored and acked.
 */
let db: Db;
let close: () => Promise<void>;
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });

beforeAll(async () => {
  ({ db, close } = await openTestDb('writeconsumer'));
  await ensureIndexes(db);
});
afterAll(() => close());

/** A queue message that records what the consumer did with it. */
function queued(id: string, body: unknown) {
  const message = {
    id,
    timestamp: new Date(),
    body,
    attempts: 2,
    outcome: 'none' as 'none' | 'acked' | { retryAfter: number | undefined },
    ack: () => void (message.outcome = 'acked'),
    retry: (options?: QueueRetryOptions) => void (message.outcome = { retryAfter: options?.delaySeconds }),
  };
  return message;
}

const metrics = { backlogCount: 0, backlogBytes: 0 };

/** The dead-letter queues as a list of what was sent to them. */
function deadLetterQueues() {
  const sent: unknown[] = [];
  const queue: Queue = {
    metrics: async () => metrics,
    send: async (body) => (sent.push(body), { metadata: { metrics } }),
    sendBatch: async (messages) => (sent.push(...[...messages].map((m) => m.body)), { metadata: { metrics } }),
  };
  return { env: { FETCH_DLQ: queue, WRITE_DLQ: queue, NOTIFY_DLQ: queue }, sent };
}

async function consume(messages: ReturnType<typeof queued>[]) {
  const { env, sent } = deadLetterQueues();
  const calls: number[] = [];
  const batch: MessageBatch<unknown> = { queue: 'write', messages, metadata: { metrics }, ackAll: () => {}, retryAll: () => {} };
  await consumeTogether(batch, env, db, 'write', WriteMessageSchema, async (bodies) => {
    calls.push(bodies.length);
    await storeWriteBatch(db, config, bodies);
  });
  return { deadLetters: sent, calls };
}

const part = (windowId: string, p: number, overrides: Partial<WriteMessage> = {}) =>
  makeWriteMessage({ windowId, part: p, releases: [makeMappedRelease({ contract: { noticeId: `${windowId}-${p}` } })], ...overrides });
const stored = (ids: string[]) => db.collection(COLLECTIONS.contracts).countDocuments({ noticeId: { $in: ids } });

describe('the write consumer', () => {
  it('stores the readable messages of a batch together and acks them; dead-letters the unreadable one with its reason', async () => {
    const messages = [queued('m1', part('w1', 0)), queued('m2', { v: 99, type: 'write' }), queued('m3', part('w1', 1))];
    const { deadLetters, calls } = await consume(messages);
    expect(calls).toEqual([2]);
    expect(messages.map((m) => m.outcome)).toEqual(['acked', 'acked', 'acked']);
    expect(await stored(['w1-0', 'w1-1'])).toBe(2);
    expect(deadLetters).toEqual([expect.objectContaining({ queue: 'write', body: { v: 99, type: 'write' }, error: expect.stringMatching(/schema version 99/) })]);
  });

  it('when the batch cannot be stored, stores each message alone: only the one that fails is retried, with its reason noted', async () => {
    const broken = part('w2', 1, { staged: ['FIND_A_TENDER:nowhere@2024-01-01T00:00:00.000Z'] });
    const messages = [queued('m1', part('w2', 0)), queued('m2', broken), queued('m3', part('w2', 2))];
    const { deadLetters, calls } = await consume(messages);
    expect(calls).toEqual([3, 1, 1, 1]);
    expect(messages.map((m) => m.outcome)).toEqual(['acked', { retryAfter: expect.any(Number) }, 'acked']);
    expect(await stored(['w2-0', 'w2-2'])).toBe(2);
    expect(await stored(['w2-1'])).toBe(0);
    expect(await lastFailure(db, 'write', broken)).toMatch(/staged releases missing: FIND_A_TENDER:nowhere/);
    expect(deadLetters).toEqual([]);
  });
});
