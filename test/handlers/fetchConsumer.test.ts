import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { fetchMessage, WriteMessageSchema, type WriteMessage } from '../../shared/queue/messages.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { claimWindow, takeLease, windowsCollection } from '../../shared/store/windows.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import worker from '../../worker.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { decisionsOf, fakeBatch } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { queuedDelta } from './recordWindow.ts';

/**
 * The `fetch` queue through the Worker's entry (worker.queue) against the upstream simulator, in
 * process: a window is paged inside the gate's budget, its pages leave as write messages, its
 * checkpoint is saved; stale and duplicate messages change nothing; refusals (FTS 429 and 503, CF
 * 403 and 429) pause the source and hand the window on; a 5xx pauses it too, then one request probes;
 * an unknown window is dead-lettered.
 */
const dataset = generateDataset({ seed: 5, from: new Date('2024-03-04T00:00:00Z'), to: new Date('2024-03-09T00:00:00Z'), ftsPerDay: 120, cfPerDay: 120 });
// A database per test: the fetch consumer tops up the source's due windows when one finishes,
// and windows left by another test must not be among them.
const stack = handlerStack({ prefix: 'h_fetch', upstream: { dataset }, vars: { PAGE_LIMIT: '25', UPSTREAM_PROBE_SECONDS: '1' }, perTest: 'database' });

const ack = { kind: 'ack' };

/** A one-day delta window of `source` from `day`, recorded and claimed by the producer: queued at seq 1. */
const queuedWindow = (source: SourceName, day: string): Promise<WindowDoc> => queuedDelta(stack.db, source, new Date(`${day}T00:00:00Z`));

async function readWindow(id: string): Promise<WindowDoc> {
  const window = await windowsCollection(stack.db).findOne({ _id: id });
  if (!window) throw new Error(`no window ${id}`);
  return window;
}

const servedIn = (window: WindowDoc) => dataset[window.source].filter((r) => r.date >= window.from && r.date < window.to);
const servedIdsIn = (window: WindowDoc) => servedIn(window).map((r) => r.id);
const requestsOf = (source: SourceName) => stack.simulator.requests.filter((r) => r.source === source);

