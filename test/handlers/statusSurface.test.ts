import { MongoClient, type CommandSucceededEvent, type Db } from 'mongodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logCommands } from '../../scripts/local/commandLog.ts';
import { freePort } from '../../scripts/local/freePort.ts';
import { forgetStatusAnswers, STATUS_CACHE_MS } from '../../producer/status/statusCache.ts';
import { fetchMessage } from '../../shared/queue/messages.ts';
import { sources } from '../../shared/sources/sources.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { quarantine } from '../../shared/store/quarantine.ts';
import { recordWindows, recordWrittenParts } from '../../shared/store/windows.ts';
import { firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import { writtenPartKey } from '../../shared/windows/isWindowComplete.ts';
import { callWorker, type WorkerAnswer } from './callWorker.ts';
import { fakeEnv, type FakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { monthWindow, recordWindow } from './recordWindow.ts';
import { SOURCES_ON } from '../stack/sourcesOn.ts';

/**
 * The public surface (GET /, /status, /gates) is bounded and closable: within STATUS_CACHE_MS an
 * isolate answers the status from one read pass (one MongoDB client, one pass of queries) whatever
 * the traffic, and that pass sends the same commands and reads the same documents however long the
 * history; with STATUS_TOKEN set every one of those routes wants `Authorization: Bearer
 * <STATUS_TOKEN>` (401 otherwise, before anything is read). No answer or log line carries a token
 * or the MongoDB URI.
 */
const ADMIN_TOKEN = 'the-admin-token-of-the-surface-tests';
const STATUS_TOKEN = 'the-status-token-of-the-surface-77';
const stack = handlerStack({ prefix: 'h_surface', vars: { ADMIN_TOKEN }, perTest: 'database' });

/** The same database behind an env whose status surface is closed. */
const closedEnv = (): FakeEnv => fakeEnv({ MONGODB_URI: stack.testDb.uri, MONGODB_DB: stack.testDb.name, ADMIN_TOKEN, STATUS_TOKEN });

/** callWorker checks ADMIN_TOKEN and the URI; the status token is checked here, in the answer and in every log line. */
async function call(env: FakeEnv, method: string, path: string, authorization?: string): Promise<WorkerAnswer> {
  const answer = await callWorker(env, method, path, { authorization });
  expect(answer.text, 'the answer shows no status token').not.toContain(STATUS_TOKEN);
  for (const line of answer.logs) expect(line, 'no log line shows the status token').not.toContain(STATUS_TOKEN);
  return answer;
}

/**
 * Every MongoDB client the Worker opens from now on, with the commands it sends (command monitoring
 * switched on as it connects): `take()` gives how many were opened, their commands and the documents
 * their cursors returned since the last look.
 */
function watchClients() {
  const logs: ReturnType<typeof logCommands>[] = [];
  let documents = 0;
  const connect = MongoClient.prototype.connect;
  vi.spyOn(MongoClient.prototype, 'connect').mockImplementation(function (this: MongoClient) {
    this.options.monitorCommands = true;
    logs.push(logCommands(this));
    this.on('commandSucceeded', (event: CommandSucceededEvent) => {
      const { cursor } = event.reply as { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } };
      documents += (cursor?.firstBatch ?? cursor?.nextBatch ?? []).length;
    });
    return connect.call(this);
  });
  return {
    take(): { opened: number; commands: string[]; documents: number } {
      const taken = logs.splice(0);
      const read = documents;
      documents = 0;
      return { opened: taken.length, commands: taken.flatMap((log) => log.take().commands).sort(), documents: read };
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const quarantined = (i: number) => ({ _id: `q${i}`, source: 'FIND_A_TENDER', windowId: 'FIND_A_TENDER:2024-03', pageUrl: `https://fts/p${i}`, reason: 'tender.id: missing', createdAt: new Date() });

describe('status answers: one read pass per isolate per interval', () => {
  it(`20 concurrent GET /status and 20 GET / open one MongoDB client and run one pass of queries; the next pass comes after ${STATUS_CACHE_MS / 1000} s`, async () => {
    await stack.db.collection(COLLECTIONS.quarantine).insertOne(quarantined(1) as never);
    const clients = watchClients();

    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => call(stack.env, 'GET', i % 2 ? '/' : '/status')));

    expect(burst.map((a) => a.status)).toEqual(Array(40).fill(200));
    const first = clients.take();
    expect(first.opened, 'MongoDB clients opened by the burst').toBe(1);
    expect(burst.filter((a) => a.body.quarantine).map((a) => (a.body.quarantine as { count: number }).count)).toEqual(Array(20).fill(1));

    // Within the interval: what was read is answered again, without MongoDB (a new document does not show yet).
    await stack.db.collection(COLLECTIONS.quarantine).insertOne(quarantined(2) as never);
    expect((await call(stack.env, 'GET', '/status')).body.quarantine).toMatchObject({ count: 1 });
    expect(clients.take()).toEqual({ opened: 0, commands: [], documents: 0 });

    // After it: one new pass, the same queries as the burst's, and the new document shows.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + STATUS_CACHE_MS + 1);
    const later = await Promise.all(Array.from({ length: 10 }, () => call(stack.env, 'GET', '/status')));
    expect(later.map((a) => (a.body.quarantine as { count: number }).count)).toEqual(Array(10).fill(2));
    const second = clients.take();
    expect(second.opened).toBe(1);
    expect(second.commands).toEqual(first.commands);
    expect(first.commands.length).toBeGreaterThan(0);
  });

  it('an unreachable MongoDB is tried once per interval too: concurrent callers share the one failure (500, no secret)', async () => {
    const closedPort = await freePort();
    const unreachable = fakeEnv({ MONGODB_URI: `mongodb://admin:hunter2-secret@127.0.0.1:${closedPort}/`, MONGODB_DB: stack.testDb.name, ADMIN_TOKEN, MONGODB_TIMEOUT_MS: '300' });
    const clients = watchClients();

    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => call(unreachable, 'GET', i % 2 ? '/' : '/status')));
    const again = await call(unreachable, 'GET', '/status');

    expect([...answers, again].map((a) => a.status)).toEqual(Array(11).fill(500));
    expect(again.body.error).toMatch(/MongoServerSelectionError/);
    expect(clients.take().opened).toBe(1);
  });

  it("an operator's action shows at once: an admin call forgets the isolate's status answers", async () => {
    expect((await call(stack.env, 'GET', '/status')).body.sources).toContainEqual(expect.objectContaining({ source: 'CONTRACTS_FINDER', figures: expect.objectContaining({ paused: null }) }));

    const paused = await callWorker(stack.env, 'POST', '/admin/pause', { authorization: `Bearer ${ADMIN_TOKEN}`, body: { source: 'CONTRACTS_FINDER', reason: 'looking at the page' } });
    expect(paused.status).toBe(200);

    expect((await call(stack.env, 'GET', '/status')).body.sources).toContainEqual(
      expect.objectContaining({ source: 'CONTRACTS_FINDER', figures: expect.objectContaining({ paused: expect.objectContaining({ reason: 'looking at the page' }) }) }),
    );
  });
});

