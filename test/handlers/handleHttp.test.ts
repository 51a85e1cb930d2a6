import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local/freePort.ts';
import { deadLettersCollection, MAX_REPLAYS } from '../../shared/store/deadLetters.ts';
import { messageKey } from '../../shared/store/messageFailures.ts';
import worker from '../../worker.ts';
import { makeFetchMessage, makeWriteMessage } from '../factories.ts';
import { callWorker } from './callWorker.ts';
import { fakeBatch, fakeEnv, type FakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * The Worker's HTTP endpoints through its entry (worker.fetch): POST /replay opens only to the
 * right bearer token, re-sends stored dead letters to the queue they failed on, and leaves a letter
 * parked once it has failed MAX_REPLAYS replays; GET /status counts what is kept. No answer, not
 * even an error, shows the token or the MongoDB URI.
 */
const TOKEN = 'a-long-enough-admin-token-1234';
const stack = handlerStack({ prefix: 'h_http', vars: { ADMIN_TOKEN: TOKEN } });

async function call(on: FakeEnv, method: string, path: string, authorization?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const { status, body } = await callWorker(on, method, path, { authorization });
  return { status, body };
}

const replay = (authorization?: string, on = stack.env) => call(on, 'POST', '/replay', authorization);

/** What the consumers do with a replayed write message that is still unreadable: dead-letter it, and keep the letter again. */
async function failAgain(): Promise<void> {
  await worker.queue(fakeBatch('write', stack.env.WRITE_QUEUE.take()), stack.env);
  await worker.queue(fakeBatch('write-dlq', stack.env.WRITE_DLQ.take()), stack.env);
}

const unreadableWrite = makeWriteMessage({ windowId: 'FIND_A_TENDER:2018-01', page: -1 });
const unknownWindow = makeFetchMessage({ windowId: 'FIND_A_TENDER:2018-02' });
const ids = { write: messageKey('write', unreadableWrite), fetch: messageKey('fetch', unknownWindow) };

describe('HTTP (worker.fetch)', () => {
  beforeAll(async () => {
    // Two letters, kept the way the consumers keep them.
    await worker.queue(fakeBatch('write', [unreadableWrite]), stack.env);
    await worker.queue(fakeBatch('fetch', [unknownWindow]), stack.env);
    await worker.queue(fakeBatch('write-dlq', stack.env.WRITE_DLQ.take()), stack.env);
    await worker.queue(fakeBatch('fetch-dlq', stack.env.FETCH_DLQ.take()), stack.env);
    expect(await deadLettersCollection(stack.db).countDocuments({ state: 'dead' })).toBe(2);
  });

  it.each([
    { name: 'no Authorization', authorization: undefined },
    { name: 'a wrong token', authorization: 'Bearer not-the-admin-token-at-all' },
    { name: 'the token without Bearer', authorization: TOKEN },
  ])('refuses POST /replay with $name (401) and replays nothing', async ({ authorization }) => {
    const { status, body } = await replay(authorization);

    expect(status).toBe(401);
    expect(body.error).toMatch(/Authorization: Bearer/);
    expect(await deadLettersCollection(stack.db).find({}, { projection: { state: 1, replays: 1 } }).sort({ _id: 1 }).toArray()).toEqual(
      [ids.fetch, ids.write].sort().map((_id) => ({ _id, state: 'dead', replays: 0 })),
    );
    expect([stack.env.FETCH_QUEUE.sent, stack.env.WRITE_QUEUE.sent]).toEqual([[], []]);
  });

  it('keeps POST /replay closed (403) while no ADMIN_TOKEN is configured', async () => {
    const closed = fakeEnv({ MONGODB_URI: stack.testDb.uri, MONGODB_DB: stack.testDb.name });

    const { status, body } = await replay(`Bearer ${TOKEN}`, closed);

    expect(status).toBe(403);
    expect(body.error).toMatch(/ADMIN_TOKEN/);
    expect(await deadLettersCollection(stack.db).countDocuments({ state: 'dead', replays: 0 })).toBe(2);
    expect([closed.FETCH_QUEUE.sent, closed.WRITE_QUEUE.sent]).toEqual([[], []]);
  });

  it('with the right token re-sends each letter to the queue it failed on', async () => {
    const { status, body } = await replay(`Bearer ${TOKEN}`);

    expect(status).toBe(200);
    expect(body).toEqual({ replayed: expect.arrayContaining([ids.write, ids.fetch]), parked: [] });
    expect(stack.env.WRITE_QUEUE.sent).toEqual([{ contentType: 'json', body: unreadableWrite }]);
    expect(stack.env.FETCH_QUEUE.sent).toEqual([{ contentType: 'json', body: unknownWindow }]);
    expect(await deadLettersCollection(stack.db).countDocuments({ state: 'replayed', replays: 1 })).toBe(2);
    stack.env.FETCH_QUEUE.take();
  });

  it(`parks a letter that failed again after its last (${MAX_REPLAYS}th) replay, and keeps it parked and counted`, async () => {
    for (let replays = 1; replays < MAX_REPLAYS; replays++) {
      await failAgain();
      expect(await replay(`Bearer ${TOKEN}`)).toMatchObject({ status: 200, body: { replayed: [ids.write], parked: [] } });
    }
    await failAgain();

    expect(await replay(`Bearer ${TOKEN}`)).toMatchObject({ status: 200, body: { replayed: [], parked: [ids.write] } });
    expect(stack.env.WRITE_QUEUE.sent).toEqual([]);
    const parked = { state: 'parked', replays: MAX_REPLAYS, parkedReason: expect.stringMatching(new RegExp(`^failed again after ${MAX_REPLAYS} replays: unreadable message: page: `)) };
    expect(await deadLettersCollection(stack.db).findOne({ _id: ids.write })).toMatchObject(parked);

    // Further replays leave it where it is, and /status still counts it.
    expect(await replay(`Bearer ${TOKEN}`)).toMatchObject({ status: 200, body: { replayed: [], parked: [] } });
    expect(stack.env.WRITE_QUEUE.sent).toEqual([]);
    expect(await deadLettersCollection(stack.db).findOne({ _id: ids.write })).toMatchObject(parked);
    expect(await call(stack.env, 'GET', '/status')).toMatchObject({ status: 200, body: { counts: { deadLetters: 1 } } });
  });

  it('answers a broken configuration or an unreachable MongoDB with a 500 that shows no secret', async () => {
    const closedPort = await freePort();
    const badUri = fakeEnv({ MONGODB_URI: `https://admin:hunter2-secret@db.example/`, MONGODB_DB: stack.testDb.name, ADMIN_TOKEN: TOKEN });
    const unreachable = fakeEnv({ MONGODB_URI: `mongodb://admin:hunter2-secret@127.0.0.1:${closedPort}/`, MONGODB_DB: stack.testDb.name, ADMIN_TOKEN: TOKEN, MONGODB_TIMEOUT_MS: '300' });

    expect(await call(badUri, 'GET', '/status')).toMatchObject({ status: 500, body: { error: expect.stringMatching(/MONGODB_URI/) } });
    expect(await call(unreachable, 'GET', '/status')).toMatchObject({ status: 500, body: { error: expect.stringMatching(/MongoServerSelectionError/) } });
    expect(await replay(`Bearer ${TOKEN}`, unreachable)).toMatchObject({ status: 500 });
  });
});
