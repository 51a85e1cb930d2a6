import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { produce } from '../../producer/scheduled.ts';
import { freePort } from '../../scripts/local/freePort.ts';
import { FetchMessageSchema, type FetchMessage } from '../../shared/queue/messages.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import { capturedLogs } from './capturedLogs.ts';
import { fakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * The hourly cron's handler (producer/scheduled.ts, which worker.scheduled runs with the wall clock;
 * called here with a fixed `now`, so the plan is exact whatever the day the test runs). It plans the
 * month windows and the delta, records them in syncJobs, puts the delta and the newest months on the
 * fetch queue (months up to FETCH_WINDOWS_IN_FLIGHT per source), and the hour's delta ticks,
 * delayed; a second run plans and sends nothing new but its ticks. The ticks go out whatever
 * MongoDB does: with MongoDB unreachable the run sends them, says so, and fails.
 */
const stack = handlerStack({ prefix: 'h_cron', vars: { FTS_START_DATE: '2026-01-10', CF_START_DATE: '2025-12-01', FETCH_WINDOWS_IN_FLIGHT: '2' } });
const now = new Date('2026-03-15T12:34:00Z');

const windows = () => windowsCollection(stack.db).find({ kind: 'window' }).sort({ _id: 1 }).toArray();
const isTick = (m: { body: unknown }) => (m.body as { type?: string }).type === 'tick';
const windowMessages = () => stack.env.FETCH_QUEUE.sent.filter((m) => !isTick(m));
const sentMessages = (): FetchMessage[] => windowMessages().map((m) => v.parse(FetchMessageSchema, m.body));
// The delta runs from the month of the first run to a minute before it.
const FTS_DELTA = 'FIND_A_TENDER:delta:2026-03-01T00:00:00.000Z';
const CF_DELTA = 'CONTRACTS_FINDER:delta:2026-03-01T00:00:00.000Z';

describe('producer (the scheduled handler)', () => {
  it('records the month windows and the delta, and enqueues the delta and the newest months of each source up to the in-flight limit', async () => {
    await produce(stack.env, now);

    const recorded = await windows();
    expect(recorded.map((w) => [w._id, w.state, w.seq])).toEqual([
      ['CONTRACTS_FINDER:2025-12', 'pending', 0],
      ['CONTRACTS_FINDER:2026-01', 'queued', 1],
      ['CONTRACTS_FINDER:2026-02', 'queued', 1],
      [CF_DELTA, 'queued', 1],
      ['FIND_A_TENDER:2026-01', 'queued', 1],
      ['FIND_A_TENDER:2026-02', 'queued', 1],
      [FTS_DELTA, 'queued', 1],
    ]);
    expect(recorded.find((w) => w._id === 'FIND_A_TENDER:2026-01')).toMatchObject({ from: new Date('2026-01-10T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') });
    // 15 minutes over the last month window, as over any previous delta.
    expect(recorded.find((w) => w._id === FTS_DELTA)).toMatchObject({ span: 'delta', from: new Date('2026-02-28T23:45:00Z'), to: new Date('2026-03-15T12:33:00Z') });
    expect(sentMessages().map((m) => [m.windowId, m.seq]).sort()).toEqual([
      ['CONTRACTS_FINDER:2026-01', 1],
      ['CONTRACTS_FINDER:2026-02', 1],
      [CF_DELTA, 1],
      ['FIND_A_TENDER:2026-01', 1],
      ['FIND_A_TENDER:2026-02', 1],
      [FTS_DELTA, 1],
    ]);
    expect(windowMessages().every((m) => m.contentType === 'json' && m.delaySeconds === undefined)).toBe(true);
    const ticks = stack.env.FETCH_QUEUE.sent.filter(isTick);
    expect(ticks.map((m) => [m.delaySeconds, (m.body as { at: string }).at])).toEqual(
      Array.from({ length: 11 }, (_, i) => [(i + 1) * 300, new Date(now.getTime() + (i + 1) * 300_000).toISOString()]),
    );
    const status = await stack.db.collection(COLLECTIONS.syncJobs).findOne({ _id: 'source:FIND_A_TENDER' as never });
    expect(status).toMatchObject({ status: 'backfilling', cursor: new Date('2026-03-15T12:33:00Z'), windows: { queued: 3 }, lastRunAt: now });
  });

  it('plans nothing twice and sends no window again when it runs again within minutes (a duplicated cron)', async () => {
    const before = await windows();
    const sent = windowMessages().length;

    await produce(stack.env, new Date(now.getTime() + 3 * 60_000));

    expect(await windows()).toEqual(before);
    expect(windowMessages()).toHaveLength(sent);
  });

  it('twenty minutes on plans the next delta, overlapping the last by 15 minutes, and starts it while the backfill is busy', async () => {
    const before = (await windows()).map((w) => w._id);
    const sent = windowMessages().length;

    await produce(stack.env, new Date(now.getTime() + 20 * 60_000));

    const added = (await windows()).filter((w) => !before.includes(w._id));
    expect(added.map((w) => [w._id, w.state, w.from, w.to])).toEqual([
      ['CONTRACTS_FINDER:delta:2026-03-15T12:33:00.000Z', 'queued', new Date('2026-03-15T12:18:00Z'), new Date('2026-03-15T12:53:00Z')],
      ['FIND_A_TENDER:delta:2026-03-15T12:33:00.000Z', 'queued', new Date('2026-03-15T12:18:00Z'), new Date('2026-03-15T12:53:00Z')],
    ]);
    expect(sentMessages().slice(sent).map((m) => m.windowId).sort()).toEqual(added.map((w) => w._id));
  });

  it("sends the hour's delta ticks with MongoDB unreachable, logs why nothing was planned, and fails the run", async () => {
    const env = fakeEnv({ MONGODB_URI: `mongodb://127.0.0.1:${await freePort()}/`, MONGODB_DB: stack.testDb.name, MONGODB_TIMEOUT_MS: '300' });

    const { logs, thrown } = await capturedLogs(() => produce(env, now));

    expect(env.FETCH_QUEUE.sent.map((m) => [m.delaySeconds, (m.body as { type: string }).type])).toEqual(Array.from({ length: 11 }, (_, i) => [(i + 1) * 300, 'tick']));
    expect(logs).toContainEqual(expect.stringMatching(/^producer: MongoDB unreachable, nothing planned until the next run \(the hour's 11 delta ticks were sent\): MongoServerSelectionError: connect ECONNREFUSED/));
    expect(thrown).toMatch(/^MongoServerSelectionError/);
  });
});
