import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import * as v from 'valibot';
import { fetchWindow, type FetchOutcome } from '../../consumer/fetch/fetchWindow.ts';
import { readConfig } from '../../shared/config.ts';
import { FetchMessageSchema, WriteMessageSchema, type FetchMessage } from '../../shared/queue/messages.ts';
import { sources } from '../../shared/sources/sources.ts';
import { enqueueDueWindows } from '../../shared/steps/enqueueDueWindows.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { recordWindows } from '../../shared/store/windows.ts';
import { firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import type { PlannedWindow } from '../../shared/windows/planWindows.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { startSimulator, type Simulator } from '../simulator/server.ts';
import { fakeEnv } from '../handlers/fakeEnv.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * The rate gate under contention: four fetch consumers page four windows at once, in process,
 * through the real fetchWindow against the simulator, all sharing one source's RateGate. The gate
 * runs the Durable Object's own calls in process (test/handlers/fakeEnv.ts), since
 * `cloudflare:workers` does not load in Node. With the budget below the
 * simulator's limit nothing is refused and the busiest period stays within the limit; the same run
 * with the budget above the limit is refused, so these checks can fail.
 */
const SOURCE = 'FIND_A_TENDER';
/** The simulator's limit: 10 requests in any 2 s, i.e. 300 a minute. */
const LIMIT = { requests: 10, periodMs: 2_000 };
/** 90% of the limit: the gate's own jitter allowance is slotBook.test.ts's to check; the rest
 * keeps timer jitter on a busy machine from deciding this test. */
const BUDGET_BELOW_LIMIT = 270;
const BUDGET_ABOVE_LIMIT = 2_700;
/** Four weekdays, one window each: four 6-hour FTS slices per window, pages of 10. */
const DAYS = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07'];
const dataset = generateDataset({ seed: 8, from: new Date(`${DAYS[0]}T00:00:00Z`), to: new Date('2024-03-08T00:00:00Z'), ftsPerDay: 30, cfPerDay: 0, real: 'none' });

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

interface Contention {
  sim: Simulator;
  outcomes: FetchOutcome[];
  /** Release ids the consumers sent to the write queue. */
  sentIds: string[];
  /** Release ids of the dataset inside the four windows. */
  windowIds: string[];
}

/** Plans the four windows, lets the pipeline enqueue them, and delivers the four messages at once. */
async function runFourConsumersAtOnce(budget: number): Promise<Contention> {
  const sim = await startSimulator({ dataset, rateLimit: { FIND_A_TENDER: LIMIT, CONTRACTS_FINDER: LIMIT }, pauseAfterRefusalMs: { FIND_A_TENDER: 2_000 } });
  const test = await openTestDb('gate');
  running.push(sim, test);
  const db: Db = test.db;
  await ensureIndexes(db);
  const vars = { MONGODB_URI: test.uri, MONGODB_DB: test.name, FTS_API_URL: sim.url, CF_API_URL: sim.url, FTS_REQUESTS_PER_MINUTE: String(budget), CF_REQUESTS_PER_MINUTE: String(budget), FTS_START_DATE: DAYS[0], CF_START_DATE: DAYS[0], STORE_RAW: 'off', ADMIN_TOKEN: 'unused-admin-token' };
  const config = readConfig({ ...vars, PAGE_LIMIT: '10', FETCH_WINDOWS_IN_FLIGHT: String(DAYS.length) });
  const env = fakeEnv(vars);

  const windows: PlannedWindow[] = DAYS.map((day) => {
    const from = new Date(`${day}T00:00:00Z`);
    return { _id: `${SOURCE}:${day}`, source: SOURCE, span: 'month', from, to: new Date(from.getTime() + 86_400_000) };
  });
  await recordWindows(db, windows, (w) => firstCheckpoint(w, sources[SOURCE].maxSliceMs), new Date());
  expect(await enqueueDueWindows(env, config, db, SOURCE, new Date())).toEqual({ sent: DAYS.length, waiting: DAYS.length });
  const messages: FetchMessage[] = env.FETCH_QUEUE.bodies().map((body) => v.parse(FetchMessageSchema, body));
  const outcomes = await Promise.all(messages.map((message, i) => fetchWindow(env, config, db, message, `consumer-${i}`)));

  const sentIds = env.WRITE_QUEUE.bodies().flatMap((body) => v.parse(WriteMessageSchema, body).releases.map((r) => r.contract.noticeId));
  const inWindows = dataset[SOURCE].filter((r) => windows.some((w) => r.date >= w.from && r.date < w.to));
  return { sim, outcomes, sentIds, windowIds: inWindows.map((r) => r.id) };
}

describe('the rate gate under contention: four fetch consumers paging at once share one budget', () => {
  it('keeps them within the simulator limit: nothing refused, the busiest period at most the limit', async () => {
    const { sim, outcomes, sentIds, windowIds } = await runFourConsumersAtOnce(BUDGET_BELOW_LIMIT);
    const stats = sim.stats();
    expect(outcomes.map((o) => o.kind)).toEqual(['fetched', 'fetched', 'fetched', 'fetched']);
    expect([...sentIds].sort()).toEqual([...windowIds].sort());
    // Contention: more requests than the limit allows in a period, and the gate kept them spread.
    expect(stats.requests[SOURCE]).toBeGreaterThan(2 * LIMIT.requests);
    expect(stats.rateLimited[SOURCE], 'refused requests').toBe(0);
    expect(stats.early[SOURCE], 'requests during a pause').toBe(0);
    expect(sim.maxRequestsInAnyPeriod(SOURCE), 'requests in the busiest 2 s').toBeLessThanOrEqual(LIMIT.requests);
  }, 60_000);

  it('with the budget above the limit, the same contention is refused and the busiest period exceeds it', async () => {
    const { sim, outcomes, sentIds, windowIds } = await runFourConsumersAtOnce(BUDGET_ABOVE_LIMIT);
    const stats = sim.stats();
    expect(stats.rateLimited[SOURCE], 'refused requests').toBeGreaterThan(0);
    expect(sim.maxRequestsInAnyPeriod(SOURCE), 'requests in the busiest 2 s').toBeGreaterThan(LIMIT.requests);
    // Each refusal paused the whole source in the gate: a consumer that was waiting for its slot
    // then gives it up instead of asking during the pause, and every window still got to its end.
    expect(stats.early[SOURCE], 'requests during a pause').toBe(0);
    expect(outcomes.map((o) => o.kind)).toEqual(['fetched', 'fetched', 'fetched', 'fetched']);
    expect([...sentIds].sort()).toEqual([...windowIds].sort());
  }, 60_000);
});
