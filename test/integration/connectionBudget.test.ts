import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produce } from '../../producer/scheduled.ts';
import { readConfig } from '../../shared/config.ts';
import { MAX_POOL_SIZE, withDb } from '../../shared/store/db.ts';
import { fakeEnv } from '../handlers/fakeEnv.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * The sockets one invocation opens to MongoDB, counted where they are real: a TCP relay between the
 * driver and the run's server that records how many are open at once. A Worker invocation may hold
 * 6 simultaneous outbound connections; against one server the client must stay within its
 * monitoring socket plus its pool (shared/store/db.ts clientOptions; docs/workers-limits.md has the
 * arithmetic for a 3-node replica set, which the local server is not).
 */
let testDb: Awaited<ReturnType<typeof openTestDb>>;
let relay: Server;
let relayUri: string;
const open = new Set<Socket>();
let mostOpen = 0;
let opened = 0;

beforeAll(async () => {
  testDb = await openTestDb('i_sockets');
  const target = new URL(testDb.uri);
  relay = createServer((client) => {
    opened++;
    open.add(client);
    mostOpen = Math.max(mostOpen, open.size);
    const server = createConnection({ host: target.hostname, port: Number(target.port) });
    client.pipe(server).pipe(client);
    const close = () => {
      open.delete(client);
      client.destroy();
      server.destroy();
    };
    client.on('close', close).on('error', close);
    server.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const { port } = relay.address() as { port: number };
  relayUri = `mongodb://127.0.0.1:${port}/${target.search}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => relay.close(() => resolve()));
  await testDb.close();
});

const reset = () => {
  mostOpen = open.size;
  opened = 0;
};

describe('MongoDB sockets per invocation', () => {
  it(`a burst of 24 concurrent operations holds at most 1 monitoring + ${MAX_POOL_SIZE} pooled sockets, all closed at the end`, async () => {
    reset();
    const config = readConfig({ MONGODB_URI: relayUri, MONGODB_DB: testDb.name });
    await withDb(config, async (db) => {
      const things = db.collection('things');
      await Promise.all(Array.from({ length: 24 }, (_, i) => things.insertOne({ _id: `t${i}` as never, i })));
      await Promise.all(Array.from({ length: 24 }, (_, i) => things.findOne({ _id: `t${i}` as never })));
    });
    expect(mostOpen).toBeLessThanOrEqual(1 + MAX_POOL_SIZE);
    expect(opened).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(open.size).toBe(0);
  });

  it('a whole cron run (indexes, planning, summaries of both sources) stays within the same sockets', async () => {
    reset();
    const env = fakeEnv({ MONGODB_URI: relayUri, MONGODB_DB: testDb.name, FTS_START_DATE: '2026-01-01', CF_START_DATE: '2026-01-01' });
    await produce(env, new Date('2026-03-15T12:07:00Z'));
    expect(mostOpen).toBeLessThanOrEqual(1 + MAX_POOL_SIZE);
    expect(env.FETCH_QUEUE.sent.length).toBeGreaterThan(0);
  });
});