/**
 * Adds `count` of each thing the status reads beyond the month windows, numbered from `first`, per
 * source: delta windows, a part each stored within the hour, ten contracts each and a buyer, an item
 * quarantined and a dead letter each, their reasons ever more varied (one in 50).
 */
async function growHistory(db: Db, first: number, count: number): Promise<void> {
  const now = new Date();
  const numbers = Array.from({ length: count }, (_, i) => first + i);
  const reason = (i: number) => `reason ${i % 50}`;
  for (const source of SOURCES_ON) {
    const deltas = numbers.map((i) => {
      const to = new Date(Date.UTC(2025, 0, 1) + i * 5 * 60_000);
      return { _id: `${source}:delta:${to.toISOString()}`, source, span: 'delta' as const, from: new Date(to.getTime() - 20 * 60_000), to };
    });
    await recordWindows(db, deltas, (w) => firstCheckpoint(w, sources[source].maxSliceMs), now);
    await recordWrittenParts(db, deltas.map((w) => ({ windowId: w._id, generation: 0, key: writtenPartKey(0, 0, 0), releases: 10 })), now);
    await quarantine(db, numbers.map((i) => ({ source, windowId: deltas[0]._id, pageUrl: `https://upstream/p${i}`, reason: reason(i), index: i })), now);
    const contracts = numbers.flatMap((i) => Array.from({ length: 10 }, (_, k) => ({ _id: `${source}:${i}-${k}`, source, noticeId: `${i}-${k}`, releaseDate: new Date(Date.UTC(2025, 0, 1, 0, i, k)) })));
    await db.collection(COLLECTIONS.contracts).insertMany(contracts as never[]);
    await db.collection(COLLECTIONS.buyers).insertMany(numbers.map((i) => ({ _id: `buyer-${source}-${i}` })) as never[]);
    const letters = numbers.map((i) => ({ _id: `${source}-letter-${i}`, queue: 'fetch', body: fetchMessage(deltas[0]._id, i), error: reason(i), attempts: 5, state: 'dead' }));
    await db.collection(COLLECTIONS.deadLetters).insertMany(letters as never[]);
  }
}

