import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local/freePort.ts';
import { fetchMessage } from '../../shared/queue/messages.ts';
import { HOLD_RECHECK_MS } from '../../shared/rateGate/slotBook.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { deadLettersCollection } from '../../shared/store/deadLetters.ts';
import { claimWindow, windowsCollection } from '../../shared/store/windows.ts';
import { firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import { sources } from '../../shared/sources/sources.ts';
import { MAX_REPLAN_WINDOWS } from '../../producer/http/postReplan.ts';
import worker from '../../worker.ts';
import { makeWriteMessage } from '../factories.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { callWorker } from './callWorker.ts';
import { decisionsOf, fakeBatch, fakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { monthWindow, recordWindow } from './recordWindow.ts';

/**
 * The admin endpoints through the Worker's entry: each refuses a caller without the token (401),
 * answers bad input with a 400 that names the field, and does what it says (a paused source sends
 * no request upstream until resumed; replanned windows start a new generation and their old chain
 * is stale; a replay re-sends the letter). No answer and no log line shows a secret.
 */
const TOKEN = 'the-admin-token-for-these-tests-42';
const bearer = `Bearer ${TOKEN}`;
const dataset = generateDataset({ seed: 11, from: new Date('2024-02-01T00:00:00Z'), to: new Date('2024-04-01T00:00:00Z'), ftsPerDay: 3, cfPerDay: 3 });
const stack = handlerStack({ prefix: 'h_admin', upstream: { dataset }, vars: { ADMIN_TOKEN: TOKEN }, perTest: 'database' });

/** `authorization` null: none at all. */
const post = (path: string, body?: unknown, authorization: string | null = bearer, on = stack.env) => callWorker(on, 'POST', path, { authorization: authorization ?? undefined, body });
const ADMIN_ROUTES = ['/admin/pause', '/admin/resume', '/admin/replan', '/admin/replay', '/replay'];
const VALID_BODY: Record<string, unknown> = {
  '/admin/pause': { source: 'FIND_A_TENDER' },
  '/admin/resume': { source: 'FIND_A_TENDER' },
  '/admin/replan': { source: 'FIND_A_TENDER', from: '2024-02-01', to: '2024-03-01' },
};

describe('admin endpoints: the token', () => {
  it.each(ADMIN_ROUTES.flatMap((path) => [
    { path, name: 'no Authorization', authorization: null },
    { path, name: 'a wrong token', authorization: 'Bearer not-the-admin-token-at-all' },
    { path, name: 'the token without Bearer', authorization: TOKEN },
    { path, name: 'a token one character short', authorization: bearer.slice(0, -1) },
  ]))('POST $path with $name: 401, and nothing changes', async ({ path, authorization }) => {
    const window = await recordWindow(stack.db, monthWindow('FIND_A_TENDER', '2024-02'), { state: 'done', seq: 3, releasesWritten: 9 });

    const answer = await post(path, VALID_BODY[path], authorization);

    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatch(/Authorization: Bearer <ADMIN_TOKEN>/);
    expect(await stack.env.RATE_GATE.gate('FIND_A_TENDER').status()).not.toHaveProperty('hold');
    expect(await windowsCollection(stack.db).findOne({ _id: window._id })).toEqual(window);
    expect([stack.env.FETCH_QUEUE.sent, stack.env.WRITE_QUEUE.sent]).toEqual([[], []]);
  });

  it('keeps every admin endpoint closed (403) while no ADMIN_TOKEN is configured', async () => {
    const closed = fakeEnv({ MONGODB_URI: stack.testDb.uri, MONGODB_DB: stack.testDb.name });
    for (const path of ADMIN_ROUTES) {
      expect(await post(path, VALID_BODY[path], bearer, closed)).toMatchObject({ status: 403, body: { error: expect.stringMatching(/ADMIN_TOKEN/) } });
    }
  });
});

describe('admin endpoints: bad input is a 400 that names the field', () => {
  it.each([
    { path: '/admin/pause', body: '{"source": "FIND_A_TENDER"', error: /^body: not valid JSON/ },
    { path: '/admin/pause', body: '', error: /^body: not valid JSON/ },
    { path: '/admin/pause', body: {}, error: /^source: is required$/ },
    { path: '/admin/pause', body: { source: 'TED' }, error: /^source: must be one of FIND_A_TENDER, CONTRACTS_FINDER, PUBLIC_CONTRACTS_SCOTLAND$/ },
    // What was sent is never repeated: a secret pasted into a field does not come back (callWorker checks).
    { path: '/admin/pause', body: { source: TOKEN }, error: /^source: must be one of/ },
    { path: '/admin/pause', body: { source: 'FIND_A_TENDER', reason: 42 }, error: /^reason: must be a string$/ },
    { path: '/admin/resume', body: JSON.stringify(TOKEN), error: /^body: must be a JSON object$/ },
    { path: '/admin/resume', body: 'null', error: /^body: must be a JSON object$/ },
    { path: '/admin/resume', body: { source: 'fts' }, error: /^source: must be one of/ },
    { path: '/admin/replan', body: { source: 'FIND_A_TENDER', from: 20240201, to: '2024-03-01' }, error: /^from: must be a date as a string/ },
    { path: '/admin/replan', body: { source: 'FIND_A_TENDER', to: '2024-03-01' }, error: /^from: is required$/ },
    { path: '/admin/replan', body: { source: 'FIND_A_TENDER', from: 'last week', to: '2024-03-01' }, error: /^from: must be YYYY-MM-DD or an ISO instant/ },
    { path: '/admin/replan', body: { source: 'FIND_A_TENDER', from: '2024-02-01', to: '2024-02-30' }, error: /^to: is not a date in the calendar$/ },
    { path: '/admin/replan', body: { source: 'FIND_A_TENDER', from: '2024-13-01', to: '2024-14-01' }, error: /^from: is not a date in the calendar; to: is not a date in the calendar$/ },
    { path: '/admin/replan', body: { source: 'FIND_A_TENDER', from: '2024-03-01', to: '2024-02-01' }, error: /^to: must be after from$/ },
    { path: '/admin/replan', body: { source: 'FIND_A_TENDER', from: '2024-03-01', to: '2024-03-01' }, error: /^to: must be after from$/ },
  ])('POST $path $body → $error', async ({ path, body, error }) => {
    const window = await recordWindow(stack.db, monthWindow('FIND_A_TENDER', '2024-02'), { state: 'done', seq: 3 });

    const answer = await post(path, body);

    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(error);
    expect(await stack.env.RATE_GATE.gate('FIND_A_TENDER').status()).not.toHaveProperty('hold');
    expect(await windowsCollection(stack.db).findOne({ _id: window._id })).toEqual(window);
  });
});

describe('POST /admin/pause and /admin/resume', () => {
  it('holds the source in its gate: a fetch sends no request upstream and hands the window on; after resume it fetches', async () => {
    const planned = monthWindow('CONTRACTS_FINDER', '2024-03');
    const window = await recordWindow(stack.db, planned);
    expect(await claimWindow(stack.db, window, null, new Date())).toBe(1);

    const paused = await post('/admin/pause', { source: 'CONTRACTS_FINDER', reason: 'checking a 403 with the service' });
    expect(paused).toMatchObject({ status: 200, body: { source: 'CONTRACTS_FINDER', paused: { reason: 'checking a 403 with the service' } } });
    expect((await callWorker(stack.env, 'GET', '/status')).body.sources).toContainEqual(
      expect.objectContaining({ source: 'CONTRACTS_FINDER', figures: expect.objectContaining({ paused: expect.objectContaining({ reason: 'checking a 403 with the service' }) }) }),
    );

    const held = fakeBatch('fetch', [fetchMessage(window._id, 1)]);
    await worker.queue(held, stack.env);
    expect(decisionsOf(held)).toEqual([{ kind: 'ack' }]);
    expect(stack.simulator.requests.filter((r) => r.source === 'CONTRACTS_FINDER')).toEqual([]);
    expect(stack.env.FETCH_QUEUE.sent).toEqual([{ contentType: 'json', delaySeconds: HOLD_RECHECK_MS / 1000, body: fetchMessage(window._id, 2) }]);
    expect(await windowsCollection(stack.db).findOne({ _id: window._id })).toMatchObject({ state: 'fetching', seq: 2, lease: null, 'checkpoint': { pages: 0 } });
    // The other source is not held.
    expect(await stack.env.RATE_GATE.gate('FIND_A_TENDER').status()).not.toHaveProperty('hold');

    const resumed = await post('/admin/resume', { source: 'CONTRACTS_FINDER' });
    expect(resumed).toMatchObject({ status: 200, body: { source: 'CONTRACTS_FINDER', paused: null, refusedUntil: null } });
    const after = fakeBatch('fetch', stack.env.FETCH_QUEUE.take());
    await worker.queue(after, stack.env);
    expect(decisionsOf(after)).toEqual([{ kind: 'ack' }]);
    expect(stack.simulator.requests.filter((r) => r.source === 'CONTRACTS_FINDER').length).toBeGreaterThan(0);
    expect(await windowsCollection(stack.db).findOne({ _id: window._id })).toMatchObject({ state: 'fetched' });
  });
});

describe('POST /admin/replan', () => {
  it('plans the windows overlapping the range again, in a new generation; the old chain is stale; others are untouched', async () => {
    const months = ['2024-01', '2024-02', '2024-03', '2024-04'];
    for (const month of months) await recordWindow(stack.db, monthWindow('FIND_A_TENDER', month), { state: 'done', seq: 3, releasesWritten: 9, attempts: 2, doneAt: new Date() });
    const cfSameMonth = await recordWindow(stack.db, monthWindow('CONTRACTS_FINDER', '2024-02'), { state: 'done', seq: 3, releasesWritten: 9 });
    const before = await windowsCollection(stack.db).find({ _id: { $in: ['FIND_A_TENDER:2024-01', 'FIND_A_TENDER:2024-04'] } }).sort({ _id: 1 }).toArray();

    const answer = await post('/admin/replan', { source: 'FIND_A_TENDER', from: '2024-02-15', to: '2024-03-01T12:00:00Z' });

    expect(answer).toMatchObject({ status: 200, body: { source: 'FIND_A_TENDER', replanned: ['FIND_A_TENDER:2024-02', 'FIND_A_TENDER:2024-03'], skipped: [], enqueued: 2 } });
    for (const id of ['FIND_A_TENDER:2024-02', 'FIND_A_TENDER:2024-03']) {
      const w = await windowsCollection(stack.db).findOne({ _id: id });
      // Pending with a new generation and seq 4, then claimed by the enqueue (seq 5, queued), from its first slice.
      expect(w).toMatchObject({ state: 'queued', seq: 5, generation: 1, releasesWritten: 0, attempts: 0, pageParts: {}, doneAt: null, lastError: null });
      expect(w!.checkpoint).toEqual(firstCheckpoint(w!, sources.FIND_A_TENDER.maxSliceMs));
      expect(w!.events.at(-1)).toMatch(/planned again by an operator$/);
    }
    expect(stack.env.FETCH_QUEUE.bodies()).toEqual([fetchMessage('FIND_A_TENDER:2024-03', 5), fetchMessage('FIND_A_TENDER:2024-02', 5)]);
    expect(await windowsCollection(stack.db).find({ _id: { $in: ['FIND_A_TENDER:2024-01', 'FIND_A_TENDER:2024-04'] } }).sort({ _id: 1 }).toArray()).toEqual(before);
    expect(await windowsCollection(stack.db).findOne({ _id: cfSameMonth._id })).toEqual(cfSameMonth);

    // A message of the chain before the replan is stale: it fetches nothing.
    stack.simulator.resetLog();
    stack.env.FETCH_QUEUE.take();
    const stale = fakeBatch('fetch', [fetchMessage('FIND_A_TENDER:2024-02', 3)]);
    await worker.queue(stale, stack.env);
    expect(decisionsOf(stale)).toEqual([{ kind: 'ack' }]);
    expect(stack.simulator.requests).toEqual([]);
    expect(stack.env.WRITE_QUEUE.sent).toEqual([]);
  });

  it(`refuses a range holding more than ${MAX_REPLAN_WINDOWS} windows, and changes none`, async () => {
    const deltas = Array.from({ length: MAX_REPLAN_WINDOWS + 1 }, (_, i) => {
      const from = new Date(Date.UTC(2024, 5, 1) + i * 3_600_000);
      return { _id: `FIND_A_TENDER:delta:${from.toISOString()}`, source: 'FIND_A_TENDER' as const, span: 'delta' as const, from, to: new Date(from.getTime() + 3_600_000) };
    });
    for (const planned of deltas) await recordWindow(stack.db, planned, { state: 'done' });

    const answer = await post('/admin/replan', { source: 'FIND_A_TENDER', from: '2024-06-01', to: '2024-07-01' });

    expect(answer).toMatchObject({ status: 400, body: { error: `to: the range holds more than ${MAX_REPLAN_WINDOWS} windows; replan it in parts` } });
    expect(await windowsCollection(stack.db).countDocuments({ kind: 'window', state: 'done', generation: 0 })).toBe(MAX_REPLAN_WINDOWS + 1);
  });
});

describe('POST /admin/replay', () => {
  it('re-sends a stored dead letter to its queue, as POST /replay does', async () => {
    const unreadable = makeWriteMessage({ windowId: 'FIND_A_TENDER:2018-01', page: -1 });
    await worker.queue(fakeBatch('write', [unreadable]), stack.env);
    await worker.queue(fakeBatch('write-dlq', stack.env.WRITE_DLQ.take()), stack.env);

    const answer = await post('/admin/replay');

    expect(answer).toMatchObject({ status: 200, body: { replayed: [expect.any(String)], parked: [] } });
    expect(stack.env.WRITE_QUEUE.bodies()).toEqual([unreadable]);
    expect(await deadLettersCollection(stack.db).countDocuments({ state: 'replayed', replays: 1 })).toBe(1);
  });
});

describe('errors', () => {
  it('answers an unreachable MongoDB with a 500 whose text and log lines show neither the URI nor its password nor the token', async () => {
    const closedPort = await freePort();
    const unreachable = fakeEnv({ MONGODB_URI: `mongodb://admin:hunter2-secret@127.0.0.1:${closedPort}/`, MONGODB_DB: stack.testDb.name, ADMIN_TOKEN: TOKEN, MONGODB_TIMEOUT_MS: '300' });
    for (const [path, body] of [['/admin/replan', VALID_BODY['/admin/replan']], ['/admin/replay', undefined]] as const) {
      const answer = await post(path, body, bearer, unreachable);
      expect(answer).toMatchObject({ status: 500, body: { error: expect.stringMatching(/MongoServerSelectionError/) } });
      expect(answer.logs).toEqual([expect.stringMatching(new RegExp(`^POST ${path}: MongoDB unreachable: MongoServerSelectionError`))]);
    }
    expect(await callWorker(unreachable, 'GET', '/')).toMatchObject({ status: 500 });
    expect(await stack.db.collection(COLLECTIONS.syncJobs).countDocuments()).toBe(0);
  });
});