describe('fetch consumer (worker.queue on `fetch`)', () => {
  it.each(['FIND_A_TENDER', 'CONTRACTS_FINDER'] as const)('pages a %s window to the end, sends its write parts, saves the checkpoint and acks', async (source) => {
    const window = await queuedWindow(source, '2024-03-05');
    const batch = fakeBatch('fetch', [fetchMessage(window._id, 1)]);

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([ack]);
    const writes = stack.env.WRITE_QUEUE.sent.map((m) => {
      expect(m.contentType).toBe('json');
      const parsed = v.safeParse(WriteMessageSchema, m.body);
      expect(parsed.issues).toBeUndefined();
      return m.body as WriteMessage;
    });
    const expected = servedIdsIn(window);
    expect(expected.length).toBeGreaterThan(50);
    expect(writes.flatMap((w) => w.releases.map((r) => r.contract.releaseId)).sort()).toEqual([...expected].sort());

    const after = await readWindow(window._id);
    const pages = requestsOf(source).length;
    expect(requestsOf(source).every((r) => r.status === 200)).toBe(true);
    expect(after).toMatchObject({ state: 'fetched', seq: 1, lease: null, checkpoint: { complete: true, pages, releasesFetched: expected.length } });
    // Every part the window waits for was sent, and nothing else.
    const waitedFor = Object.entries(after.pageParts).flatMap(([page, parts]) => Array.from({ length: parts }, (_, part) => `${page.slice(1)}.${part}`));
    expect(writes.map((w) => `${w.page}.${w.part}`).sort()).toEqual(waitedFor.sort());
    expect(writes.every((w) => w.windowId === window._id && w.generation === after.generation)).toBe(true);
    expect([stack.env.FETCH_QUEUE.sent, stack.env.FETCH_DLQ.sent]).toEqual([[], []]);

    // Stored by the write consumer, those parts close the window with every release.
    await worker.queue(fakeBatch('write', writes), stack.env);
    expect(await readWindow(window._id)).toMatchObject({ state: 'done', releasesWritten: expected.length });
    // One contract per notice: a CF notice's versions are one contract.
    expect(await stack.db.collection(COLLECTIONS.contracts).countDocuments({ source })).toBe(new Set(servedIn(window).map((r) => r.notice)).size);
  });

  it('acks a stale, a repeated and a duplicate message and changes nothing', async () => {
    const finished = await queuedWindow('FIND_A_TENDER', '2024-03-06');
    await worker.queue(fakeBatch('fetch', [fetchMessage(finished._id, 1)]), stack.env);
    const reclaimed = await queuedWindow('FIND_A_TENDER', '2024-03-07');
    expect(await claimWindow(stack.db, reclaimed, null, new Date())).toBe(2);
    const leased = await queuedWindow('FIND_A_TENDER', '2024-03-08');
    expect(await takeLease(stack.db, leased._id, 1, 'the message that holds the window', 60_000, new Date())).not.toBeNull();
    const before = await windowsCollection(stack.db).find({}).sort({ _id: 1 }).toArray();
    const [requests, writes] = [stack.simulator.requests.length, stack.env.WRITE_QUEUE.sent.length];

    const batch = fakeBatch('fetch', [
      fetchMessage(reclaimed._id, 1), // stale: the window was claimed again, its chain is at seq 2
      fetchMessage(finished._id, 1), // repeated after the window was fetched
      fetchMessage(leased._id, 1), // duplicate: another message holds the lease
    ]);
    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([ack, ack, ack]);
    expect(await windowsCollection(stack.db).find({}).sort({ _id: 1 }).toArray()).toEqual(before);
    expect([stack.simulator.requests.length, stack.env.WRITE_QUEUE.sent.length]).toEqual([requests, writes]);
    expect([stack.env.FETCH_QUEUE.sent, stack.env.FETCH_DLQ.sent]).toEqual([[], []]);
  });

  it('dead-letters a message for a window that is not recorded, with the reason, and acks it', async () => {
    const body = fetchMessage('FIND_A_TENDER:delta:2024-03-05T00:00:00.000Z', 1);
    const batch = fakeBatch('fetch', [body]);

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([ack]);
    expect(stack.env.FETCH_DLQ.bodies()).toEqual([{ v: 1, type: 'dead', queue: 'fetch', body, attempts: 1, error: `PermanentError: no window ${body.windowId} in syncJobs` }]);
    expect(stack.simulator.requests).toEqual([]);
  });

  it.each([
    { source: 'FIND_A_TENDER', refusal: 429, storm: { retryAfterSeconds: 120 }, pauseSeconds: 120, reason: 'FTS answered 429' },
    { source: 'FIND_A_TENDER', refusal: 503, storm: { retryAfterSeconds: 90, status: 503 }, pauseSeconds: 90, reason: 'FTS answered 503' },
    { source: 'CONTRACTS_FINDER', refusal: 403, storm: { retryAfterSeconds: null }, pauseSeconds: 300, reason: 'CF answered 403' },
    { source: 'CONTRACTS_FINDER', refusal: 429, storm: { retryAfterSeconds: null, status: 429 }, pauseSeconds: 300, reason: 'CF answered 429' },
  ] as const)('on a $refusal from $source (Retry-After: $storm.retryAfterSeconds) pauses the gate and hands the window on, delayed by the pause', async ({ source, refusal, storm, pauseSeconds, reason }) => {
    const window = await queuedWindow(source, '2024-03-05');
    stack.simulator.setFaults({ rateLimitStorm: { source, count: 1, ...storm } });
    const startedAt = Date.now();
    const batch = fakeBatch('fetch', [fetchMessage(window._id, 1)]);

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([ack]);
    expect(requestsOf(source).map((r) => [r.status, r.rateLimited])).toEqual([[refusal, true]]);
    const book = await stack.env.RATE_GATE.gate(source).status();
    expect(book.pauseReason).toBe(reason);
    expect(book.pausedUntil).toBeGreaterThanOrEqual(startedAt + pauseSeconds * 1000);
    expect(book.pausedUntil).toBeLessThanOrEqual(Date.now() + pauseSeconds * 1000);
    expect(stack.env.FETCH_QUEUE.sent).toEqual([{ contentType: 'json', body: fetchMessage(window._id, 2), delaySeconds: expect.any(Number) }]);
    const delay = stack.env.FETCH_QUEUE.sent[0].delaySeconds ?? 0;
    expect(delay).toBeGreaterThanOrEqual(pauseSeconds - 2);
    expect(delay).toBeLessThanOrEqual(pauseSeconds);
    // Handed on at seq 2 with its checkpoint where it was: the follow-up starts the window again.
    expect(await readWindow(window._id)).toMatchObject({ seq: 2, lease: null, checkpoint: window.checkpoint });
    expect(stack.env.WRITE_QUEUE.sent).toEqual([]);
  });

  it('on a 5xx pauses the source in its gate, probes after the pause and finishes the window in the same message: nothing retried or noted', async () => {
    const window = await queuedWindow('FIND_A_TENDER', '2024-03-08');
    stack.simulator.setFaults({ serverErrors: { source: 'FIND_A_TENDER', count: 1, status: 500 } });
    const batch = fakeBatch('fetch', [fetchMessage(window._id, 1)]);

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([ack]);
    const [failure, probe, ...rest] = requestsOf('FIND_A_TENDER');
    expect([failure.status, probe.status, ...rest.map((r) => r.status)]).toEqual([500, ...Array(rest.length + 1).fill(200)]);
    // The probe (the same page again) only once the pause after the failure (UPSTREAM_PROBE_SECONDS) was over.
    expect(probe.query).toEqual(failure.query);
    expect(probe.at - failure.at).toBeGreaterThanOrEqual(1000);
    expect(await stack.env.RATE_GATE.gate('FIND_A_TENDER').status()).toMatchObject({ outage: null, pauseReason: expect.stringMatching(/^upstream down \(1 failure\(s\) in a row\): HTTP 500 for http:/) });
    expect(await stack.db.collection(COLLECTIONS.messageFailures).countDocuments()).toBe(0);
    expect(await readWindow(window._id)).toMatchObject({ state: 'fetched', checkpoint: { complete: true, releasesFetched: servedIdsIn(window).length } });
    expect([stack.env.FETCH_QUEUE.sent, stack.env.FETCH_DLQ.sent]).toEqual([[], []]);
  });

  it('a message that fails on its own after saving pages hands the window on from its checkpoint, retries nothing and notes nothing; one that saved none is retried and noted', async () => {
    const window = await queuedWindow('FIND_A_TENDER', '2024-03-06');
    // The write queue refuses one send once three pages' parts have gone (Cloudflare's send can fail).
    const queue = stack.env.WRITE_QUEUE;
    const send = queue.send.bind(queue);
    let sends = 0;
    let refuseAll = false;
    queue.send = async (body, options) => {
      if (++sends === 3 || refuseAll) throw new Error('Queue send failed: the test refused it');
      return send(body, options);
    };
    const batch = fakeBatch('fetch', [fetchMessage(window._id, 1)]);

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([ack]);
    const pagesSaved = (await readWindow(window._id)).checkpoint.pages;
    expect(pagesSaved).toBe(2);
    expect(stack.env.FETCH_QUEUE.sent).toEqual([{ contentType: 'json', body: fetchMessage(window._id, 2), delaySeconds: expect.any(Number) }]);
    expect(stack.env.FETCH_QUEUE.sent[0].delaySeconds).toBeLessThanOrEqual(5);
    expect(await readWindow(window._id)).toMatchObject({ state: 'fetching', seq: 2, lease: null });
    expect(await stack.db.collection(COLLECTIONS.messageFailures).countDocuments()).toBe(0);

    // The follow-up fails before saving any page: its own failure, retried with a backoff and noted.
    refuseAll = true;
    const followUp = fakeBatch('fetch', stack.env.FETCH_QUEUE.take());
    await worker.queue(followUp, stack.env);
    expect(decisionsOf(followUp)).toEqual([{ kind: 'retry', delaySeconds: expect.any(Number) }]);
    expect(await stack.db.collection(COLLECTIONS.messageFailures).countDocuments()).toBe(1);
    expect((await readWindow(window._id)).checkpoint.pages).toBe(pagesSaved);
  });

  it('quarantines a CF release whose id is not <GUID>-<6 digits> with the reason, never under a guessed notice, and stores the rest', async () => {
    const template = dataset.CONTRACTS_FINDER.find((r) => r.date.toISOString().startsWith('2024-03-04'))!;
    const badId = `${template.notice}-58233`; // five digits: no CF release id
    const release = { ...structuredClone(template.release), id: badId, date: '2024-03-04T12:00:00Z' };
    stack.simulator.publish('CONTRACTS_FINDER', [{ id: badId, notice: template.notice, date: new Date(release.date), release }]);
    const window = await queuedWindow('CONTRACTS_FINDER', '2024-03-04');

    await worker.queue(fakeBatch('fetch', [fetchMessage(window._id, 1)]), stack.env);

    expect(await stack.db.collection(COLLECTIONS.quarantine).find({ windowId: window._id }).toArray()).toMatchObject([
      { source: 'CONTRACTS_FINDER', reason: `mapping failed: Contracts Finder release id "${badId}" is not <notice GUID>-<6 digits>`, release: { id: badId } },
    ]);
    const sent = stack.env.WRITE_QUEUE.sent.flatMap((m) => (m.body as WriteMessage).releases.map((r) => r.contract.releaseId));
    expect(sent).not.toContain(badId);
    expect(sent.length).toBeGreaterThan(50);
    expect(sent.sort()).toEqual(servedIdsIn(window).filter((id) => id !== badId).sort());
  });
});
