import { describe, expect, it } from 'vitest';
import { OUTAGE_CAP_SECONDS, outageDelaySeconds } from '../../consumer/backoff.ts';
import { freePort } from '../../scripts/local/freePort.ts';
import { fetchMessage } from '../../shared/queue/messages.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import { makeMappedRelease, makeWriteMessage } from '../factories.ts';
import { generateDataset } from '../simulator/dataset.ts';
import type { FakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { QueueClock, type Delivery } from './queueClock.ts';
import { monthWindow, queuedDelta, recordWindow } from './recordWindow.ts';

/**
 * MongoDB away for an hour, through the Worker's own fetch and write consumers on a queue clock that
 * retries as Cloudflare does with wrangler.toml's settings (max_retries, then the dead-letter queue):
 * first a MongoDB URI on a closed port, then the test server again. While it is away every message
 * waits for it, retried with the outage delay of its attempt (consumer/backoff.ts); nothing is
 * dead-lettered, noted as failed, or changed in a window. Once it is back the same messages finish
 * their windows.
 */
const MINUTE = 60_000;
const start = new Date('2024-03-10T12:00:00Z');
const dataset = generateDataset({ seed: 13, from: new Date('2024-03-04T00:00:00Z'), to: new Date('2024-03-05T00:00:00Z'), ftsPerDay: 30, cfPerDay: 30 });
const stack = handlerStack({ prefix: 'h_outage', upstream: { dataset } });

const windows = () => windowsCollection(stack.db).find({}).sort({ _id: 1 }).toArray();

/** Each message's deliveries, in order. */
function byMessage(deliveries: readonly Delivery[]): Delivery[][] {
  const grouped = new Map<string, Delivery[]>();
  for (const d of deliveries) grouped.set(d.id, [...(grouped.get(d.id) ?? []), d]);
  return [...grouped.values()];
}

describe('MongoDB away for an hour (fetch and write consumers, simulated clock)', () => {
  it('every message waits with a growing delay, nothing is dead-lettered and no window changes; once back, the same messages finish every window', async () => {
    const deltas = [await queuedDelta(stack.db, 'FIND_A_TENDER', new Date('2024-03-04T00:00:00Z')), await queuedDelta(stack.db, 'CONTRACTS_FINDER', new Date('2024-03-04T00:00:00Z'))];
    const month = await recordWindow(stack.db, monthWindow('FIND_A_TENDER', '2019-01'), { state: 'fetched', seq: 1, 'checkpoint.complete': true, pageParts: { p0: 2 } });
    for (const window of deltas) await stack.env.FETCH_QUEUE.send(fetchMessage(window._id, 1), { contentType: 'json' });
    for (const part of [0, 1]) {
      const releases = [makeMappedRelease({ contract: { noticeId: `90${part}-2019` } })];
      await stack.env.WRITE_QUEUE.send(makeWriteMessage({ windowId: month._id, page: 0, part, releases }), { contentType: 'json' });
    }
    const before = await windows();
    // The same queues, MongoDB on a closed port (the config is read once per env object).
    const unreachable = { MONGODB_URI: `mongodb://127.0.0.1:${await freePort()}/`, MONGODB_TIMEOUT_MS: '30' };
    const mongoAway: FakeEnv = { ...stack.env, ...unreachable };
    const clock = new QueueClock(mongoAway, start, { retries: true });

    await clock.advanceTo(new Date(start.getTime() + 60 * MINUTE));

    expect([clock.deadLettered, stack.env.FETCH_DLQ.sent, stack.env.WRITE_DLQ.sent]).toEqual([[], [], []]);
    const away = byMessage(clock.deliveries);
    expect(away.map((d) => d[0].queue).sort()).toEqual(['fetch', 'fetch', 'write', 'write']);
    for (const deliveries of away) {
      // 30 s doubling to 2 minutes, each delay between half and all of its step: 32 to 62 deliveries
      // in an hour (0, 30, 90, then every 120 s; or 0, 15, 45, then every 60 s).
      expect(deliveries.map((d) => d.attempts)).toEqual(deliveries.map((_, i) => i + 1));
      expect(deliveries.length).toBeGreaterThanOrEqual(32);
      expect(deliveries.length).toBeLessThanOrEqual(62);
      for (const { attempts, decision } of deliveries) {
        expect(decision).toEqual({ kind: 'retry', delaySeconds: expect.any(Number) });
        const delay = decision?.kind === 'retry' ? decision.delaySeconds : undefined;
        expect(delay, `delay of attempt ${attempts}`).toBeGreaterThanOrEqual(outageDelaySeconds(attempts, () => 0));
        expect(delay, `delay of attempt ${attempts}`).toBeLessThanOrEqual(outageDelaySeconds(attempts, () => 1));
      }
    }
    expect(await windows()).toEqual(before);
    expect(await stack.db.collection(COLLECTIONS.messageFailures).countDocuments()).toBe(0);

    clock.env = stack.env;
    const back = clock.deliveries.length;
    // Each message is due again within the longest outage delay (2 minutes).
    await clock.advanceTo(new Date(start.getTime() + 60 * MINUTE + OUTAGE_CAP_SECONDS * 1000));

    const after = byMessage(clock.deliveries.slice(back));
    const deliveredAgain = new Set(after.map((d) => d[0].id));
    expect(away.every((d) => deliveredAgain.has(d[0].id)), 'every waiting message delivered again').toBe(true);
    expect(after.flat().filter((d) => d.decision?.kind !== 'ack')).toEqual([]);
    expect(clock.waiting).toBe(0);
    expect([clock.deadLettered, stack.env.FETCH_DLQ.sent, stack.env.WRITE_DLQ.sent]).toEqual([[], [], []]);
    expect((await windows()).map((w) => [w._id, w.state, w.attempts, w.lastError])).toEqual(before.map((w) => [w._id, 'done', 0, null]));
    const notices = (source: keyof typeof dataset) => new Set(dataset[source].map((r) => r.notice)).size;
    expect(await stack.db.collection(COLLECTIONS.contracts).countDocuments()).toBe(notices('FIND_A_TENDER') + notices('CONTRACTS_FINDER') + 2);
  });
});
