import { describe, expect, it } from 'vitest';
import type { Check } from '../../producer/doctor/check.ts';
import { FIXES } from '../../producer/doctor/fixFor.ts';
import { MISSING_INDEX_FIX } from '../../producer/doctor/indexesCheck.ts';
import { freePort } from '../../scripts/local/freePort.ts';
import { COLLECTIONS, INDEXES } from '../../shared/store/db.ts';
import { keywordIndexPlan } from '../../shared/store/keywordSearch.ts';
import { PRODUCT_INDEXES } from '../../shared/store/queryIndexes.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { callWorker } from './callWorker.ts';
import { fakeEnv, type FakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { SOURCES_ON } from '../stack/sourcesOn.ts';

/**
 * POST /admin/doctor through the Worker's entry, against the test database and the upstream
 * simulator: a healthy run passes every check, leaves no probe document, asks each upstream once
 * and takes that request's slot from the source's gate; each failure (MongoDB unreachable, an index
 * missing, a queue binding missing, a refusal upstream, a held gate, a bad variable) fails its own
 * check with its fix, skips only what depends on it, and shows no secret (callWorker checks every
 * answer and log line).
 */
const TOKEN = 'the-admin-token-for-the-doctor-42';
const dataset = generateDataset({ seed: 21, from: new Date('2024-02-01T00:00:00Z'), to: new Date('2024-03-01T00:00:00Z'), ftsPerDay: 2, cfPerDay: 2 });
const stack = handlerStack({ prefix: 'h_doctor', upstream: { dataset }, vars: { ADMIN_TOKEN: TOKEN }, perTest: 'database' });

const CHECKS = ['config', 'mongodb connect', 'probe document', 'indexes', 'queues', 'rate gate FIND_A_TENDER', 'upstream FIND_A_TENDER', 'rate gate CONTRACTS_FINDER', 'upstream CONTRACTS_FINDER', 'rate gate PUBLIC_CONTRACTS_SCOTLAND', 'upstream PUBLIC_CONTRACTS_SCOTLAND'];

async function doctor(env: FakeEnv = stack.env, authorization: string | undefined = `Bearer ${TOKEN}`): Promise<{ ok: boolean; checks: Check[]; byName: Record<string, Check> }> {
  const answer = await callWorker(env, 'POST', '/admin/doctor', { authorization });
  expect(answer.status, answer.text).toBe(200);
  const { ok, checks } = answer.body as { ok: boolean; checks: Check[] };
  expect(checks.map((c) => c.name)).toEqual(CHECKS);
  for (const check of checks) expect(check.fix === undefined, `${check.name}: a fix exactly when failed`).toBe(check.ok);
  return { ok, checks, byName: Object.fromEntries(checks.map((c) => [c.name, c])) };
}

const failed = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => c.name);
/** The indexes the doctor expects with QUERY_INDEXES on, on this server (the keyword index only where it has text indexes), and how it sums them up. */
const productCount = async () => PRODUCT_INDEXES.length + ((await keywordIndexPlan(stack.db)).create ? 1 : 0);
const indexCount = async () => INDEXES.length + (await productCount());
const whichIndexes = async () => {
  const plan = await keywordIndexPlan(stack.db);
  return [`${INDEXES.length} of the pipeline, ${await productCount()} for the product's queries`, ...(plan.create ? [] : [`no query_keywords text index: ${plan.why}`])].join('; ');
};
/** `detail` opens with `expected` (a failure shows both). */
const expectOpening = (detail: string, expected: string) => expect(detail.slice(0, expected.length)).toBe(expected);
const requestsOf = (source: string) => stack.simulator.requests.filter((r) => r.source === source);
/** The Worker's env on the stack's database and simulator, with `vars` changed. */
const envWith = (vars: Parameters<typeof fakeEnv>[0]) => fakeEnv({ FTS_API_URL: stack.env.FTS_API_URL, CF_API_URL: stack.env.CF_API_URL, FTS_REQUESTS_PER_MINUTE: '6000', CF_REQUESTS_PER_MINUTE: '6000', ADMIN_TOKEN: TOKEN, ...vars });

