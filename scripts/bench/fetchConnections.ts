/**
 * The outbound connections one fetch invocation holds at once (docs/workers-limits.md, Connections):
 * the real fetch consumer pages a batch of 4 windows (2 of each source) from the simulator, whose
 * answers come slower than the gate's spacing, so a source's two windows can both wait on it at once.
 * Counted together (scripts/bench/outboundTally.ts): MongoDB's sockets through a TCP relay, open to
 * closed; each upstream request from fetch() until its body is read or cancelled (stricter than
 * Cloudflare today, which counts it only until its response headers); queue sends and RateGate
 * calls from the call to the answer, each answering after a latency (the bindings are the handler
 * tests' fakes, which would otherwise answer at once). The consumer's own code runs unchanged; only
 * its fetch, bindings and sockets are watched.
 */
import { MongoClient } from 'mongodb';
import { consumeFetchBatch } from '../../consumer/fetch/fetchConsumer.ts';
import { fetchMessage } from '../../shared/queue/messages.ts';
import { decisionsOf, fakeBatch, fakeEnv, type FakeEnv } from '../../test/handlers/fakeEnv.ts';
import { queuedDelta } from '../../test/handlers/recordWindow.ts';
import { startRelay } from '../../test/integration/tcpRelay.ts';
import { generateDataset } from '../../test/simulator/dataset.ts';
import { startSimulator } from '../../test/simulator/server.ts';
import { OutboundTally, type OutboundKind, type OutboundPeak } from './outboundTally.ts';
import { SOURCES_ON } from '../../test/stack/sourcesOn.ts';

export interface FetchConnections {
  windows: number;
  /** Pages served per source (200s). */
  pages: Record<string, number>;
  /** The gate's spacing per source, and how long each answer took: longer, so requests overlap. */
  spacingMs: number;
  answerMs: number;
  /** What a queue send and a RateGate call are taken to take (assumed, not measured). */
  latencyMs: { queue: number; gate: number };
  acked: boolean;
  peak: OutboundPeak;
  /** The most upstream requests and queue sends open at once: what every MongoDB socket comes on top of. */
  besideMongo: number;
  /** MongoDB's sockets here: 1 monitor (one server) + the pool the consumer opened. */
  mongoSockets: number;
  /** The same invocation on a 3-node replica set: a monitor per member (3) + the pool, + besideMongo. */
  onReplicaSetOf3: number;
}

const DAYS = ['2024-03-04', '2024-03-05'];
/** The sources measured: the two paged ones (the fake env leaves Public Contracts Scotland off). */
const MEASURED = SOURCES_ON;
/** 600 a minute: a request every 100 ms per source; every answer takes 300 ms. */
const REQUESTS_PER_MINUTE = 600;
const ANSWER_MS = 300;
const LATENCY_MS = { queue: 50, gate: 20 };

