import { describe, expect, it } from 'vitest';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { readChanges, type Change } from '../../shared/changes/readChanges.ts';
import { readConfig } from '../../shared/config.ts';
import type { MappedContract, MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { releaseOrder } from '../../shared/mapping/releaseOrder.ts';
import { SETTLE_MS, takeFeedBatch } from '../../shared/store/changes.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { CHANGES_TTL, ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { closeExpiredRecords } from '../../shared/store/records.ts';
import { makeMappedRelease, makeWriteBatches } from '../factories.ts';
import { holdBefore } from '../stack/holdBefore.ts';
import { callWorker } from './callWorker.ts';
import { fakeEnv } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * The change feed through the real write path (storeWriteBatch, as the write consumer calls it) and
 * the hourly close, read back through GET /changes on the Worker's entry, page by page, as a
 * product would: one `new` entry per notice stored, one entry per later change, none for a batch
 * delivered again; two writers at once read from cursor 0 in pages give every entry once, in
 * cursor order, whichever finished first; a cursor older than the retention answers 410; the
 * route wants a token.
 */
const READER_TOKEN = 'the-status-token-of-the-feed-42';
const stack = handlerStack({ prefix: 'h_changes', vars: { STATUS_TOKEN: READER_TOKEN }, perTest: 'database' });
const config = () => readConfig(stack.env);

const at = (day: number, hour = 10) => new Date(Date.UTC(2026, 2, day, hour)).toISOString();
/** Notice `n` of procurement `of` (its own by default), released on `day`. */
function notice(n: number, day: number, contract: Partial<MappedContract> = {}, of = n): MappedRelease {
  const releaseDate = at(day);
  return makeMappedRelease({
    contract: { noticeId: `${String(600_000 + n)}-2026`, ocid: `ocds-h6vhtk-feed-${of}`, releaseDate, releaseId: `R-${n}-${day}`, releaseOrder: releaseOrder(releaseDate, 0), deadlineDate: at(28), ...contract },
  });
}
const write = async (releases: readonly MappedRelease[], db = stack.db) => {
  for (const batch of makeWriteBatches(releases, { pageSize: 10, batchSize: 2 })) await storeWriteBatch(db, config(), batch);
};

/** GET /changes with the reader's token (or `authorization`). */
const get = (query: string, authorization: string | null = `Bearer ${READER_TOKEN}`, env = stack.env) =>
  callWorker(env, 'GET', `/changes${query}`, { authorization: authorization ?? undefined });

/** Every entry after `after`, page by page of `limit`, until the feed says it is caught up; the cursor to go on from. */
async function readAll(after = 0, limit = 7): Promise<{ changes: Change[]; next: number }> {
  const changes: Change[] = [];
  for (let pages = 0; pages < 100; pages++) {
    const { status, body } = await get(`?after=${after}&limit=${limit}`);
    expect(status, JSON.stringify(body)).toBe(200);
    changes.push(...(body.changes as Change[]));
    after = body.next as number;
    if (body.caughtUp) return { changes, next: after };
  }
  throw new Error('the feed never said it was caught up');
}

const summary = (changes: readonly Change[]) => changes.map((c) => `${c.kind} ${c.noticeId ?? c.ocid} ${c.fields.join(',')}`.trim());

describe('the change feed of the write path', () => {
  it('one `new` per notice stored; a newer release, a moved deadline, an award: one entry each (and one for the procurement awarded); none for a batch delivered again', async () => {
    const first = Array.from({ length: 24 }, (_, n) => notice(n, 1));
    await write(first);
    const { changes, next } = await readAll();
    expect(summary(changes).sort()).toEqual(first.map((r) => `new ${r.contract.noticeId}`).sort());
    expect(new Set(changes.map((c) => c.id)).size).toBe(24);

    // The same batches delivered again: nothing new in the feed.
    await write(first);
    expect((await readAll(next)).changes).toEqual([]);

    const later = [
      notice(0, 2, { title: 'Road repairs (amended)' }),
      notice(1, 2, { deadlineDate: at(30) }),
      notice(100, 3, { status: 'AWARDED', stage: 'AWARD', awards: [{ id: 'A-1', status: 'active', suppliers: [{ name: 'Acme Ltd' }] }] }, 2),
    ];
    await write(later);
    const { changes: after, next: end } = await readAll(next);
    expect(summary(after).sort()).toEqual(
      [
        'new 600100-2026',
        'updated 600000-2026 releaseDate,releaseId,title',
        'deadline changed 600001-2026 deadlineDate,releaseDate,releaseId',
        // The procurement's own deadline moved with its notice's; its status and suppliers with the award.
        'deadline changed ocds-h6vhtk-feed-1 deadlineDate',
        'awarded ocds-h6vhtk-feed-2 awardedSuppliers,status',
      ].sort(),
    );
    // The later changes come after the first ones, in cursor order.
    expect(after.every((c) => c.cursor > next)).toBe(true);

    await write(later);
    await write(first);
    expect((await readAll(end)).changes).toEqual([]);
  });

  it('a run cut off after writing its contracts, delivered again: each change has its one entry, with the fields it changed', async () => {
    await write([notice(1, 1), notice(2, 1)]);
    const { next } = await readAll();
    const batch = makeWriteBatches([notice(1, 2, { title: 'Road repairs (amended)' }), notice(3, 2)], { pageSize: 10 })[0];
    // The run dies as it writes its links: its contracts are stored, its links (what the plan decides from) are not.
    const cut = Promise.reject(new Error('the Worker was cut off'));
    cut.catch(() => {});
    await expect(storeWriteBatch(holdBefore(stack.db, COLLECTIONS.buyerLinks, 'insertMany', cut), config(), batch)).rejects.toThrow(/cut off/);
    expect(await stack.db.collection(COLLECTIONS.contracts).countDocuments({ title: 'Road repairs (amended)' })).toBe(1);

    await storeWriteBatch(stack.db, config(), batch);
    // Read once any batch number a cut-off run took without writing would have been passed over.
    const page = await readChanges(stack.db, { after: next, limit: 100 }, new Date(Date.now() + SETTLE_MS));
    expect(summary((page as { changes: Change[] }).changes).sort()).toEqual(['new 600003-2026', 'updated 600001-2026 releaseDate,releaseId,title']);
  });

  it('a batch sent back because another writer moved its records on leaves no number for readers to wait on', async () => {
    await write([notice(1, 1), notice(2, 1, {}, 1)]);
    const { next } = await readAll();
    // As if another writer stored the record between this batch's two reads: a notice it lists, not read.
    await stack.db.collection(COLLECTIONS.contracts).deleteOne({ _id: notice(2, 1).contract._id as never });
    await expect(write([notice(1, 2, { title: 'changed' }, 1)])).rejects.toThrow(/records moved on while this batch read them/);
    await write([notice(3, 2)]);
    const { body } = await get(`?after=${next}`);
    expect(summary(body.changes as Change[])).toEqual(['new 600003-2026']);
    expect(body).toMatchObject({ caughtUp: true });
  });

  it('the hourly close: one `status changed` per procurement it closed, none when it runs again', async () => {
    // Deadlines ahead of the write (else the write path closes them itself), passed by the run.
    const inHours = (h: number) => new Date(Date.now() + h * 3_600_000);
    const tenders = Array.from({ length: 25 }, (_, n) => notice(n, 1, { deadlineDate: inHours(1).toISOString() }));
    await write([...tenders, notice(50, 1, { deadlineDate: inHours(10).toISOString() })]);
    const { next } = await readAll();

    expect(await closeExpiredRecords(stack.db, inHours(3), 20)).toBe(25);
    const { changes, next: end } = await readAll(next);
    expect(summary(changes).sort()).toEqual(tenders.map((r) => `status changed ${r.contract.ocid} status`).sort());

    expect(await closeExpiredRecords(stack.db, inHours(3), 20)).toBe(0);
    expect((await readAll(end)).changes).toEqual([]);
  });

  it('two writers at once: a reader stops before the batch still writing, then reads every entry once, in cursor order', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const waiting = new Promise<void>((resolve) => (arrived = resolve));
    const one = Array.from({ length: 12 }, (_, n) => notice(n, 1));
    const two = Array.from({ length: 12 }, (_, n) => notice(200 + n, 1));

    // Writer one takes its cursor batch first, then waits just before appending its entries.
    const writing = storeWriteBatch(holdBefore(stack.db, COLLECTIONS.changes, 'insertMany', held, arrived), config(), makeWriteBatches(one, { pageSize: 12 })[0]);
    await waiting;
    await write(two);

    // Writer two's entries are stored, but they come after writer one's batch, which is not: none is read yet.
    const early = await get('?after=0&limit=5');
    expect(early.body).toMatchObject({ changes: [], next: 0, caughtUp: false, waitingOn: 1 });

    release();
    await writing;
    const seen: Change[] = [];
    let after = 0;
    for (let page = 0; page < 20 && !(page > 0 && seen.length === 24); page++) {
      const { body } = await get(`?after=${after}&limit=5`);
      seen.push(...(body.changes as Change[]));
      after = body.next as number;
    }
    const cursors = seen.map((c) => c.cursor);
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(seen.map((c) => c.noticeId).sort()).toEqual([...one, ...two].map((r) => r.contract.noticeId).sort());
    // Writer one's entries first: its batch number came first.
    expect(seen.slice(0, 12).map((c) => c.noticeId).sort()).toEqual(one.map((r) => r.contract.noticeId).sort());
  });

  it('a writer cut off after taking its number: the reader waits for it, then passes over it once SETTLE_MS old', async () => {
    await write([notice(1, 1)]);
    await takeFeedBatch(stack.db); // a writer that never appends
    await write([notice(2, 1)]);
    const query = { after: 0, limit: 100 };
    const now = await readChanges(stack.db, query, new Date());
    expect(now).toMatchObject({ expired: false, waitingOn: 2 });
    expect(summary((now as { changes: Change[] }).changes)).toEqual(['new 600001-2026']);
    const later = await readChanges(stack.db, query, new Date(Date.now() + SETTLE_MS));
    expect(summary((later as { changes: Change[] }).changes)).toEqual(['new 600001-2026', 'new 600002-2026']);
    expect(later).toMatchObject({ caughtUp: true });
  });
});

