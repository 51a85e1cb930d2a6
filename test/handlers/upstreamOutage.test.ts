import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../shared/config.ts';
import { fetchMessage } from '../../shared/queue/messages.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { enqueueDueWindows } from '../../shared/steps/enqueueDueWindows.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import worker from '../../worker.ts';
import { generateDataset } from '../simulator/dataset.ts';
import type { RequestLogEntry } from '../simulator/server.ts';
import { deliverAll } from './deliverAll.ts';
import { decisionsOf, fakeBatch, type FakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { queuedDelta } from './recordWindow.ts';

/**
 * Find a Tender down in the middle of a window, through the Worker's queue entry against the
 * simulator and a real database: the source pauses in its gate, one request at a time probes it
 * (1 s, then 2 s apart here), the window hands on from its checkpoint when its invocation's time
 * runs out, and once a probe is served the window finishes: nothing retried, noted or
 * dead-lettered, and no page that was answered asked again. And a window the producer starts again
 * after a dead letter resumes from its checkpoint: no stored page asked again.
 */
const DAY = new Date('2024-03-05T00:00:00Z');
const dataset = generateDataset({ seed: 21, from: new Date('2024-03-04T00:00:00Z'), to: new Date('2024-03-07T00:00:00Z'), ftsPerDay: 100, cfPerDay: 10 });
const stack = handlerStack({
  prefix: 'h_upstream',
  upstream: { dataset },
  // Small pages, so a day is many; short invocations, so the outage spans several messages.
  vars: { PAGE_LIMIT: '5', FETCH_INVOCATION_SECONDS: '3', FETCH_TIMEOUT_MS: '500', UPSTREAM_PROBE_SECONDS: '1', UPSTREAM_PROBE_MAX_SECONDS: '2' },
  perTest: 'database',
});

const ftsRequests = () => stack.simulator.requests.filter((r) => r.source === 'FIND_A_TENDER');
const pageKey = (r: RequestLogEntry) => new URLSearchParams(r.query).toString();

/** How often each page was answered with a page (200): once each, whatever failed around it. */
function servedTimes(requests: readonly RequestLogEntry[]): Map<string, number> {
  const times = new Map<string, number>();
  for (const r of requests.filter((r) => r.status === 200)) times.set(pageKey(r), (times.get(pageKey(r)) ?? 0) + 1);
  return times;
}

async function readWindow(id: string): Promise<WindowDoc> {
  const window = await windowsCollection(stack.db).findOne({ _id: id });
  if (!window) throw new Error(`no window ${id}`);
  return window;
}

const noticesIn = (source: SourceName, window: WindowDoc) => new Set(dataset[source].filter((r) => r.date >= window.from && r.date < window.to).map((r) => r.notice)).size;

async function until(test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

describe('Find a Tender down mid-window', () => {
  it('pauses the source and probes it; the window hands on from its checkpoint and, once a probe is served, finishes: 0 dead letters, each page answered once', async () => {
    const window = await queuedDelta(stack.db, 'FIND_A_TENDER', DAY);
    await stack.env.FETCH_QUEUE.send(fetchMessage(window._id, 1), { contentType: 'json' });
    // Down for 5 s once three pages were answered: 504s, 500s, 502s and requests that hang past the 500 ms timeout.
    const outage = until(() => ftsRequests().filter((r) => r.status === 200).length >= 3).then(() =>
      stack.simulator.setFaults({ outage: { source: 'FIND_A_TENDER', durationMs: 5000, answers: [504, 'hang', 500, 502] } }),
    );

    // Every fetch and write message the chain sends, delivered until none is left: each one acked.
    await deliverAll(stack.env);
    await outage;

    const requests = ftsRequests();
    const failed = requests.filter((r) => r.fault === 'outage');
    expect(failed.length, 'requests that met the outage').toBeGreaterThanOrEqual(2);
    // Only probes while it was down: each after the pause the one before it began (1 s, then 2 s).
    const afterFirstFailure = requests.slice(requests.indexOf(failed[0]));
    const gaps = afterFirstFailure.slice(1, failed.length + 1).map((r, i) => r.at - afterFirstFailure[i].at);
    expect(gaps.every((gap) => gap >= 950), `gaps between probes: ${gaps.join(', ')} ms`).toBe(true);
    expect([...servedTimes(requests).values()].filter((n) => n > 1), 'pages answered more than once').toEqual([]);
    expect(stack.env.FETCH_DLQ.sent).toEqual([]);
    expect(await stack.db.collection(COLLECTIONS.messageFailures).countDocuments()).toBe(0);
    expect(await readWindow(window._id)).toMatchObject({ state: 'done', generation: 0, attempts: 0, lastError: null });
    expect(await stack.db.collection(COLLECTIONS.contracts).countDocuments({ source: 'FIND_A_TENDER' })).toBe(noticesIn('FIND_A_TENDER', window));
    expect(await stack.env.RATE_GATE.gate('FIND_A_TENDER').status()).toMatchObject({ outage: null });
  }, 60_000);

  it('hands a window on, delayed by the pause, when the next probe is further off than a consumer waits in line', async () => {
    const window = await queuedDelta(stack.db, 'FIND_A_TENDER', DAY);
    const env: FakeEnv = { ...stack.env, UPSTREAM_PROBE_SECONDS: '45', UPSTREAM_PROBE_MAX_SECONDS: '45' } as FakeEnv;
    stack.simulator.setFaults({ serverErrors: { source: 'FIND_A_TENDER', count: 1, status: 504 } });
    const batch = fakeBatch('fetch', [fetchMessage(window._id, 1)]);

    await worker.queue(batch, env);

    expect(decisionsOf(batch)).toEqual([{ kind: 'ack' }]);
    expect(ftsRequests().map((r) => r.status)).toEqual([504]);
    expect(env.FETCH_QUEUE.sent).toEqual([{ contentType: 'json', body: fetchMessage(window._id, 2), delaySeconds: expect.any(Number) }]);
    expect(env.FETCH_QUEUE.sent[0].delaySeconds).toBeGreaterThanOrEqual(43);
    expect(env.FETCH_QUEUE.sent[0].delaySeconds).toBeLessThanOrEqual(45);
    expect(await readWindow(window._id)).toMatchObject({ state: 'fetching', seq: 2, lease: null, checkpoint: window.checkpoint });
    expect(await stack.db.collection(COLLECTIONS.messageFailures).countDocuments()).toBe(0);
    expect(env.FETCH_DLQ.sent).toEqual([]);
  });
});

describe('a window started again', () => {
  it('after its message was dead-lettered, the producer resumes it from its checkpoint: no page it stored is asked again', async () => {
    const window = await queuedDelta(stack.db, 'FIND_A_TENDER', DAY);
    // The first message pages for a second (each answer 100 ms slow: a few pages) and hands on;
    // its follow-up is dead-lettered (its retries spent), so the dead-letter consumer marks the window failed.
    stack.simulator.setFaults({ slow: { source: 'FIND_A_TENDER', count: 1000, delayMs: 100 } });
    const first = fakeBatch('fetch', [fetchMessage(window._id, 1)]);
    await worker.queue(first, { ...stack.env, FETCH_INVOCATION_SECONDS: '1' } as FakeEnv);
    stack.simulator.setFaults({ slow: { source: 'FIND_A_TENDER', count: 0, delayMs: 0 } });
    expect(decisionsOf(first)).toEqual([{ kind: 'ack' }]);
    const [followUp] = stack.env.FETCH_QUEUE.take();
    expect(followUp).toEqual(fetchMessage(window._id, 2));
    await worker.queue(fakeBatch('fetch-dlq', [followUp]), stack.env);
    const failed = await readWindow(window._id);
    expect(failed).toMatchObject({ state: 'failed', seq: 2, checkpoint: { complete: false } });
    const pagesBefore = failed.checkpoint.pages;
    expect(pagesBefore).toBeGreaterThan(0);

    // The producer's step (the hourly cron, or the consumer topping up) starts it again.
    await enqueueDueWindows(stack.env, readConfig(stack.env), stack.db, 'FIND_A_TENDER', new Date());
    await deliverAll(stack.env);

    expect([...servedTimes(ftsRequests()).values()].filter((n) => n > 1), 'pages answered more than once').toEqual([]);
    expect(await readWindow(window._id)).toMatchObject({ state: 'done', generation: 0, attempts: 1 });
    expect((await readWindow(window._id)).checkpoint.pages).toBeGreaterThan(pagesBefore);
    expect(await stack.db.collection(COLLECTIONS.contracts).countDocuments({ source: 'FIND_A_TENDER' })).toBe(noticesIn('FIND_A_TENDER', window));
  }, 60_000);
});