describe('status reads stay bounded', () => {
  it('GET /status sends the same commands and reads the same documents over a history 50 times larger', async () => {
    for (const source of SOURCES_ON) {
      for (const month of ['2024-01', '2024-02', '2024-03']) await recordWindow(stack.db, monthWindow(source, month), { state: 'done', releasesWritten: 100 });
    }
    await growHistory(stack.db, 0, 8);
    const clients = watchClients();
    const small = await call(stack.env, 'GET', '/status');
    const smallReads = clients.take();

    await growHistory(stack.db, 8, 392);
    // What the next hourly run does: the next call reads afresh.
    forgetStatusAnswers();
    const large = await call(stack.env, 'GET', '/status');
    const largeReads = clients.take();

    expect([small.body.counts, large.body.counts]).toEqual([
      { contracts: 160, buyers: 16, quarantined: 16, deadLetters: 16 },
      { contracts: 8000, buyers: 800, quarantined: 800, deadLetters: 800 },
    ]);
    expect(largeReads).toEqual(smallReads);
    expect(smallReads).toMatchObject({ opened: 1, commands: expect.arrayContaining(['find syncJobs', 'aggregate contracts']) });
  });
});

describe('STATUS_TOKEN', () => {
  const ROUTES = ['/', '/status', '/gates'];

  it.each(ROUTES.flatMap((path) => [
    { path, name: 'no Authorization', authorization: undefined },
    { path, name: 'a wrong token', authorization: 'Bearer not-the-status-token-at-all' },
    { path, name: 'the token without Bearer', authorization: STATUS_TOKEN },
    { path, name: 'a token one character short', authorization: `Bearer ${STATUS_TOKEN.slice(0, -1)}` },
    { path, name: 'the admin token', authorization: `Bearer ${ADMIN_TOKEN}` },
  ]))('when set, GET $path with $name: 401, and MongoDB is not asked', async ({ path, authorization }) => {
    const clients = watchClients();

    const answer = await call(closedEnv(), 'GET', path, authorization);

    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatch(/Authorization: Bearer <STATUS_TOKEN>/);
    expect(clients.take().opened).toBe(0);
  });

  it.each(ROUTES)('is not taken from the query string: GET %s?token=…: 401', async (path) => {
    expect((await call(closedEnv(), 'GET', `${path}?token=${encodeURIComponent(STATUS_TOKEN)}`)).status).toBe(401);
  });

  it.each(ROUTES)('when set, GET %s with Authorization: Bearer <STATUS_TOKEN>: 200', async (path) => {
    const answer = await call(closedEnv(), 'GET', path, `Bearer ${STATUS_TOKEN}`);

    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe(path === '/' ? 'text/html; charset=utf-8' : 'application/json');
  });

  it.each(ROUTES)('when unset, GET %s stays open: 200 without a token', async (path) => {
    expect((await call(stack.env, 'GET', path)).status).toBe(200);
  });

  it('opens no admin endpoint: POST /admin/pause with the status token is 401', async () => {
    const answer = await callWorker(closedEnv(), 'POST', '/admin/pause', { authorization: `Bearer ${STATUS_TOKEN}`, body: { source: 'FIND_A_TENDER' } });

    expect(answer.status).toBe(401);
    expect(await closedEnv().RATE_GATE.gate('FIND_A_TENDER').status()).not.toHaveProperty('hold');
  });

  it('a failure answered to a caller with the token shows neither token nor the URI', async () => {
    const closedPort = await freePort();
    const unreachable = fakeEnv({ MONGODB_URI: `mongodb://admin:hunter2-secret@127.0.0.1:${closedPort}/`, MONGODB_DB: 'elsewhere', ADMIN_TOKEN, STATUS_TOKEN, MONGODB_TIMEOUT_MS: '300' });

    const answer = await call(unreachable, 'GET', '/status', `Bearer ${STATUS_TOKEN}`);

    expect(answer.status).toBe(500);
    expect(answer.logs.join('\n')).toMatch(/GET \/status: /);
  });
});