describe('POST /admin/doctor', () => {
  it('healthy: every check passes, the probe document is gone, each upstream was asked once inside its gate', async () => {
    const startedAt = Date.now();
    const { ok, checks, byName } = await doctor();

    expect(failed(checks)).toEqual([]);
    expect(ok).toBe(true);
    for (const check of checks) expect(check.ms).toBeGreaterThanOrEqual(0);
    expect(byName['mongodb connect'].detail).toMatch(/^MongoDB \S+; (replica set \S+: \d+ member\(s\) .*, primary \S+|a single server \(no replica set\)); ping \d+ ms; the client holds 1 pooled connection\(s\) and monitors 1 server\(s\); database h_doctor_/);
    expect(byName['probe document'].detail).toMatch(/^inserted, read back and deleted doctor:[0-9a-f-]{36} in syncJobs$/);
    expect(await stack.db.collection(COLLECTIONS.syncJobs).countDocuments()).toBe(0);
    expectOpening(byName.indexes.detail, `all ${await indexCount()} indexes present (${await whichIndexes()}); not created yet (each at its first write): buyers, deadLetters`);
    expect(byName.queues.detail).toBe('bound: FETCH_QUEUE, WRITE_QUEUE, FETCH_DLQ, WRITE_DLQ, NOTIFY_QUEUE, NOTIFY_DLQ (presence only: nothing is sent, a message would be consumed as work)');
    expect([stack.env.FETCH_QUEUE.sent, stack.env.WRITE_QUEUE.sent, stack.env.FETCH_DLQ.sent, stack.env.WRITE_DLQ.sent, stack.env.NOTIFY_QUEUE.sent, stack.env.NOTIFY_DLQ.sent]).toEqual([[], [], [], [], [], []]);
    // PCS is off in this env: passed without a request, saying why.
    expect(byName['upstream PUBLIC_CONTRACTS_SCOTLAND']).toMatchObject({ ok: true, detail: 'skipped: the source is switched off (PCS_ENABLED=false), so it is never asked' });
    expect(requestsOf('PUBLIC_CONTRACTS_SCOTLAND')).toEqual([]);
    for (const source of SOURCES_ON) {
      expect(requestsOf(source).map((r) => [r.status, r.query.limit])).toEqual([[200, '1']]);
      expect(byName[`upstream ${source}`].detail).toMatch(/^HTTP 200, \d+ bytes in \d+ ms, after \d+ ms waiting for its slot$/);
      const book = await stack.env.RATE_GATE.gate(source).status();
      expect(book.usage.calls.reserve, `${source}: one slot taken`).toBe(1);
      expect(book.nextSlotAt, `${source}: the next slot moved past the one taken`).toBeGreaterThan(startedAt);
    }
  });

  it('MongoDB unreachable: the connection fails with the access-list fix, the checks that need it are skipped, no password shows', async () => {
    const closedPort = await freePort();
    const env = envWith({ MONGODB_URI: `mongodb://tender:hunter2-secret@127.0.0.1:${closedPort}/?authSource=admin`, MONGODB_DB: stack.testDb.name, MONGODB_TIMEOUT_MS: '300' });

    const { ok, checks, byName } = await doctor(env);

    expect(ok).toBe(false);
    expect(failed(checks)).toEqual(['mongodb connect', 'probe document', 'indexes']);
    expect(byName['mongodb connect']).toMatchObject({ detail: expect.stringMatching(/^MongoServerSelectionError: connect ECONNREFUSED 127\.0\.0\.1:\d+/), fix: FIXES.accessList });
    expect(byName['probe document']).toMatchObject({ ms: 0, detail: 'skipped: "mongodb connect" failed', fix: 'see "mongodb connect" above: this check runs once that one passes.' });
    expect(byName.indexes.detail).toBe('skipped: "mongodb connect" failed');
    expect(JSON.stringify(checks)).not.toMatch(/hunter2|tender:/);
    for (const source of SOURCES_ON) expect(requestsOf(source)).toHaveLength(1);
  });

  it('a missing index: the indexes check names it, and creates nothing', async () => {
    await stack.db.collection(COLLECTIONS.contracts).dropIndex('source_ocid');

    const { checks, byName } = await doctor();

    expect(failed(checks)).toEqual(['indexes']);
    expect(byName.indexes).toMatchObject({ detail: expect.stringMatching(/^missing: contracts\.source_ocid; /), fix: MISSING_INDEX_FIX });
    expect((await stack.db.collection(COLLECTIONS.contracts).listIndexes().toArray()).map((i) => i.name)).not.toContain('source_ocid');
  });

  it("a missing index of the product's queries: named while QUERY_INDEXES is on; with it off, none of theirs is expected", async () => {
    await stack.db.collection(COLLECTIONS.contracts).dropIndex('query_supplier');

    const on = await doctor();
    expect(failed(on.checks)).toEqual(['indexes']);
    expect(on.byName.indexes).toMatchObject({ detail: expect.stringMatching(/^missing: contracts\.query_supplier; /), fix: MISSING_INDEX_FIX });

    const off = await doctor(envWith({ MONGODB_URI: stack.testDb.uri, MONGODB_DB: stack.testDb.name, QUERY_INDEXES: 'off' }));
    expect(failed(off.checks)).toEqual([]);
    expectOpening(off.byName.indexes.detail, `all ${INDEXES.length} indexes present (${INDEXES.length} of the pipeline, 0 for the product's queries; the product's query indexes are left to it (QUERY_INDEXES=off)); `);
  });

  it('a database no cron has run on: no index yet passes, saying the first cron creates them', async () => {
    await stack.db.dropDatabase();

    const { checks, byName } = await doctor();

    expect(failed(checks)).toEqual([]);
    expect(byName.indexes.detail).toBe(`none of the ${await indexCount()} indexes yet (${await whichIndexes()}), as before the first cron (which creates them): run the doctor again after it`);
  });

  it('a missing queue binding: the queues check names it and says what to put back', async () => {
    const env: Partial<FakeEnv> = { ...stack.env };
    delete env.WRITE_DLQ;

    const { checks, byName } = await doctor(env as FakeEnv);

    expect(failed(checks)).toEqual(['queues']);
    expect(byName.queues).toMatchObject({
      detail: 'not bound: WRITE_DLQ (queue write-dlq)',
      fix: 'put [[queues.producers]] binding = "WRITE_DLQ", queue = "write-dlq" back in wrangler.toml, create the queue if it does not exist (npx wrangler queues create write-dlq), and deploy again.',
    });
  });

  it('a refusal upstream: reported with its pause, and the gate paused for every consumer', async () => {
    stack.simulator.setFaults({ rateLimitStorm: { source: 'FIND_A_TENDER', count: 1, retryAfterSeconds: 120 } });

    const { checks, byName } = await doctor();

    expect(failed(checks)).toEqual(['upstream FIND_A_TENDER']);
    expect(byName['upstream FIND_A_TENDER']).toMatchObject({
      detail: expect.stringMatching(/^refused: FTS answered 429; source paused 120 s, until \S+Z for every consumer; after \d+ ms waiting for its slot$/),
      fix: expect.stringMatching(/^nothing to change for one refusal: run the doctor again after \S+Z; if refusals keep coming, lower FTS_REQUESTS_PER_MINUTE \(README, Configuration\)\.$/),
    });
    expect(requestsOf('FIND_A_TENDER').map((r) => r.status)).toEqual([429]);
    const book = await stack.env.RATE_GATE.gate('FIND_A_TENDER').status();
    expect(book.pausedUntil).toBeGreaterThan(Date.now() + 100_000);
    expect(book.pauseReason).toBe('FTS answered 429');
  });

  it('a held gate: reported, and its source is not asked', async () => {
    await stack.env.RATE_GATE.gate('CONTRACTS_FINDER').hold('asked CF about the 403s');

    const { checks, byName } = await doctor();

    expect(failed(checks)).toEqual(['upstream CONTRACTS_FINDER']);
    expect(byName['rate gate CONTRACTS_FINDER'].detail).toMatch(/held by an operator since \S+Z: asked CF about the 403s/);
    expect(byName['upstream CONTRACTS_FINDER']).toMatchObject({
      detail: expect.stringMatching(/^not asked: held by an operator since \S+Z \(asked CF about the 403s\)$/),
      fix: 'POST /admin/resume {"source":"CONTRACTS_FINDER"} once the hold\'s reason is dealt with, and run the doctor again.',
    });
    expect(requestsOf('CONTRACTS_FINDER')).toEqual([]);
    expect((await stack.env.RATE_GATE.gate('CONTRACTS_FINDER').status()).usage.calls.reserve).toBe(0);
    expect(requestsOf('FIND_A_TENDER')).toHaveLength(1);
  });

  it('a bad variable: the config check gives its message, what needs the config is skipped, the rest runs', async () => {
    const env = envWith({ MONGODB_URI: stack.testDb.uri, MONGODB_DB: stack.testDb.name, FTS_REQUESTS_PER_MINUTE: 'abc' });

    const { checks, byName } = await doctor(env);

    expect(failed(checks)).toEqual(['config', 'mongodb connect', 'probe document', 'indexes', 'upstream FIND_A_TENDER', 'upstream CONTRACTS_FINDER', 'upstream PUBLIC_CONTRACTS_SCOTLAND']);
    expect(byName.config.detail).toBe('bad config: FTS_REQUESTS_PER_MINUTE: Invalid number: Received NaN');
    expect(byName['upstream FIND_A_TENDER'].detail).toBe('skipped: "config" failed');
    expect(stack.simulator.requests).toEqual([]);
  });

  it('answers 401 without the token or with a wrong one, 403 while no ADMIN_TOKEN is set, and runs nothing', async () => {
    for (const authorization of [undefined, 'Bearer not-the-admin-token-at-all', TOKEN]) {
      const answer = await callWorker(stack.env, 'POST', '/admin/doctor', { authorization });
      expect(answer).toMatchObject({ status: 401, body: { error: 'admin endpoints need Authorization: Bearer <ADMIN_TOKEN>' } });
    }
    const closed = await callWorker(envWith({ MONGODB_URI: stack.testDb.uri, MONGODB_DB: stack.testDb.name, ADMIN_TOKEN: '' }), 'POST', '/admin/doctor', { authorization: `Bearer ${TOKEN}` });
    expect(closed.status).toBe(403);
    expect(stack.simulator.requests).toEqual([]);
    expect(await stack.env.RATE_GATE.gate('FIND_A_TENDER').status()).toMatchObject({ usage: { calls: { reserve: 0 } } });
  });
});