describe('GET /changes', () => {
  it('a cursor older than the retention: 410, with the oldest cursor kept', async () => {
    await write([notice(1, 1)]);
    const { next } = await readAll();
    await write([notice(2, 1)]);
    const { next: newest } = await readAll(next);
    // What the TTL index does on MongoDB (FerretDB has no TTL): the first batch's documents expire.
    await stack.db.collection(COLLECTIONS.changes).deleteMany({ cursor: { $lte: next } });
    const answer = await get(`?after=${next}`);
    expect(answer.status).toBe(410);
    expect(answer.body.error).toMatch(/older than the change feed keeps \(CHANGES_RETENTION_DAYS=30\)/);
    expect(answer.body.oldest).toBeGreaterThan(next);
    expect((await get(`?after=${newest}`)).status).toBe(200);
  });

  it('filters by source and kind', async () => {
    await write([notice(1, 1), notice(2, 1, { source: 'CONTRACTS_FINDER' })]);
    await write([notice(1, 2, { title: 'changed' })]);
    expect(summary((await get('?source=CONTRACTS_FINDER')).body.changes as Change[])).toEqual(['new 600002-2026']);
    expect(summary((await get('?kind=updated,awarded')).body.changes as Change[])).toEqual(['updated 600001-2026 releaseDate,releaseId,title']);
  });

  it.each([
    ['no Authorization', null],
    ['a wrong token', 'Bearer not-the-token-of-the-feed-at-all'],
    ['the token without Bearer', READER_TOKEN],
  ])('%s: 401', async (_, authorization) => {
    const answer = await get('', authorization);
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatch(/Authorization: Bearer <STATUS_TOKEN>/);
  });

  it('closed (403) while neither STATUS_TOKEN nor ADMIN_TOKEN is set', async () => {
    const closed = fakeEnv({ MONGODB_URI: stack.testDb.uri, MONGODB_DB: stack.testDb.name });
    expect(await get('', `Bearer ${READER_TOKEN}`, closed)).toMatchObject({ status: 403, body: { error: expect.stringMatching(/STATUS_TOKEN/) } });
  });

  it.each([
    ['?after=-1', /^after: /],
    ['?after=abc', /^after: /],
    ['?limit=0', /^limit: /],
    ['?limit=1001', /^limit: /],
    ['?source=TED', /^source: must be one or more of FIND_A_TENDER, CONTRACTS_FINDER/],
    ['?kind=deleted', /^kind: must be one or more of new, updated/],
  ])('%s: 400 naming the parameter', async (query, error) => {
    const answer = await get(query);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(error);
  });
});

describe('the retention', () => {
  it('ensureIndexes makes the TTL index for CHANGES_RETENTION_DAYS where the server has TTL indexes, and says so where it has none', async () => {
    const notes = await ensureIndexes(stack.db, 'on', 7);
    const ttl = (await stack.db.collection(COLLECTIONS.changes).listIndexes().toArray()).find((index) => index.name === CHANGES_TTL);
    if (ttl) expect(ttl).toMatchObject({ key: { at: 1 }, expireAfterSeconds: 7 * 86_400 });
    else expect(notes).toContainEqual(expect.stringMatching(new RegExp(`^${CHANGES_TTL} not created, so change entries do not expire: `)));
  });
});