/** Pages a fetch batch with its windows in database `dbName` on the server at `mongoUri`, and counts its connections. */
export async function measureFetchConnections(mongoUri: string, dbName: string): Promise<FetchConnections> {
  const tally = new OutboundTally();
  const client = await MongoClient.connect(mongoUri);
  const target = new URL(mongoUri);
  const mongoRelay = await startRelay({ host: target.hostname, port: Number(target.port) }, [tally.relayCount('mongo')]);
  const dataset = generateDataset({ seed: 13, from: new Date(`${DAYS[0]}T00:00:00Z`), to: new Date('2024-03-07T00:00:00Z'), ftsPerDay: 400, cfPerDay: 400, real: 'none' });
  const generous = { requests: 100_000, periodMs: 60_000 };
  const simulator = await startSimulator({ dataset, rateLimit: { FIND_A_TENDER: generous, CONTRACTS_FINDER: generous } });
  const unwatched = globalThis.fetch;
  try {
    const db = client.db(dbName);
    const windows = await Promise.all(MEASURED.flatMap((source) => DAYS.map((day) => queuedDelta(db, source, new Date(`${day}T00:00:00Z`)))));
    for (const source of MEASURED) simulator.setFaults({ slow: { source, count: 1_000, delayMs: ANSWER_MS } });
    const rpm = String(REQUESTS_PER_MINUTE);
    const env = fakeEnv({ MONGODB_URI: `mongodb://127.0.0.1:${mongoRelay.port}/${target.search}`, MONGODB_DB: dbName, FTS_API_URL: simulator.url, CF_API_URL: simulator.url, FTS_REQUESTS_PER_MINUTE: rpm, CF_REQUESTS_PER_MINUTE: rpm, PAGE_LIMIT: '100' });
    const batch = fakeBatch('fetch', windows.map((w) => fetchMessage(w._id, 1)));
    globalThis.fetch = watchedFetch(unwatched, tally);
    tally.reset();
    await consumeFetchBatch(batch, watched(env, tally));
    const peak = tally.result();
    const besideMongo = peak.besideMongo;
    return {
      windows: windows.length,
      pages: Object.fromEntries(MEASURED.map((source) => [source, simulator.requests.filter((r) => r.source === source && r.status === 200).length])),
      spacingMs: 60_000 / REQUESTS_PER_MINUTE,
      answerMs: ANSWER_MS,
      latencyMs: LATENCY_MS,
      acked: decisionsOf(batch).every((d) => d?.kind === 'ack'),
      peak,
      besideMongo,
      mongoSockets: peak.mostOf.mongo,
      onReplicaSetOf3: besideMongo + 3 + (peak.mostOf.mongo - 1),
    };
  } finally {
    globalThis.fetch = unwatched;
    await mongoRelay.close();
    await simulator.close();
    await client.close();
  }
}

/** fetch(), each request counted open as `upstream` from the call until its body is read to the end or cancelled. */
function watchedFetch(unwatched: typeof fetch, tally: OutboundTally): typeof fetch {
  return async (input, init) => {
    const done = tally.opened('upstream');
    let response: Response;
    try {
      response = await unwatched(input, init);
    } catch (error) {
      done();
      throw error;
    }
    if (!response.body) {
      done();
      return response;
    }
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const chunk = await reader.read();
          if (chunk.done) {
            done();
            controller.close();
          } else controller.enqueue(chunk.value);
        } catch (error) {
          done();
          throw error;
        }
      },
      cancel(reason) {
        done();
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** `env` with its queue sends and RateGate calls counted on `tally`, each answering after its latency. */
function watched(env: FakeEnv, tally: OutboundTally): Env {
  const calls = <T extends object>(target: T, kind: OutboundKind, methods: readonly string[] | 'all'): T =>
    new Proxy(target, {
      get(object, key) {
        const value = Reflect.get(object, key) as unknown;
        if (typeof value !== 'function') return value;
        const method = value.bind(object) as (...args: unknown[]) => Promise<unknown>;
        return methods === 'all' || methods.includes(String(key)) ? (...args: unknown[]) => tally.during(kind, LATENCY_MS[kind as 'queue' | 'gate'], () => method(...args)) : method;
      },
    });
  const queue = (binding: Queue) => calls(binding, 'queue', ['send', 'sendBatch']);
  const gates = new Proxy(env.RATE_GATE, {
    get(namespace, key) {
      if (key === 'get') return (id: DurableObjectId) => calls(namespace.get(id), 'gate', 'all');
      const value = Reflect.get(namespace, key) as unknown;
      return typeof value === 'function' ? value.bind(namespace) : value;
    },
  });
  return { ...env, FETCH_QUEUE: queue(env.FETCH_QUEUE), WRITE_QUEUE: queue(env.WRITE_QUEUE), FETCH_DLQ: queue(env.FETCH_DLQ), WRITE_DLQ: queue(env.WRITE_DLQ), RATE_GATE: gates };
}
