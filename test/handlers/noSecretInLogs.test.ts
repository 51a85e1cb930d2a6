import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local/freePort.ts';
import { fetchMessage, notifyMessage, tickMessage } from '../../shared/queue/messages.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { deadLettersCollection } from '../../shared/store/deadLetters.ts';
import worker from '../../worker.ts';
import { makeWriteMessage } from '../factories.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { capturedLogs } from './capturedLogs.ts';
import { decisionsOf, fakeBatch, fakeEnv, type FakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { queuedDelta } from './recordWindow.ts';
import { expectNoSecret } from './secretsOf.ts';

/**
 * No line the queue consumers (fetch, write, both dead-letter queues) or the cron log, and no error
 * they leave uncaught (the platform logs it), shows a secret: the MongoDB URI, its password,
 * ADMIN_TOKEN or STATUS_TOKEN. Through the Worker's entries (worker.queue, worker.scheduled), on
 * the paths where errors are written: MongoDB unreachable, upstream answering 500, messages
 * dead-lettered; and on a working run with a password in the URI.
 */
const USER = 'tender-ops';
const PASSWORD = 's3cret-Pass-Qx7';
const ADMIN_TOKEN = 'admin-t0ken-of-the-log-tests';
const STATUS_TOKEN = 'status-t0ken-of-the-log-tests';
const dataset = generateDataset({ seed: 3, from: new Date('2024-03-04T00:00:00Z'), to: new Date('2024-03-06T00:00:00Z'), ftsPerDay: 30, cfPerDay: 30 });
const stack = handlerStack({ prefix: 'h_logs', upstream: { dataset } });

/** An env of the Worker with every secret set, on `uri`, upstream the simulator. */
const secretEnv = (uri: string, vars: { MONGODB_TIMEOUT_MS?: string } = {}): FakeEnv =>
  fakeEnv({
    MONGODB_URI: uri,
    MONGODB_DB: stack.testDb.name,
    ADMIN_TOKEN,
    STATUS_TOKEN,
    FTS_API_URL: stack.simulator.url,
    CF_API_URL: stack.simulator.url,
    FTS_REQUESTS_PER_MINUTE: '6000',
    CF_REQUESTS_PER_MINUTE: '6000',
    FTS_START_DATE: '2026-01-01',
    CF_START_DATE: '2026-01-01',
    // An upstream 500 pauses the source: probed again after 1 s, not the default 15.
    UPSTREAM_PROBE_SECONDS: '1',
    ...vars,
  });

/** The test server's URI with a user and password: FerretDB, the tests' server, takes any over PLAIN. */
function withPassword(uri: string): string {
  const url = new URL(uri);
  url.username = USER;
  url.password = PASSWORD;
  url.searchParams.set('authMechanism', 'PLAIN');
  return url.toString();
}

/** Runs one entry of the Worker, checks that nothing it logged or threw shows a secret, and returns all of that as one text. */
async function shownBy(env: FakeEnv, work: () => Promise<unknown>): Promise<string> {
  const { logs, thrown } = await capturedLogs(work);
  expectNoSecret(env, 'a log line', logs);
  expectNoSecret(env, 'the uncaught error', [thrown ?? '']);
  return [...logs, thrown ?? ''].join('\n');
}

/** worker.scheduled as the platform runs it: done when what it handed to waitUntil is. */
async function cron(env: FakeEnv): Promise<void> {
  const waited: Promise<unknown>[] = [];
  const ctx = { waitUntil: (promise: Promise<unknown>) => void waited.push(promise), passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
  await worker.scheduled({ cron: '7 * * * *', scheduledTime: Date.now(), noRetry: () => {} }, env, ctx);
  await Promise.all(waited);
}

/** A one-day delta window of `source` on the dataset's first day, queued at seq 1. */
const queuedWindow = async (source: SourceName): Promise<string> => (await queuedDelta(stack.db, source, new Date('2024-03-04T00:00:00Z')))._id;

const letter = { v: 1, type: 'dead', queue: 'fetch', body: fetchMessage('FIND_A_TENDER:delta:nowhere', 1), error: 'PermanentError: no window', attempts: 1 };

describe('no secret in a log line of the queue consumers or the cron', () => {
  it.each([
    { entry: 'fetch', run: (env: FakeEnv) => worker.queue(fakeBatch('fetch', [fetchMessage('FIND_A_TENDER:delta:nowhere', 1), tickMessage(new Date())]), env), shows: /^fetch: MongoDB unreachable, 2 message\(s\) wait for it \(again in \d+, \d+ s\): MongoServerSelectionError/m },
    { entry: 'write', run: (env: FakeEnv) => worker.queue(fakeBatch('write', [makeWriteMessage()]), env), shows: /^write: MongoDB unreachable, 1 message\(s\) wait for it \(again in \d+ s\): MongoServerSelectionError/m },
    { entry: 'fetch-dlq', run: (env: FakeEnv) => worker.queue(fakeBatch('fetch-dlq', [letter]), env), shows: /fetch-dlq: could not store dead letters, holding 1: MongoDB unreachable: MongoServerSelectionError/ },
    { entry: 'write-dlq', run: (env: FakeEnv) => worker.queue(fakeBatch('write-dlq', [{ ...letter, queue: 'write' }]), env), shows: /write-dlq: could not store dead letters, holding 1: MongoDB unreachable: MongoServerSelectionError/ },
    { entry: 'notify', run: (env: FakeEnv) => worker.queue(fakeBatch('notify', [notifyMessage(), notifyMessage('wh-1')]), env), shows: /^notify: MongoDB unreachable, 2 message\(s\) wait for it \(again in \d+, \d+ s\): MongoServerSelectionError/m },
    { entry: 'cron', run: cron, shows: /^producer: MongoDB unreachable, nothing planned until the next run \(the hour's 11 delta ticks were sent\): MongoServerSelectionError/m },
  ])('$entry, MongoDB unreachable', async ({ run, shows }) => {
    const env = secretEnv(`mongodb://${USER}:${PASSWORD}@127.0.0.1:${await freePort()}/`, { MONGODB_TIMEOUT_MS: '300' });

    expect(await shownBy(env, () => run(env))).toMatch(shows);
  });

  it('a working run with a password in the URI: cron, a fetch batch upstream fails, the write batch, the dead letters', async () => {
    const env = secretEnv(withPassword(stack.testDb.uri));

    expect(await shownBy(env, () => cron(env))).toMatch(/producer FIND_A_TENDER: backfilling/);

    const failing = await queuedWindow('FIND_A_TENDER');
    stack.simulator.setFaults({ serverErrors: { source: 'FIND_A_TENDER', count: 1, status: 500 } });
    const fetches = fakeBatch('fetch', [fetchMessage(failing, 1), fetchMessage(await queuedWindow('CONTRACTS_FINDER'), 1), fetchMessage('FIND_A_TENDER:delta:nowhere', 1), tickMessage(new Date())]);
    const fetchLogs = await shownBy(env, () => worker.queue(fetches, env));
    expect(decisionsOf(fetches).map((d) => d?.kind)).toEqual(['ack', 'ack', 'ack', 'ack']);
    for (const line of [/upstream down: HTTP 500 for http:/, /dead-lettering .*no window FIND_A_TENDER:delta:nowhere/, /^fetch CONTRACTS_FINDER:delta:.*"fetched"/m, /^tick /m]) expect(fetchLogs).toMatch(line);

    const writes = fakeBatch('write', [...env.WRITE_QUEUE.take(), makeWriteMessage({ page: -1 })]);
    expect(await shownBy(env, () => worker.queue(writes, env))).toMatch(/^write: \d+ parts/m);
    expect(decisionsOf(writes).every((d) => d?.kind === 'ack')).toBe(true);

    for (const queue of ['fetch-dlq', 'write-dlq'] as const) {
      const letters = fakeBatch(queue, (queue === 'fetch-dlq' ? env.FETCH_DLQ : env.WRITE_DLQ).take());
      expect(letters.messages).toHaveLength(1);
      await shownBy(env, () => worker.queue(letters, env));
      expect(decisionsOf(letters)).toEqual([{ kind: 'ack' }]);
    }
    expect(await deadLettersCollection(stack.db).countDocuments()).toBe(2);
  });
});
