import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { consumeDeadLetterBatch } from '../../consumer/deadLetter/deadLetterConsumer.ts';
import { consumeFetchBatch } from '../../consumer/fetch/fetchConsumer.ts';
import { consumeWriteBatch } from '../../consumer/write/writeConsumer.ts';
import { produceSource } from '../../producer/produceSource.ts';
import { readConfig, type ConfigName } from '../../shared/config.ts';
import type { QueueName } from '../../shared/queue/queues.ts';
import type { Reservation } from '../../shared/rateGate/slotBook.ts';
import { contractsFinder } from '../../shared/sources/contractsFinder.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { readSourceStatus } from '../../shared/store/sourceStatus.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import { firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import { generateDataset } from '../simulator/dataset.ts';
import type { Faults } from '../simulator/faults.ts';
import { indexReleases, releasesInWindow } from '../simulator/paging.ts';
import { startSimulator, type Simulator } from '../simulator/server.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * A page that cannot be read, through the real handlers (producer step, fetch, write and
 * dead-letter consumers) on a real MongoDB-compatible server and the simulator; only the Workers
 * runtime (queues, the RateGate binding) is played by the minimal fakes at the bottom.
 *
 * One Contracts Finder month (the previous one) at 10 releases a page. The page broken on purpose is
 * the second of the month's first 15-day slice, so the slice has pages after it: without the broken
 * page there is no links.next to them.
 */
const LIMIT = 10;
const monthStart = (monthsAgo: number): Date => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1));
};
const month = { from: monthStart(1), to: monthStart(0) };
const windowId = `CONTRACTS_FINDER:${month.from.toISOString().slice(0, 7)}`;
const releases = generateDataset({ seed: 5, from: month.from, to: month.to, ftsPerDay: 0, cfPerDay: 4 }).CONTRACTS_FINDER;
const firstSlice = firstCheckpoint(month, contractsFinder.maxSliceMs);
/** The first slice as the service pages it: newest first. */
const sliceReleases = releasesInWindow(indexReleases(releases), firstSlice.sliceFrom.getTime(), firstSlice.sliceTo.getTime());
const broken = sliceReleases[LIMIT + 3];
/** What no request can reach while the broken page stays unreadable: that page and the rest of its slice. */
const beyondReach = sliceReleases.slice(LIMIT).map((r) => r.id);

const running: { simulator: Simulator; close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const run of running.splice(0)) {
    await run.simulator.close();
    await run.close();
  }
});

/** Two cron runs, each followed by every queue drained: the first does the work, the second refreshes the summary. */
async function runPipeline(faults: Partial<Faults>) {
  const { db, uri, name, close } = await openTestDb('hole');
  const simulator = await startSimulator({
    dataset: { FIND_A_TENDER: [], CONTRACTS_FINDER: releases },
    rateLimit: { FIND_A_TENDER: { requests: 60_000, periodMs: 60_000 }, CONTRACTS_FINDER: { requests: 60_000, periodMs: 60_000 } },
  });
  running.push({ simulator, close });
  simulator.setFaults(faults);
  const runtime = fakeRuntime({
    MONGODB_URI: uri,
    MONGODB_DB: name,
    FTS_API_URL: simulator.url,
    CF_API_URL: simulator.url,
    FTS_REQUESTS_PER_MINUTE: '60000',
    CF_REQUESTS_PER_MINUTE: '60000',
    FTS_START_DATE: month.from.toISOString().slice(0, 10),
    CF_START_DATE: month.from.toISOString().slice(0, 10),
    STORE_RAW: 'off',
    ADMIN_TOKEN: '',
    PAGE_LIMIT: String(LIMIT),
  });
  for (let run = 0; run < 2; run++) {
    await produceSource(runtime.env, readConfig(runtime.env), db, contractsFinder, new Date());
    await runtime.drain();
  }
  const window = await windowsCollection(db).findOne({ _id: windowId });
  if (!window) throw new Error(`no window ${windowId}`);
  return { db, simulator, runtime, window, stored: await storedIds(db) };
}

