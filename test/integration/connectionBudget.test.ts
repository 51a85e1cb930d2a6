import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produce } from '../../producer/scheduled.ts';
import { freePort } from '../../scripts/local/freePort.ts';
import { fetchMessage } from '../../shared/queue/messages.ts';
import { SOURCE_NAMES } from '../../shared/sources/sourceName.ts';
import { readConfig } from '../../shared/config.ts';
import { MAX_POOL_SIZE, withDb } from '../../shared/store/db.ts';
import worker from '../../worker.ts';
import { queuedDelta } from '../handlers/recordWindow.ts';
import { decisionsOf, fakeBatch, fakeEnv } from '../handlers/fakeEnv.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { startSimulator, type Simulator } from '../simulator/server.ts';
import { openTestDb } from '../stack/testDb.ts';
import { ConnectionCount, startRelay, type Relay } from './tcpRelay.ts';

/**
 * The connections one invocation opens, counted where they are real: TCP relays between the Worker's
 * code and the run's MongoDB server, and the upstream simulator, that record how many are open at
 * once. A Worker invocation may hold 6 simultaneous outbound connections; against one server the
 * MongoDB client must stay within its monitoring socket plus its pool (shared/store/db.ts
 * clientOptions; docs/workers-limits.md has the arithmetic for a 3-node replica set, which the local server is not).
 */
const OUTBOUND_LIMIT = 6;
const dataset = generateDataset({ seed: 13, from: new Date('2024-03-04T00:00:00Z'), to: new Date('2024-03-07T00:00:00Z'), ftsPerDay: 80, cfPerDay: 80, real: 'none' });
let testDb: Awaited<ReturnType<typeof openTestDb>>;
let simulator: Simulator;
const relays: Relay[] = [];
const mongo = new ConnectionCount();
const upstream = new ConnectionCount();
/** Both, at the same moments: what the invocation holds. */
const outbound = new ConnectionCount();
let relayUri: string;
let upstreamUrl: string;

beforeAll(async () => {
  testDb = await openTestDb('i_sockets');
  const target = new URL(testDb.uri);
  const mongoRelay = await startRelay({ host: target.hostname, port: Number(target.port) }, [mongo, outbound]);
  relayUri = `mongodb://127.0.0.1:${mongoRelay.port}/${target.search}`;
  // The simulator writes its links (`links.next`) to the relay, so every page goes through it.
  const upstreamPort = await freePort();
  upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
  const generous = { requests: 100_000, periodMs: 60_000 };
  simulator = await startSimulator({ dataset, rateLimit: { FIND_A_TENDER: generous, CONTRACTS_FINDER: generous }, publicBaseUrl: upstreamUrl });
  const upstreamRelay = await startRelay({ host: '127.0.0.1', port: Number(new URL(simulator.url).port) }, [upstream, outbound], upstreamPort);
  relays.push(mongoRelay, upstreamRelay);
});
afterAll(async () => {
  await Promise.all(relays.map((relay) => relay.close()));
  await simulator?.close();
  await testDb.close();
});

const reset = () => [mongo, upstream, outbound].forEach((count) => count.reset());

describe('outbound connections per invocation', () => {
  it(`a burst of 24 concurrent operations holds at most 1 monitoring + ${MAX_POOL_SIZE} pooled sockets, all closed at the end`, async () => {
    reset();
    const config = readConfig({ MONGODB_URI: relayUri, MONGODB_DB: testDb.name });
    await withDb(config, async (db) => {
      const things = db.collection('things');
      await Promise.all(Array.from({ length: 24 }, (_, i) => things.insertOne({ _id: `t${i}` as never, i })));
      await Promise.all(Array.from({ length: 24 }, (_, i) => things.findOne({ _id: `t${i}` as never })));
    });
    expect(mongo.most).toBeLessThanOrEqual(1 + MAX_POOL_SIZE);
    expect(mongo.opened).toBeGreaterThanOrEqual(2);
    await expect.poll(() => mongo.open).toBe(0);
  });

  it('a whole cron run (indexes, planning, summaries of both sources) stays within the same sockets', async () => {
    reset();
    const env = fakeEnv({ MONGODB_URI: relayUri, MONGODB_DB: testDb.name, FTS_START_DATE: '2026-01-01', CF_START_DATE: '2026-01-01' });
    await produce(env, new Date('2026-03-15T12:07:00Z'));
    expect(mongo.most).toBeLessThanOrEqual(1 + MAX_POOL_SIZE);
    expect(env.FETCH_QUEUE.sent.length).toBeGreaterThan(0);
  });

  it(`a whole fetch batch (two windows of each source, paged at once) holds at most ${OUTBOUND_LIMIT} connections, MongoDB and upstream together`, async () => {
    const windows = await Promise.all(SOURCE_NAMES.flatMap((source) => ['2024-03-04', '2024-03-05'].map((day) => queuedDelta(testDb.db, source, new Date(`${day}T00:00:00Z`)))));
    // The worst case: budgets that space nothing and answers slower than any spacing, so every
    // window of the batch has a request in flight at once.
    const env = fakeEnv({ MONGODB_URI: relayUri, MONGODB_DB: testDb.name, FTS_API_URL: upstreamUrl, CF_API_URL: upstreamUrl, FTS_REQUESTS_PER_MINUTE: '6000', CF_REQUESTS_PER_MINUTE: '6000', PAGE_LIMIT: '10' });
    for (const source of SOURCE_NAMES) simulator.setFaults({ slow: { source, count: 1_000, delayMs: 300 } });
    const batch = fakeBatch('fetch', windows.map((w) => fetchMessage(w._id, 1)));
    reset();

    await worker.queue(batch, env);

    // Paged until the first window ended, then every window handed on together (consumer/fetch/batchClock.ts).
    expect(decisionsOf(batch)).toEqual(windows.map(() => ({ kind: 'ack' })));
    for (const source of SOURCE_NAMES) expect(simulator.requests.filter((r) => r.source === source && r.status === 200).length, `${source} pages`).toBeGreaterThanOrEqual(8);
    expect(upstream.most, 'every window with a request in flight at once').toBe(windows.length);
    expect(outbound.most, `at most ${mongo.most} to MongoDB and ${upstream.most} upstream at once`).toBeLessThanOrEqual(OUTBOUND_LIMIT);
  });
});
