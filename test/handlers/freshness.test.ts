import { beforeAll, describe, expect, it } from 'vitest';
import { produce } from '../../producer/scheduled.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { republished } from '../simulator/republish.ts';
import { handlerStack } from './handlerStack.ts';
import { QueueClock } from './queueClock.ts';

/**
 * Ten-minute freshness over simulated hours, through the Worker's own handlers: the hourly cron
 * (produce) and every queue message, its delay honoured on a simulated clock (queueClock.ts), so
 * the cron's delta ticks fall due every five minutes. MongoDB and the upstream simulator are real.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const start = new Date('2024-03-10T12:07:00Z');
const dataset = generateDataset({ seed: 21, from: new Date('2024-02-25T00:00:00Z'), to: new Date('2024-03-10T11:00:00Z'), ftsPerDay: 6, cfPerDay: 4 });
const stack = handlerStack({ prefix: 'h_fresh', upstream: { dataset }, vars: { FTS_START_DATE: '2024-02-25', CF_START_DATE: '2024-02-25' } });
let clock: QueueClock;
/** Every delta window seen, by id, as it was when last seen (finished ones are folded away later). */
const deltasSeen = new Map<string, WindowDoc>();

beforeAll(() => {
  clock = new QueueClock(stack.env, start);
});

/**
 * Runs the simulated clock to `to`, with the cron at :07 of each hour: minute by minute when `each`
 * looks at every minute, else from one cron to the next (messages are delivered when due either way).
 */
async function runUntil(to: Date, each?: () => Promise<void>): Promise<void> {
  while (clock.now < to) {
    const nextCron = new Date(Math.floor((clock.now.getTime() - 7 * MINUTE) / HOUR) * HOUR + HOUR + 7 * MINUTE);
    const next = new Date(Math.min(to.getTime(), each ? clock.now.getTime() + MINUTE : nextCron.getTime()));
    await clock.advanceTo(next);
    await noteDeltas();
    if (next.getTime() === nextCron.getTime()) {
      await produce(stack.env, next);
      clock.collect();
      await clock.advanceTo(next);
      await noteDeltas();
    }
    await each?.();
  }
}

async function noteDeltas(): Promise<void> {
  for (const w of await windowsCollection(stack.db).find({ kind: 'window', span: 'delta' }).toArray()) deltasSeen.set(w._id, w);
}

const stored = (source: string, noticeId: string) => stack.db.collection(COLLECTIONS.contracts).findOne({ source, noticeId });

describe('ten-minute freshness (delta ticks on the fetch queue, simulated clock)', () => {
  it('backfills, then stores a release published mid-hour within 10 minutes, and one indexed 9 minutes late through the overlap', async () => {
    await produce(stack.env, start);
    clock.collect();
    await clock.advanceTo(start);
    expect(await windowsCollection(stack.db).countDocuments({ kind: 'window', span: 'month', state: { $ne: 'done' } })).toBe(0);

    await runUntil(new Date('2024-03-10T12:38:30Z'));
    const publishedAt = clock.now;
    stack.simulator.publish('FIND_A_TENDER', [republished(dataset.FIND_A_TENDER[0], publishedAt, { id: '900100-2024' })]);
    let storedAt: Date | null = null;
    await runUntil(new Date('2024-03-10T12:55:00Z'), async () => {
      if (!storedAt && (await stored('FIND_A_TENDER', '900100-2024'))) storedAt = clock.now;
    });
    expect(storedAt, 'stored').not.toBeNull();
    expect(storedAt!.getTime() - publishedAt.getTime()).toBeLessThanOrEqual(10 * MINUTE);

    // Dated 12:41 but visible upstream only from 12:50: the window that covered 12:41 is long fetched.
    stack.simulator.publish('CONTRACTS_FINDER', [republished(dataset.CONTRACTS_FINDER[0], new Date('2024-03-10T12:41:00Z'), { id: '0c0c0c0c-0000-4000-8000-000000000001-000001' })]);
    await runUntil(new Date('2024-03-10T13:05:00Z'));
    expect(await stored('CONTRACTS_FINDER', '0c0c0c0c-0000-4000-8000-000000000001')).not.toBeNull();
  });

  it('plans contiguous delta windows, each overlapping the one before by at least 15 minutes', async () => {
    for (const source of ['FIND_A_TENDER', 'CONTRACTS_FINDER']) {
      const deltas = [...deltasSeen.values()].filter((w) => w.source === source).sort((a, b) => a.to.getTime() - b.to.getTime());
      expect(deltas.length).toBeGreaterThanOrEqual(11);
      for (let i = 1; i < deltas.length; i++) {
        expect(deltas[i - 1].to.getTime() - deltas[i].from.getTime(), `${deltas[i]._id} over ${deltas[i - 1]._id}`).toBeGreaterThanOrEqual(15 * MINUTE);
        // No gap: the new part starts where the last ended (the window's id is that cursor).
        expect(deltas[i]._id).toBe(`${source}:delta:${deltas[i - 1].to.toISOString()}`);
      }
      expect(deltas.filter((w) => w.to > new Date('2024-03-10T12:08:00Z')).every((w) => w.to.getTime() - w.from.getTime() <= 25 * MINUTE)).toBe(true);
    }
  });

  it('keeps syncJobs small over many hours: finished deltas folded, totals and freshness carried by the newest fold', async () => {
    const sizes: number[] = [];
    for (let hour = 0; hour < 8; hour++) {
      await runUntil(new Date(clock.now.getTime() + HOUR));
      sizes.push(await stack.db.collection(COLLECTIONS.syncJobs).countDocuments({ source: 'FIND_A_TENDER' }));
    }
    // About 12 deltas an hour are planned (8 hours: ~100); live ones stay under two hours' worth.
    expect(deltasSeen.size).toBeGreaterThan(2 * 90);
    // The source, its month, under two hours of live deltas (~25), three folds: flat once folds are pruned.
    expect(Math.max(...sizes), `syncJobs of FTS by hour: ${sizes}`).toBeLessThanOrEqual(1 + 1 + 26 + 3);
    expect(Math.max(...sizes.slice(4)) - Math.min(...sizes.slice(4)), `syncJobs of FTS by hour: ${sizes}`).toBeLessThanOrEqual(1);
    const status = await stack.db.collection(COLLECTIONS.syncJobs).findOne({ _id: 'source:FIND_A_TENDER' as never });
    const total = await stack.db.collection(COLLECTIONS.syncJobs).countDocuments({ kind: 'deltaFold', source: 'FIND_A_TENDER' });
    expect(total).toBe(3);
    expect(status).toMatchObject({ status: 'syncing' });
    // As of the last cron (the summary is hourly): fresh to the tick before it.
    expect(status!.lastRunAt.getTime() - status!.lastSyncedDate.getTime()).toBeLessThanOrEqual(10 * MINUTE);
    expect(status!.windows.done).toBeGreaterThan(90);
  }, 240_000);
});