async function storedIds(db: Db): Promise<Set<string>> {
  const contracts = await db.collection(COLLECTIONS.contracts).find({ source: 'CONTRACTS_FINDER' }, { projection: { noticeId: 1 } }).toArray();
  return new Set(contracts.map((c) => String(c.noticeId)));
}

/** Releases neither stored nor inside a hole the window records: lost without a trace. */
function silentlySkipped(window: WindowDoc, stored: Set<string>): string[] {
  const inHole = (date: Date) => window.checkpoint.holes.some((h) => date >= h.sliceFrom && date < h.sliceTo);
  return releases.filter((r) => !stored.has(r.id) && !inHole(r.date)).map((r) => r.id);
}

describe('a page that cannot be read', () => {
  it('the month has pages after the broken one in its slice (else this file proves nothing)', () => {
    expect(sliceReleases.length).toBeGreaterThan(3 * LIMIT);
  });

  it('stays unreadable: the window records the hole and ends failed, nothing else is skipped, the status counts it', async () => {
    const { db, simulator, runtime, window, stored } = await runPipeline({ unreadablePage: { source: 'CONTRACTS_FINDER', releaseId: broken.id, count: 'always' } });

    // The expected set is the simulator's data for the month, not what it served.
    expect(silentlySkipped(window, stored)).toEqual([]);
    expect(new Set(releases.filter((r) => !stored.has(r.id)).map((r) => r.id))).toEqual(new Set(beyondReach));

    expect(window).toMatchObject({ state: 'failed', attempts: 3, lastError: expect.stringMatching(/unreadable page/) });
    expect(window.checkpoint.holes).toEqual([
      { sliceFrom: firstSlice.sliceFrom, sliceTo: firstSlice.sliceTo, page: 1, pageUrl: expect.stringContaining('cursor='), reason: expect.stringMatching(/JSON/) },
    ]);
    const [hole] = window.checkpoint.holes;

    const quarantined = await db.collection(COLLECTIONS.quarantine).find({ windowId }).toArray();
    expect(quarantined).toMatchObject([{ source: 'CONTRACTS_FINDER', pageUrl: hole.pageUrl, reason: hole.reason }]);
    expect(quarantined[0].rawText.length).toBeGreaterThan(100);

    expect(await readSourceStatus(db, 'CONTRACTS_FINDER')).toMatchObject({ status: 'error', holes: { slices: 1, windows: [windowId] } });
    // Asked for on every attempt (the first and 3 restarts), with 2 more tries each time.
    expect(simulator.stats().faultsInjected.unreadablePage).toBe(4 * 3);
    expect(runtime.retried).toEqual([]);
  });

  it.each([
    { cutOff: 2, attempts: 0, quarantined: 0, why: 'read on the third try' },
    { cutOff: 3, attempts: 1, quarantined: 1, why: 'a hole, filled when the window starts again' },
  ])('cut off $cutOff times, then whole: $why; every release stored and the window done', async ({ cutOff, attempts, quarantined }) => {
    const { db, runtime, window, stored } = await runPipeline({ unreadablePage: { source: 'CONTRACTS_FINDER', releaseId: broken.id, count: cutOff } });
    expect(releases.filter((r) => !stored.has(r.id)).map((r) => r.id)).toEqual([]);
    expect(window).toMatchObject({ state: 'done', attempts, releasesWritten: releases.length, checkpoint: { holes: [] } });
    expect(await db.collection(COLLECTIONS.quarantine).countDocuments({ windowId })).toBe(quarantined);
    expect(await readSourceStatus(db, 'CONTRACTS_FINDER')).toMatchObject({ status: 'syncing', holes: { slices: 0, windows: [] } });
    expect(runtime.retried).toEqual([]);
  });
});

/**
 * The Workers runtime, minimal: queues that keep what is sent (as JSON, as `contentType: 'json'`
 * does) and deliver it to the real consumers in wrangler.toml's batch sizes, ignoring delays; a rate
 * gate that always grants (the budget is not under test here).
 */
