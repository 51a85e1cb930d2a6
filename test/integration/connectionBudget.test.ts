import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produce } from '../../producer/scheduled.ts';
import { measureFetchConnections } from '../../scripts/bench/fetchConnections.ts';
import { readConfig } from '../../shared/config.ts';
import { MAX_POOL_SIZE, withDb } from '../../shared/store/db.ts';
import { fakeEnv } from '../handlers/fakeEnv.ts';
import { openTestDb } from '../stack/testDb.ts';
import { ConnectionCount, startRelay, type Relay } from './tcpRelay.ts';
import { SOURCES_ON } from '../stack/sourcesOn.ts';

/**
 * The connections one invocation opens, counted where they are real: a TCP relay between the
 * Worker's code and the run's MongoDB server that records how many sockets are open at once, and
 * for a fetch batch also its upstream requests, queue sends and RateGate calls while each is out
 * (scripts/bench/fetchConnections.ts, which the bench prints). A Worker invocation may hold 6
 * simultaneous outbound connections; against one server the MongoDB client must stay within its
 * monitoring socket plus its pool (shared/store/db.ts clientOptions; docs/workers-limits.md has
 * the arithmetic for a 3-node replica set, which the local server is not).
 */
const OUTBOUND_LIMIT = 6;
let testDb: Awaited<ReturnType<typeof openTestDb>>;
let relay: Relay;
const mongo = new ConnectionCount();
let relayUri: string;

beforeAll(async () => {
  testDb = await openTestDb('i_sockets');
  const target = new URL(testDb.uri);
  relay = await startRelay({ host: target.hostname, port: Number(target.port) }, [mongo]);
  relayUri = `mongodb://127.0.0.1:${relay.port}/${target.search}`;
});
afterAll(async () => {
  await relay?.close();
  await testDb.close();
});

describe('outbound connections per invocation', () => {
  it(`a burst of 24 concurrent operations holds at most 1 monitoring + ${MAX_POOL_SIZE} pooled sockets, all closed at the end`, async () => {
    mongo.reset();
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
    mongo.reset();
    const env = fakeEnv({ MONGODB_URI: relayUri, MONGODB_DB: testDb.name, FTS_START_DATE: '2026-01-01', CF_START_DATE: '2026-01-01' });
    await produce(env, new Date('2026-03-15T12:07:00Z'));
    expect(mongo.most).toBeLessThanOrEqual(1 + MAX_POOL_SIZE);
    expect(env.FETCH_QUEUE.sent.length).toBeGreaterThan(0);
  });

  it(`a fetch batch whose upstream answers are slower than the gate's spacing holds at most ${OUTBOUND_LIMIT} connections, its queue sends and gate calls counted`, async () => {
    const measured = await measureFetchConnections(testDb.uri, testDb.name);

    // Paged until the first window ended, then every window handed on together (consumer/fetch/batchClock.ts).
    expect(measured.acked).toBe(true);
    // Real-sized pages (100 releases, several write parts each), a few per window.
    for (const source of SOURCES_ON) expect(measured.pages[source], `${source} pages`).toBeGreaterThanOrEqual(4);
    expect(measured.peak.opened.queue, 'several write parts a page').toBeGreaterThan(2 * (measured.pages.FIND_A_TENDER + measured.pages.CONTRACTS_FINDER));
    const { peak } = measured;
    expect(peak.mostOf.upstream, 'every window waiting on upstream at once').toBe(measured.windows);
    expect(peak.opened.gate, 'gate calls counted').toBeGreaterThan(0);
    // Each window has one call out at a time, whatever it is: what the replica-set arithmetic rests on.
    expect(measured.besideMongo, `at most one call out per window (${JSON.stringify(peak.listedAt)} at the peak)`).toBeLessThanOrEqual(measured.windows);
    expect(peak.listed, `what Cloudflare counts, at the peak: ${JSON.stringify(peak.listedAt)}`).toBeLessThanOrEqual(OUTBOUND_LIMIT);
    expect(peak.withGate, `with the gate calls too, at the peak: ${JSON.stringify(peak.withGateAt)}`).toBeLessThanOrEqual(OUTBOUND_LIMIT);
  });
});
