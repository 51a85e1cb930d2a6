import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { fetchMessage, type WriteMessage } from '../../shared/queue/messages.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { claimWindow, windowsCollection } from '../../shared/store/windows.ts';
import { DELTA_LAG_MS, planDeltaWindow } from '../../shared/windows/planWindows.ts';
import worker from '../../worker.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { maxInAnyPeriod } from '../simulator/rateLimiter.ts';
import { decisionsOf, fakeBatch, fakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { monthWindow, recordWindow } from './recordWindow.ts';
import { SOURCES_ON } from '../stack/sourcesOn.ts';

/**
 * One `fetch` batch holding an FTS and a CF window: the invocation pages both at once, each source
 * inside its own budget, so one invocation at a time (as local queues run, and as a platform that
 * does not scale out would) still keeps both services asking at their budgets.
 */
const DAY = '2024-03-05';
const dataset = generateDataset({ seed: 11, from: new Date('2024-03-04T00:00:00Z'), to: new Date('2024-03-07T00:00:00Z'), ftsPerDay: 80, cfPerDay: 80, real: 'none' });
/** The simulator's limit per source: 4 requests in any second (240 a minute). */
const LIMIT = { requests: 4, periodMs: 1_000 };
/** Each source's budget, under the limit: a request every ~305 ms, at most 4 in a second. */
const BUDGET = 200;
const stack = handlerStack({ prefix: 'h_both', upstream: { dataset, rateLimit: LIMIT }, vars: { FTS_REQUESTS_PER_MINUTE: String(BUDGET), CF_REQUESTS_PER_MINUTE: String(BUDGET), PAGE_LIMIT: '10' }, perTest: 'database' });

/** A delta window of `source` over `days` from `day`, recorded and claimed by the producer: queued at seq 1. */
async function queuedWindow(source: SourceName, days = 1, day = DAY): Promise<string> {
  const from = new Date(`${day}T00:00:00Z`);
  const planned = planDeltaWindow(source, from, new Date(from.getTime() + days * 86_400_000 + DELTA_LAG_MS), 0);
  if (!planned) throw new Error('no window planned');
  const window = await recordWindow(stack.db, planned);
  expect(await claimWindow(stack.db, window, null, new Date())).toBe(1);
  return window._id;
}

describe('a fetch batch with an FTS and a CF window', () => {
  it('pages both at once, each source inside its own budget, and settles each message on its own', async () => {
    const ids = await Promise.all(SOURCES_ON.map((source) => queuedWindow(source)));
    const batch = fakeBatch('fetch', ids.map((id) => fetchMessage(id, 1)));

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([{ kind: 'ack' }, { kind: 'ack' }]);
    for (const id of ids) expect(await windowsCollection(stack.db).findOne({ _id: id })).toMatchObject({ state: 'fetched', checkpoint: { complete: true } });
    const sent = (stack.env.WRITE_QUEUE.bodies() as WriteMessage[]).flatMap((w) => w.releases.map((r) => `${r.contract.source}:${r.contract.noticeId}`));
    const due = SOURCES_ON.flatMap((source) => dataset[source].filter((r) => r.date.toISOString().startsWith(DAY)).map((r) => `${source}:${r.notice}`));
    expect(new Set(sent)).toEqual(new Set(due));

    const log = stack.simulator.requests;
    expect(log.filter((r) => r.rateLimited)).toEqual([]);
    const times = (source: SourceName) => log.filter((r) => r.source === source).map((r) => r.at);
    for (const source of SOURCES_ON) {
      expect(times(source).length, `${source} pages`).toBeGreaterThanOrEqual(8);
      expect(stack.simulator.maxRequestsInAnyPeriod(source), `${source}'s busiest second`).toBeLessThanOrEqual(LIMIT.requests);
    }
    // At once, not one after the other: the sources alternate in the log, and together they asked
    // more in their busiest second than one source's budget allows.
    const order = log.map((r) => r.source);
    const switches = order.filter((source, i) => i > 0 && source !== order[i - 1]).length;
    expect(switches, `source switches in ${order.join(' ')}`).toBeGreaterThanOrEqual(Math.min(...SOURCES_ON.map((s) => times(s).length)));
    expect(maxInAnyPeriod(log.map((r) => r.at), LIMIT.periodMs)).toBeGreaterThan(LIMIT.requests + 1);
  });
});

describe('a fetch batch whose CF window ends while its FTS window has pages left', () => {
  it('hands the FTS window on once the next CF window is queued, so the next batch starts with both', async () => {
    const fts = await queuedWindow('FIND_A_TENDER', 2);
    const cf = await queuedWindow('CONTRACTS_FINDER', 0.25);
    const nextCf = await recordWindow(stack.db, monthWindow('CONTRACTS_FINDER', '2024-02'));
    const startedAt = Date.now();
    const batch = fakeBatch('fetch', [fetchMessage(fts, 1), fetchMessage(cf, 1)]);

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([{ kind: 'ack' }, { kind: 'ack' }]);
    expect(await windowsCollection(stack.db).findOne({ _id: cf })).toMatchObject({ state: 'fetched' });
    // The FTS window is handed on well before FETCH_INVOCATION_SECONDS (60 s), right after the CF
    // window ended: its follow-up and the next CF window's message make the next batch.
    const after = await windowsCollection(stack.db).findOne({ _id: fts });
    expect(after).toMatchObject({ state: 'fetching', seq: 2, lease: null, checkpoint: { complete: false } });
    expect(stack.env.FETCH_QUEUE.bodies()).toEqual(expect.arrayContaining([fetchMessage(fts, 2), fetchMessage(nextCf._id, 1)]));
    expect(stack.env.FETCH_QUEUE.sent.find((m) => (m.body as { windowId: string }).windowId === fts)?.delaySeconds).toBe(0);
    const lastCf = Math.max(...stack.simulator.requests.filter((r) => r.source === 'CONTRACTS_FINDER').map((r) => r.at));
    const lastFts = Math.max(...stack.simulator.requests.filter((r) => r.source === 'FIND_A_TENDER').map((r) => r.at));
    expect(lastFts - lastCf, 'FTS requests after the last CF page').toBeLessThan(2_000);
    expect(Date.now() - startedAt).toBeLessThan(30_000);
  });
});

describe('a fetch batch whose CF window ends while the next CF windows are already on the queue', () => {
  it('hands the FTS window on too, though the in-flight limit lets nothing new be sent', async () => {
    // The bench's first batch: CF's delta ended while its two months (FETCH_WINDOWS_IN_FLIGHT) had
    // been queued behind the batch; CF idled until the invocation's end when only a window sent
    // at the end counted.
    const fts = await queuedWindow('FIND_A_TENDER', 2);
    const cf = await queuedWindow('CONTRACTS_FINDER', 0.25);
    const queuedCf = [];
    for (const month of ['2024-01', '2024-02']) {
      const window = await recordWindow(stack.db, monthWindow('CONTRACTS_FINDER', month));
      expect(await claimWindow(stack.db, window, null, new Date())).toBe(1);
      queuedCf.push(window._id);
    }
    const startedAt = Date.now();
    const batch = fakeBatch('fetch', [fetchMessage(fts, 1), fetchMessage(cf, 1)]);

    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([{ kind: 'ack' }, { kind: 'ack' }]);
    expect(await windowsCollection(stack.db).findOne({ _id: cf })).toMatchObject({ state: 'fetched' });
    expect(await windowsCollection(stack.db).findOne({ _id: fts })).toMatchObject({ state: 'fetching', seq: 2, lease: null, checkpoint: { complete: false } });
    // Only the FTS follow-up is sent: the queued CF windows already have their messages.
    expect(stack.env.FETCH_QUEUE.bodies()).toEqual([fetchMessage(fts, 2)]);
    for (const id of queuedCf) expect(await windowsCollection(stack.db).findOne({ _id: id })).toMatchObject({ state: 'queued', seq: 1 });
    const lastCf = Math.max(...stack.simulator.requests.filter((r) => r.source === 'CONTRACTS_FINDER').map((r) => r.at));
    const lastFts = Math.max(...stack.simulator.requests.filter((r) => r.source === 'FIND_A_TENDER').map((r) => r.at));
    expect(lastFts - lastCf, 'FTS requests after the last CF page').toBeLessThan(2_000);
    expect(Date.now() - startedAt).toBeLessThan(30_000);
  });
});

describe('a fetch batch whose CF window ends while the other CF window waits for its slot', () => {
  it('goes on paging FTS until that CF request, then hands every window on', async () => {
    // CF slots 3 s apart: when the one-page CF window ends, the other is waiting up to 3 s for its
    // next slot, and the invocation cannot end before that request.
    // A new env has a new gate with an empty book, while the simulator still counts the previous
    // test's last requests for one period (a CI run was refused one FTS request so).
    await sleep(LIMIT.periodMs);
    stack.env = fakeEnv({ MONGODB_URI: stack.testDb.uri, MONGODB_DB: stack.testDb.name, FTS_API_URL: stack.simulator.url, CF_API_URL: stack.simulator.url, FTS_REQUESTS_PER_MINUTE: '120', CF_REQUESTS_PER_MINUTE: '20', PAGE_LIMIT: '10' });
    const fts = await queuedWindow('FIND_A_TENDER', 2);
    const shortCf = await queuedWindow('CONTRACTS_FINDER', 0.05, '2024-03-04');
    const longCf = await queuedWindow('CONTRACTS_FINDER', 2);
    const nextCf = await recordWindow(stack.db, monthWindow('CONTRACTS_FINDER', '2024-02'));
    const batch = fakeBatch('fetch', [fetchMessage(fts, 1), fetchMessage(shortCf, 1), fetchMessage(longCf, 1)]);

    await worker.queue(batch, stack.env);

    expect(await windowsCollection(stack.db).findOne({ _id: shortCf })).toMatchObject({ checkpoint: { complete: true } });
    expect(stack.env.FETCH_QUEUE.bodies()).toEqual(expect.arrayContaining([fetchMessage(fts, 2), fetchMessage(longCf, 2), fetchMessage(nextCf._id, 1)]));
    for (const id of [fts, longCf]) expect(await windowsCollection(stack.db).findOne({ _id: id })).toMatchObject({ state: 'fetching', seq: 2, checkpoint: { complete: false } });
    const at = (source: SourceName) => stack.simulator.requests.filter((r) => r.source === source).map((r) => r.at);
    // FTS (a slot every 500 ms) asked until the last CF request, not only until the short window ended.
    expect(Math.max(...at('CONTRACTS_FINDER')) - Math.max(...at('FIND_A_TENDER')), 'FTS idle before the last CF request, ms').toBeLessThan(1_000);
    expect(stack.simulator.requests.filter((r) => r.rateLimited)).toEqual([]);
  });
});

describe('a window whose next slot comes after the batch has to hand on', () => {
  it.each([
    { waitSeconds: 5, delaySeconds: 0, why: 'the next invocation waits for it inline' },
    { waitSeconds: 90, delaySeconds: 90, why: 'longer than a consumer waits inline: the message waits instead' },
  ])('a slot $waitSeconds s away: follow-up delayed $delaySeconds s ($why)', async ({ waitSeconds, delaySeconds }) => {
    stack.env = fakeEnv({ MONGODB_URI: stack.testDb.uri, MONGODB_DB: stack.testDb.name, FTS_API_URL: stack.simulator.url, FTS_REQUESTS_PER_MINUTE: String(BUDGET), FETCH_INVOCATION_SECONDS: '1' });
    const fts = await queuedWindow('FIND_A_TENDER');
    await stack.env.RATE_GATE.gate('FIND_A_TENDER').pause(waitSeconds * 1000, 'the test holds the source');

    await worker.queue(fakeBatch('fetch', [fetchMessage(fts, 1)]), stack.env);

    expect(stack.simulator.requests).toEqual([]);
    expect(stack.env.FETCH_QUEUE.sent).toEqual([{ contentType: 'json', body: fetchMessage(fts, 2), delaySeconds: expect.any(Number) }]);
    expect(stack.env.FETCH_QUEUE.sent[0].delaySeconds).toBeGreaterThanOrEqual(delaySeconds - 1);
    expect(stack.env.FETCH_QUEUE.sent[0].delaySeconds).toBeLessThanOrEqual(delaySeconds);
  });
});