function fakeRuntime(vars: Omit<Env, 'FETCH_QUEUE' | 'WRITE_QUEUE' | 'FETCH_DLQ' | 'WRITE_DLQ' | 'RATE_GATE'> & Partial<Record<ConfigName, string>>) {
  const queues = { fetch: fakeQueue(), write: fakeQueue(), 'fetch-dlq': fakeQueue(), 'write-dlq': fakeQueue() } satisfies Record<QueueName, unknown>;
  const gate = {
    reserve: async (): Promise<Reservation> => ({ granted: true, waitMs: 0 }),
    pause: async () => {},
  };
  const env = {
    ...vars,
    FETCH_QUEUE: queues.fetch,
    WRITE_QUEUE: queues.write,
    FETCH_DLQ: queues['fetch-dlq'],
    WRITE_DLQ: queues['write-dlq'],
    // The RPC stub type of a Durable Object cannot be met by a plain object; the code only calls these.
    RATE_GATE: { idFromName: (name: string) => name, get: () => gate } as unknown as Env['RATE_GATE'],
  };
  const consumers: Record<QueueName, { batchSize: number; consume(batch: MessageBatch<unknown>): Promise<void> }> = {
    fetch: { batchSize: 1, consume: (batch) => consumeFetchBatch(batch, env) },
    write: { batchSize: 10, consume: (batch) => consumeWriteBatch(batch, env) },
    'fetch-dlq': { batchSize: 10, consume: (batch) => consumeDeadLetterBatch(batch, env, 'fetch') },
    'write-dlq': { batchSize: 10, consume: (batch) => consumeDeadLetterBatch(batch, env, 'write') },
  };
  /** Bodies a consumer asked to retry, with the queue: a clean run has none. */
  const retried: { queue: QueueName; body: unknown }[] = [];

  async function deliver(name: QueueName): Promise<void> {
    const taken = queues[name].waiting.splice(0, consumers[name].batchSize);
    const outcome = new Map<string, 'ack' | 'retry'>();
    const messages = taken.map(({ body, attempts }): Message<unknown> => {
      const id = randomUUID();
      return { id, timestamp: new Date(), body, attempts, ack: () => outcome.set(id, 'ack'), retry: () => outcome.set(id, 'retry') };
    });
    const retryAll = () => messages.forEach((m) => outcome.has(m.id) || outcome.set(m.id, 'retry'));
    const batch: MessageBatch<unknown> = { queue: name, messages, metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } }, retryAll, ackAll: () => {} };
    await consumers[name].consume(batch);
    for (const message of messages) {
      if (outcome.get(message.id) !== 'retry') continue;
      retried.push({ queue: name, body: message.body });
      if (message.attempts >= 5) throw new Error(`${name}: message retried 5 times: ${JSON.stringify(message.body).slice(0, 300)}`);
      queues[name].waiting.push({ body: message.body, attempts: message.attempts + 1 });
    }
  }

  return {
    env,
    retried,
    /** Delivers until every queue is empty (fetch first, as one window's chain runs ahead of its writes). */
    async drain(): Promise<void> {
      for (let deliveries = 0; deliveries < 2_000; deliveries++) {
        const next = (Object.keys(queues) as QueueName[]).find((name) => queues[name].waiting.length > 0);
        if (!next) return;
        await deliver(next);
      }
      throw new Error('the queues never drained');
    },
  };
}

function fakeQueue() {
  const waiting: { body: unknown; attempts: number }[] = [];
  const metadata = { metrics: { backlogCount: 0, backlogBytes: 0 } };
  const queue = {
    waiting,
    async send(body: unknown) {
      waiting.push({ body: JSON.parse(JSON.stringify(body)), attempts: 1 });
      return { metadata };
    },
    async sendBatch(messages: Iterable<MessageSendRequest<unknown>>) {
      for (const message of messages) await queue.send(message.body);
      return { metadata };
    },
    metrics: async () => metadata.metrics,
  } satisfies Queue & { waiting: unknown[] };
  return queue;
}
