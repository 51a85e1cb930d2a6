import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../consumer/notify/deliverWebhook.ts';
import { FAILURE_RETRIES } from '../../consumer/retryBudget.ts';
import type { MappedContract, MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { releaseOrder } from '../../shared/mapping/releaseOrder.ts';
import type { FeedStatus } from '../../producer/status/readFeedStatus.ts';
import { forgetStatusAnswers } from '../../producer/status/statusCache.ts';
import { notifyMessage } from '../../shared/queue/messages.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { webhooksCollection, type WebhookFilter } from '../../shared/store/webhooks.ts';
import worker from '../../worker.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../scripts/local/webhookReceiver.ts';
import { makeMappedRelease, makeWriteBatches } from '../factories.ts';
import { callWorker } from './callWorker.ts';
import { capturedLogs } from './capturedLogs.ts';
import { decisionsOf, fakeBatch, redeliver, type RecordedBatch } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * Webhooks end to end on the Worker's entry, with a real HTTP receiver (scripts/local/webhookReceiver.ts,
 * verifying each signature as a product would): the write consumer says the feed moved, the notify
 * consumer POSTs each subscription's matching changes, signed, once each, in cursor order; a receiver
 * that is down gets them all once it is back; a notify message delivered again sends nothing twice;
 * a bad signature is refused by the receiver and the change waits; a receiver down for good ends in
 * notify-dlq, kept, and replayed. The subscription's secret shows in no answer and no log.
 */
const ADMIN = 'the-admin-token-of-webhooks-77';
const SECRET = 'whsec-the-subscriptions-own-secret-31';
const stack = handlerStack({ prefix: 'h_webhooks', vars: { ADMIN_TOKEN: ADMIN }, perTest: 'database' });

const at = (day: number) => new Date(Date.UTC(2026, 2, day, 10)).toISOString();
/** Notice `n`, released on `day`: roadworks in Wales (matching the filter below) unless told otherwise. */
function notice(n: number, day: number, contract: Partial<MappedContract> = {}): MappedRelease {
  const releaseDate = at(day);
  return makeMappedRelease({
    contract: { noticeId: `${700_000 + n}-2026`, ocid: `ocds-h6vhtk-hook-${n}`, releaseDate, releaseId: `R-${n}-${day}`, releaseOrder: releaseOrder(releaseDate, 0), deadlineDate: at(28), cpvCodes: ['45233140'], buyerRegion: 'Wales', valueMin: 50_000, valueMax: 80_000, ...contract },
  });
}
const ROADWORKS_IN_WALES: WebhookFilter = { cpvPrefixes: ['4523'], regions: ['Wales'] };
const elsewhere = (n: number, day: number) => notice(n, day, { buyerRegion: 'London' });

/** Stores releases through the write consumer, as the queue delivers them. */
async function write(releases: readonly MappedRelease[]): Promise<void> {
  for (const bodies of makeWriteBatches(releases, { pageSize: 10, batchSize: 2 })) {
    const batch = fakeBatch('write', bodies);
    await worker.queue(batch, stack.env);
    expect(decisionsOf(batch).every((d) => d?.kind === 'ack')).toBe(true);
  }
}

async function register(url: string, filter: WebhookFilter = ROADWORKS_IN_WALES): Promise<string> {
  const { status, body, text } = await callWorker(stack.env, 'POST', '/admin/webhooks', { authorization: `Bearer ${ADMIN}`, body: { url, secret: SECRET, filter } });
  expect(status, text).toBe(201);
  expect(text).not.toContain(SECRET);
  return (body.webhook as { _id: string })._id;
}

/** Runs a notify batch through the Worker; its logs show no secret. */
async function runBatch(batch: RecordedBatch): Promise<RecordedBatch> {
  const { logs, thrown } = await capturedLogs(() => worker.queue(batch, stack.env));
  expect(thrown).toBeNull();
  for (const line of logs) expect(line).not.toContain(SECRET);
  return batch;
}

/** Delivers what the notify queue holds without a delay, and what that sends, until none is left; the batches that had a message retried. */
async function runNotify(): Promise<RecordedBatch[]> {
  const retried: RecordedBatch[] = [];
  for (let round = 0; round < 50; round++) {
    const bodies = stack.env.NOTIFY_QUEUE.takeUndelayed();
    if (bodies.length === 0) return retried;
    const batch = await runBatch(fakeBatch('notify', bodies));
    if (batch.messages.some((m) => m.decision?.kind === 'retry')) retried.push(batch);
  }
  throw new Error('the notify queue did not empty');
}

