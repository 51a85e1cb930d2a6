import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { outageDelaySeconds } from '../../consumer/backoff.ts';
import { FIXES } from '../../producer/doctor/fixFor.ts';
import { fetchMessage, tickMessage } from '../../shared/queue/messages.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import worker from '../../worker.ts';
import { makeWriteMessage } from '../factories.ts';
import { callWorker } from './callWorker.ts';
import { capturedLogs } from './capturedLogs.ts';
import { fakeBatch, fakeEnv, type FakeEnv, type RecordedBatch } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { expectNoSecret } from './secretsOf.ts';

/**
 * MongoDB refusing the login (a rotated password, a deleted user) is treated like MongoDB being
 * unreachable: no message's fault, so the consumers hold their work (the outage delay, nothing
 * noted, nothing dead-lettered) instead of throwing into the queue's retries and on into the
 * dead-letter queue; their log lines, the status answer and the self-test say the login was
 * refused. The refusal is the test server's own: given a user and password, the driver logs in with
 * SCRAM, which mongod refuses for a user it does not have and FerretDB (without its optional
 * authentication) for the mechanism, both with AuthenticationFailed (18).
 */
const stack = handlerStack({ prefix: 'h_login', perTest: 'env' });
const PASSWORD = 'not-the-password';
const REFUSED = /MongoDB refused the login \(the user or password in MONGODB_URI\)/;

const ADMIN_TOKEN = 'the-admin-token-of-the-login-tests';

/** The Worker's env on the test server, logging in as a user it refuses (fresh queues). */
function refusedEnv(): FakeEnv {
  const url = new URL(stack.testDb.uri);
  url.username = 'tender-sync-refused';
  url.password = PASSWORD;
  return fakeEnv({ MONGODB_URI: url.toString(), MONGODB_DB: stack.testDb.name, ADMIN_TOKEN });
}

/** Delivers `batch` through the Worker's entry; what it logged, which must show no secret. */
async function deliver(env: FakeEnv, batch: RecordedBatch): Promise<string> {
  const { logs, thrown } = await capturedLogs(() => worker.queue(batch, env));
  expect(thrown, 'the batch threw into the queue\'s retries').toBeNull();
  expectNoSecret(env, 'a log line', logs);
  return logs.join('\n');
}

/** Each message retried with the outage delay of its attempt. */
function expectWaiting(batch: RecordedBatch): void {
  for (const message of batch.messages) {
    const decision = message.decision;
    expect(decision).toEqual({ kind: 'retry', delaySeconds: expect.any(Number) });
    const delay = decision?.kind === 'retry' ? decision.delaySeconds : undefined;
    expect(delay).toBeGreaterThanOrEqual(outageDelaySeconds(message.attempts, () => 0));
    expect(delay).toBeLessThanOrEqual(outageDelaySeconds(message.attempts, () => 1));
  }
}

describe('MongoDB refusing the login', () => {
  it('is a refusal from the server itself (AuthenticationFailed, 18)', async () => {
    const client = new MongoClient(refusedEnv().MONGODB_URI, { serverSelectionTimeoutMS: 5000 });
    const refused = await client.connect().then(
      () => null,
      (error: unknown) => error as { code?: unknown; codeName?: unknown },
    );
    await client.close();
    expect(refused).toMatchObject({ code: 18, codeName: 'AuthenticationFailed' });
  });

  it('fetch: the whole batch waits for MongoDB with the outage delay, nothing noted or dead-lettered, and the log line says the login was refused', async () => {
    const env = refusedEnv();
    const batch = fakeBatch('fetch', [fetchMessage('FIND_A_TENDER:2019-01', 1), tickMessage(new Date())], { attempts: 16 });

    const logs = await deliver(env, batch);

    expectWaiting(batch);
    expect(logs).toMatch(new RegExp(`^fetch: ${REFUSED.source}, 2 message\\(s\\) wait for it \\(again in \\d+, \\d+ s\\): MongoServerError`, 'm'));
    expect([env.FETCH_DLQ.sent, env.FETCH_QUEUE.sent]).toEqual([[], []]);
    expect(await stack.db.collection(COLLECTIONS.messageFailures).countDocuments()).toBe(0);
  });

  it('write: the whole batch waits for MongoDB, nothing dead-lettered', async () => {
    const env = refusedEnv();
    const batch = fakeBatch('write', [makeWriteMessage({ part: 0 }), makeWriteMessage({ part: 1 })], { attempts: 19 });

    const logs = await deliver(env, batch);

    expectWaiting(batch);
    expect(logs).toMatch(new RegExp(`^write: ${REFUSED.source}, 2 message\\(s\\) wait for it`, 'm'));
    expect(env.WRITE_DLQ.sent).toEqual([]);
    expect(await stack.db.collection(COLLECTIONS.messageFailures).countDocuments()).toBe(0);
  });

  it('a dead-letter queue holds its letters, saying why', async () => {
    const env = refusedEnv();
    const letter = { v: 1, type: 'dead', queue: 'fetch', body: fetchMessage('FIND_A_TENDER:2019-01', 1), error: 'PermanentError: for the test', attempts: 1 };
    const batch = fakeBatch('fetch-dlq', [letter], { attempts: 3 });

    const logs = await deliver(env, batch);

    expectWaiting(batch);
    expect(logs).toMatch(new RegExp(`fetch-dlq: could not store dead letters, holding 1: ${REFUSED.source}`));
    expect(await stack.db.collection(COLLECTIONS.deadLetters).countDocuments()).toBe(0);
  });

  it('GET /status says the login was refused, showing no password', async () => {
    const answer = await callWorker(refusedEnv(), 'GET', '/status');

    expect(answer.status).toBe(500);
    expect(answer.body.error).toMatch(new RegExp(`^${REFUSED.source}: MongoServerError`));
    expect(answer.text).not.toContain(PASSWORD);
  });

  it('the self-test names the fix: the user or password in MONGODB_URI', async () => {
    const answer = await callWorker(refusedEnv(), 'POST', '/admin/doctor', { authorization: `Bearer ${ADMIN_TOKEN}` });

    const checks = (answer.body as { checks: { name: string; ok: boolean; fix?: string }[] }).checks;
    expect(checks.find((c) => c.name === 'mongodb connect')).toMatchObject({ ok: false, fix: FIXES.password });
  });
});
