import type { Db } from 'mongodb';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produce } from '../../producer/scheduled.ts';
import { FetchMessageSchema, type FetchMessage } from '../../shared/queue/messages.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import { openTestDb } from '../stack/testDb.ts';
import { fakeEnv, type FakeEnv } from './fakeEnv.ts';

/**
 * The hourly cron's handler (producer/scheduled.ts, which worker.scheduled runs with the wall clock;
 * called here with a fixed `now`, so the plan is exact whatever the day the test runs). It plans the
 * month windows and the delta, records them in syncJobs, and puts the newest due windows on the
 * fetch queue up to FETCH_WINDOWS_IN_FLIGHT per source; a second run plans and sends nothing new.
 */
let testDb: Awaited<ReturnType<typeof openTestDb>>;
let db: Db;
let env: FakeEnv;
const now = new Date('2026-03-15T12:34:00Z');

beforeAll(async () => {
  testDb = await openTestDb('h_cron');
  db = testDb.db;
  env = fakeEnv({ MONGODB_URI: testDb.uri, MONGODB_DB: testDb.name, FTS_START_DATE: '2026-01-10', CF_START_DATE: '2025-12-01', FETCH_WINDOWS_IN_FLIGHT: '2' });
});
afterAll(() => testDb.close());

const windows = () => windowsCollection(db).find({ kind: 'window' }).sort({ _id: 1 }).toArray();
const sentMessages = (): FetchMessage[] => env.FETCH_QUEUE.sent.map((m) => v.parse(FetchMessageSchema, m.body));
// The delta runs from the month of the first run to five minutes before it.
const FTS_DELTA = 'FIND_A_TENDER:delta:2026-03-01T00:00:00.000Z';
const CF_DELTA = 'CONTRACTS_FINDER:delta:2026-03-01T00:00:00.000Z';

describe('producer (the scheduled handler)', () => {
  it('records the month windows and the delta, and enqueues the newest of each source up to the in-flight limit', async () => {
    await produce(env, now);

    const recorded = await windows();
    expect(recorded.map((w) => [w._id, w.state, w.seq])).toEqual([
      ['CONTRACTS_FINDER:2025-12', 'pending', 0],
      ['CONTRACTS_FINDER:2026-01', 'pending', 0],
      ['CONTRACTS_FINDER:2026-02', 'queued', 1],
      [CF_DELTA, 'queued', 1],
      ['FIND_A_TENDER:2026-01', 'pending', 0],
      ['FIND_A_TENDER:2026-02', 'queued', 1],
      [FTS_DELTA, 'queued', 1],
    ]);
    expect(recorded.find((w) => w._id === 'FIND_A_TENDER:2026-01')).toMatchObject({ from: new Date('2026-01-10T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') });
    expect(recorded.find((w) => w._id === FTS_DELTA)).toMatchObject({ span: 'delta', from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-15T12:29:00Z') });
    expect(sentMessages().map((m) => [m.windowId, m.seq]).sort()).toEqual([
      ['CONTRACTS_FINDER:2026-02', 1],
      [CF_DELTA, 1],
      ['FIND_A_TENDER:2026-02', 1],
      [FTS_DELTA, 1],
    ]);
    expect(env.FETCH_QUEUE.sent.every((m) => m.contentType === 'json' && m.delaySeconds === undefined)).toBe(true);
    const status = await db.collection(COLLECTIONS.syncJobs).findOne({ _id: 'source:FIND_A_TENDER' as never });
    expect(status).toMatchObject({ status: 'backfilling', cursor: new Date('2026-03-15T12:29:00Z'), windows: { pending: 1, queued: 2 }, lastRunAt: now });
  });

  it('plans nothing twice and sends nothing new when it runs again within the hour', async () => {
    const before = await windows();
    const sent = env.FETCH_QUEUE.sent.length;

    await produce(env, new Date(now.getTime() + 10 * 60_000));

    expect(await windows()).toEqual(before);
    expect(env.FETCH_QUEUE.sent).toHaveLength(sent);
  });

  it('twenty minutes on plans the next delta only, and sends nothing while the in-flight windows are busy (not yet stalled)', async () => {
    const before = (await windows()).map((w) => w._id);
    const sent = env.FETCH_QUEUE.sent.length;

    await produce(env, new Date(now.getTime() + 20 * 60_000));

    const added = (await windows()).filter((w) => !before.includes(w._id));
    expect(added.map((w) => [w._id, w.state, w.from, w.to])).toEqual([
      ['CONTRACTS_FINDER:delta:2026-03-15T12:29:00.000Z', 'pending', new Date('2026-03-15T12:29:00Z'), new Date('2026-03-15T12:49:00Z')],
      ['FIND_A_TENDER:delta:2026-03-15T12:29:00.000Z', 'pending', new Date('2026-03-15T12:29:00Z'), new Date('2026-03-15T12:49:00Z')],
    ]);
    expect(env.FETCH_QUEUE.sent).toHaveLength(sent);
  });
});