/** The notices whose `new` entries a receiver was given, in the order it was given them. */
const newNotices = (deliveries: readonly Delivery[]) => deliveries.map((d) => `${d.change.kind} ${d.change.noticeId ?? d.change.ocid}`);
const subscription = (id: string) => webhooksCollection(stack.db).findOne({ _id: id });
const feedEnd = async () => (await stack.db.collection<{ cursor: number }>(COLLECTIONS.changes).find({ cursor: { $gt: 0 } }).sort({ cursor: -1 }).limit(1).next())?.cursor;

async function withReceiver(secret: string, test: (receiver: WebhookReceiver) => Promise<void>): Promise<void> {
  const receiver = await startWebhookReceiver(secret);
  try {
    await test(receiver);
  } finally {
    await receiver.stop();
  }
}

describe('webhooks', () => {
  it('registered with ADMIN_TOKEN only; answered and listed without their secret', async () => {
    const body = { url: 'https://hooks.example.com/tenders', secret: SECRET, filter: ROADWORKS_IN_WALES };
    expect((await callWorker(stack.env, 'POST', '/admin/webhooks', { body })).status).toBe(401);
    expect((await callWorker(stack.env, 'POST', '/admin/webhooks', { authorization: 'Bearer wrong', body })).status).toBe(401);
    expect((await callWorker(stack.env, 'GET', '/admin/webhooks')).status).toBe(401);

    const bad = await callWorker(stack.env, 'POST', '/admin/webhooks', { authorization: `Bearer ${ADMIN}`, body: { url: 'ftp://x', secret: 'short', filter: { regions: ['Atlantis'], valueMin: 5, valueMax: 1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/url: must be an http\(s\) URL; secret: must be at least 16 characters; filter.regions.0: must be one of/);

    const id = await register(body.url);
    const listed = await callWorker(stack.env, 'GET', '/admin/webhooks', { authorization: `Bearer ${ADMIN}` });
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(SECRET);
    expect(listed.body.webhooks).toEqual([expect.objectContaining({ _id: id, url: body.url, filter: ROADWORKS_IN_WALES, cursor: 0, delivered: 0, failures: 0 })]);
  });

  it('every matching change is POSTed once, signed, in cursor order, when the write consumer stores it; the rest are passed over', async () => {
    await withReceiver(SECRET, async (receiver) => {
      const id = await register(receiver.url);
      await write([notice(1, 1), elsewhere(2, 1), notice(3, 1, { cpvCodes: ['72000000'] }), notice(4, 1), notice(5, 1, { valueMin: 1 })]);
      await runNotify();
      expect(receiver.refused).toEqual([]);
      expect(newNotices(receiver.delivered)).toEqual(['new 700001-2026', 'new 700004-2026', 'new 700005-2026']);
      expect(receiver.delivered.map((d) => d.change.cursor)).toEqual(receiver.delivered.map((d) => d.change.cursor).sort((a, b) => a - b));
      expect(receiver.delivered.map((d) => d.id)).toEqual(receiver.delivered.map((d) => `${id}:${d.change.id}`));
      expect(receiver.delivered[0].contract).toMatchObject({ title: notice(1, 1).contract.title, buyerRegion: 'Wales', cpvCodes: ['45233140'] });

      // Later changes: the matching notice's moved deadline is delivered, the other's is not.
      await write([notice(4, 2, { deadlineDate: at(30) }), elsewhere(2, 2)]);
      await runNotify();
      expect(newNotices(receiver.delivered.slice(3))).toEqual(['deadline changed 700004-2026', 'deadline changed ocds-h6vhtk-hook-4']);
      expect(receiver.received).toHaveLength(receiver.delivered.length);
      expect(await subscription(id)).toMatchObject({ cursor: await feedEnd(), delivered: 5, failures: 0, lastError: null });
    });
  });

  it('a receiver down, then up: every matching change delivered once, in cursor order, each signature verified', async () => {
    await withReceiver(SECRET, async (receiver) => {
      const id = await register(receiver.url);
      await receiver.stop();
      await write([notice(1, 1), notice(2, 1), elsewhere(3, 1)]);
      const retried = await runNotify();
      const delays = [retried[0].messages[0].decision];
      expect(delays[0]).toMatchObject({ kind: 'retry' });
      expect(await subscription(id)).toMatchObject({ cursor: 0, failures: 1, lastError: expect.stringMatching(/^POST to 127\.0\.0\.1:\d+ unreachable/) });

      // More changes while it is down; the retries back off further.
      await write([notice(4, 2), notice(1, 2, { title: 'Road repairs (amended)' })]);
      retried.push(...(await runNotify()));
      let first = retried.shift()!;
      for (let i = 0; i < 2; i++) {
        first = await runBatch(redeliver(first));
        delays.push(first.messages[0].decision);
      }
      retried.push(first);
      const seconds = delays.map((d) => (d?.kind === 'retry' ? d.delaySeconds! : 0));
      expect(seconds[2]).toBeGreaterThan(seconds[0]);
      expect(receiver.received).toEqual([]);
      // The status shows the subscription behind, and why.
      forgetStatusAnswers();
      const down = await callWorker(stack.env, 'GET', '/status');
      expect(down.body.feed).toEqual({ newestCursor: await feedEnd(), webhooks: [expect.objectContaining({ id, host: new URL(receiver.url).host, cursor: 0, entriesBehind: 5, failures: 4, lastError: expect.stringMatching(/unreachable/) })] });
      forgetStatusAnswers();
      expect((await callWorker(stack.env, 'GET', '/')).text).toMatch(/data-figure="webhook-behind" data-value="5">5<\/span> entries behind.*data-figure="webhook-failures" data-value="4">4 failed since the last delivery: POST to 127\.0\.0\.1:\d+ unreachable/s);

      await receiver.start();
      for (const batch of retried) await runBatch(redeliver(batch));
      await runNotify();
      expect(newNotices(receiver.delivered)).toEqual(['new 700001-2026', 'new 700002-2026', 'new 700004-2026', 'updated 700001-2026']);
      expect(receiver.received).toHaveLength(4);
      expect(receiver.refused).toEqual([]);
      expect(await subscription(id)).toMatchObject({ cursor: await feedEnd(), delivered: 4, failures: 0, lastError: null });
      forgetStatusAnswers();
      expect(((await callWorker(stack.env, 'GET', '/status')).body.feed as FeedStatus).webhooks[0]).toMatchObject({ entriesBehind: 0, behindSince: null, failures: 0 });
    });
  });

  it('a notify message delivered again, or twice in a batch, POSTs nothing twice; after a lost cursor save the key lets the receiver drop the repeat', async () => {
    await withReceiver(SECRET, async (receiver) => {
      const id = await register(receiver.url);
      await write([notice(1, 1), notice(2, 1)]);
      const message = notifyMessage(id);
      await runBatch(fakeBatch('notify', [message, message]));
      await runBatch(fakeBatch('notify', [message]));
      await runNotify();
      expect(newNotices(receiver.received)).toEqual(['new 700001-2026', 'new 700002-2026']);

      // As if the Worker died between the receiver's 2xx and saving the cursor: the change goes out again, under the same key.
      const { cursor } = (await subscription(id))!;
      await webhooksCollection(stack.db).updateOne({ _id: id }, { $set: { cursor: receiver.delivered[0].change.cursor } });
      await runBatch(fakeBatch('notify', [message]));
      expect(receiver.received.map((d) => d.id)).toEqual([...receiver.delivered, receiver.delivered[1]].map((d) => d.id));
      expect(receiver.delivered).toHaveLength(2);
      expect((await subscription(id))!.cursor).toBe(cursor);
    });
  });

  it('a receiver holding another secret refuses the signature: the change is not passed, the failure shows', async () => {
    await withReceiver('whsec-a-secret-the-sender-does-not-hold', async (receiver) => {
      const id = await register(receiver.url);
      await write([notice(1, 1)]);
      const retried = await runNotify();
      expect(retried).toHaveLength(1);
      expect(receiver.refused).toEqual(['signature does not match']);
      expect(receiver.delivered).toEqual([]);
      expect(await subscription(id)).toMatchObject({ cursor: 0, failures: 1, lastError: expect.stringMatching(/answered 401/) });
    });
  });

  it('a receiver down for good: dead-lettered after its retries, kept, and replayed once it is back', async () => {
    await withReceiver(SECRET, async (receiver) => {
      await register(receiver.url);
      await receiver.stop();
      await write([notice(1, 1), notice(2, 1)]);
      let [batch] = await runNotify();
      for (let failures = 1; failures <= FAILURE_RETRIES.notify; failures++) batch = await runBatch(redeliver(batch));
      expect(decisionsOf(batch)).toEqual([{ kind: 'ack' }]);
      const letters = stack.env.NOTIFY_DLQ.take();
      expect(letters).toEqual([expect.objectContaining({ queue: 'notify', error: expect.stringMatching(/retries exhausted .*unreachable/) })]);
      await runBatch(fakeBatch('notify-dlq', letters));
      expect(await stack.db.collection(COLLECTIONS.deadLetters).find({ queue: 'notify' }).toArray()).toEqual([expect.objectContaining({ state: 'dead' })]);

      await receiver.start();
      const replay = await callWorker(stack.env, 'POST', '/admin/replay', { authorization: `Bearer ${ADMIN}` });
      expect((replay.body.replayed as string[])).toHaveLength(1);
      await runNotify();
      expect(newNotices(receiver.delivered)).toEqual(['new 700001-2026', 'new 700002-2026']);
    });
  });
});
