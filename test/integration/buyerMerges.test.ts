import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { logCommands } from '../../scripts/local/commandLog.ts';
import { mergeBuyers } from '../../producer/mergeBuyers.ts';
import { unmergeBuyer } from '../../producer/unmergeBuyer.ts';
import { readConfig } from '../../shared/config.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { keyDocId, moveKeys } from '../../shared/store/buyerKeys.ts';
import { mergeDoc, mergeDocId, readMergesToRun } from '../../shared/store/buyerMerges.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { makeMappedRelease, makeWriteBatches } from '../factories.ts';
import { expectBuyersExact } from '../stack/expectations.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * Two registry entries of one organisation, merged once a release's identifiers join them: Durham
 * County Council as `GB-LAE-DUR` on Find a Tender (entry A) and as a PPON id under another name on
 * Contracts Finder (entry B: no name or id joins them), then an FTS release giving both ids. The
 * write path records the merge and sends that release to the survivor; the hourly run's
 * mergeBuyers carries it out; an admin's unmerge splits B off again. Each entry holds more than a
 * chunk of WRITE_CHUNK_SIZE contracts, so every move goes out in several commands.
 */
let db: Db;
let close: () => Promise<void>;
let commands: ReturnType<typeof logCommands>;
const CHUNK = 20;
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: String(CHUNK) });

beforeEach(async () => {
  const opened = await openTestDb('merges', { monitorCommands: true });
  ({ db, close } = opened);
  commands = logCommands(opened.client);
  await ensureIndexes(db);
});
afterEach(() => close());

const A = 'GB-LAE-DUR';
const B = 'GB-PPON-DURH-0001-AAAA';
const notice = (n: number, source: MappedRelease['contract']['source'], buyer: { orgId: string; name: string; identifiers?: string[] }, sector: string) =>
  makeMappedRelease({
    contract: { noticeId: `${String(700_000 + n)}-2024`, source, buyerOrg: buyer.orgId, buyerName: buyer.name, sector, releaseDate: new Date(Date.UTC(2024, 0, 1 + n)).toISOString() },
    buyer: { region: 'North East', ...buyer },
  });
const entryA = Array.from({ length: 23 }, (_, n) => notice(n, 'FIND_A_TENDER', { orgId: A, name: 'Durham County Council' }, 'Local government'));
const entryB = Array.from({ length: 25 }, (_, n) => notice(100 + n, 'CONTRACTS_FINDER', { orgId: B, name: 'Durham CC' }, 'Education'));
const bridge = notice(200, 'FIND_A_TENDER', { orgId: A, name: 'Durham County Council', identifiers: [B] }, 'Local government');
const everything = [...entryA, ...entryB, bridge];

async function write(releases: readonly MappedRelease[]): Promise<void> {
  for (const batch of makeWriteBatches(releases, { pageSize: 10 })) await storeWriteBatch(db, config, batch);
}

const buyer = (id: string) => db.collection(COLLECTIONS.buyers).findOne({ _id: id as never });
const mergeRecord = () => db.collection(COLLECTIONS.buyerLinks).findOne({ _id: mergeDocId(B) as never });
const liveBuyers = async () => (await db.collection(COLLECTIONS.buyers).find({ mergedInto: { $exists: false } }).sort({ _id: 1 }).toArray()).map((b) => [b._id, b.contractCount]);
const pointingAt = async () => Object.fromEntries((await db.collection(COLLECTIONS.contracts).find({}, { projection: { buyerOrg: 1 } }).toArray()).map((c) => [String(c._id), c.buyerOrg]));
const keys = async () => Object.fromEntries((await db.collection(COLLECTIONS.buyerLinks).find({ _id: { $gte: 'key:', $lt: 'key;' } as never }).toArray()).map((k) => [k.key, k.registryId]));
const snapshot = async () => Promise.all([COLLECTIONS.contracts, COLLECTIONS.buyers, COLLECTIONS.buyerLinks].map((name) => db.collection(name).find({}).sort({ _id: 1 }).toArray()));
const contractsOf = (releases: readonly MappedRelease[], orgId: string) => Object.fromEntries(releases.map((r) => [r.contract._id, orgId]));

/** A and B apart, each enriched by a person, then the release that joins them; returns the commands its batch sent. */
async function twoEntriesThenBridge(): Promise<string[]> {
  await write([...entryA, ...entryB]);
  expect(await liveBuyers()).toEqual([[A, 23], [B, 25]]);
  await db.collection(COLLECTIONS.buyers).updateOne({ _id: A as never }, { $set: { sector: 'Local authority' }, $addToSet: { locked: 'sector' } });
  await db.collection(COLLECTIONS.buyers).updateOne({ _id: B as never }, { $set: { sector: 'Schools', description: 'Durham schools procurement' }, $addToSet: { locked: { $each: ['sector', 'description'] } } });
  commands.take();
  await write([bridge]);
  return commands.take().commands;
}

describe('merging two registry entries one release joins', () => {
  it('the write path records the merge and sends the joining release to the survivor; nothing else moves yet', async () => {
    const sent = await twoEntriesThenBridge();
    expect(await mergeRecord()).toMatchObject({ from: B, to: A, rule: 'identifier', key: B, state: 'pending' });
    // Recorded in the insert of the batch's links: the same commands as a new notice of A alone.
    commands.take();
    await write([notice(300, 'FIND_A_TENDER', { orgId: A, name: 'Durham County Council' }, 'Local government')]);
    expect(sent).toEqual(commands.take().commands);
    expect(sent.filter((c) => c === 'insert buyerLinks')).toHaveLength(1);
    expect(await liveBuyers()).toEqual([[A, 25], [B, 25]]);
    expect((await pointingAt())[bridge.contract._id]).toBe(A);
    await expectBuyersExact(db);
  });

  it('the hourly merge makes one entry: every contract, key and count at the survivor, its locked fields winning; writing again or merging again changes nothing', async () => {
    await twoEntriesThenBridge();
    const report = await mergeBuyers(db, CHUNK, new Date());
    expect(report.merged).toEqual([{ from: B, to: A, contractsMoved: 25 }]);

    expect(await liveBuyers()).toEqual([[A, 49]]);
    expect(await pointingAt()).toEqual(contractsOf(everything, A));
    expect(new Set(Object.values(await keys()))).toEqual(new Set([A]));
    expect(await db.collection(COLLECTIONS.buyerLinks).findOne({ _id: keyDocId(B) as never })).toMatchObject({ registryId: A, rule: 'identifier', mergedFrom: B });
    const survivor = (await buyer(A))!;
    expect(survivor).toMatchObject({ name: 'Durham County Council', sector: 'Local authority', description: 'Durham schools procurement', contractCount: 49 });
    expect([...survivor.aliases].sort()).toEqual(['Durham CC', 'Durham County Council']);
    expect([...survivor.sourceIds].sort()).toEqual([A, B]);
    expect([...survivor.sources].sort()).toEqual(['CONTRACTS_FINDER', 'FIND_A_TENDER']);
    expect([...survivor.locked].sort()).toEqual(['description', 'sector']);
    expect(survivor.sectors).toEqual([{ value: 'Education', count: 25 }, { value: 'Local government', count: 24 }]);
    expect(await buyer(B)).toMatchObject({ mergedInto: A, contractCount: 0, aliases: [], sourceIds: [] });
    expect(await mergeRecord()).toMatchObject({ state: 'done' });
    await expectBuyersExact(db);
    // The change feed: a `buyer merged` entry for each contract that moved, once.
    const merged = async () => (await db.collection(COLLECTIONS.changes).find({ kind: 'buyer merged' }).toArray()).map((c) => `${c.noticeId} ${c.fields.join(',')}`).sort();
    expect(await merged()).toEqual(entryB.map((r) => `${r.contract.noticeId} buyerOrg`).sort());

    const before = await snapshot();
    await write([...everything].reverse());
    expect(await snapshot()).toEqual(before);
    expect((await mergeBuyers(db, CHUNK, new Date())).merged).toEqual([{ from: B, to: A, contractsMoved: 25 }]);
    expect(await snapshot()).toEqual(before);
    expect(await merged()).toHaveLength(25);
  });

  it('a merge cut off after moving keys and some links is finished by the next run', async () => {
    await twoEntriesThenBridge();
    await moveKeys(db, [B], B, A, { rule: 'identifier', mergedFrom: B }, CHUNK, new Date());
    // As if the run stopped after the first chunk of links: links moved, their contracts not.
    const firstLinks = entryB.slice(0, CHUNK).map((r) => r.contract._id);
    await db.collection(COLLECTIONS.buyerLinks).updateMany({ _id: { $in: firstLinks } as never }, { $set: { buyer: A }, $addToSet: { buyers: A }, $inc: { v: 1 } });

    await mergeBuyers(db, CHUNK, new Date());
    expect(await liveBuyers()).toEqual([[A, 49]]);
    expect(await pointingAt()).toEqual(contractsOf(everything, A));
    expect(new Set(Object.values(await keys()))).toEqual(new Set([A]));
    await expectBuyersExact(db);
  });

  it('an admin\'s unmerge with the source ids that came from the merged entry splits it off again with exact counts, and it stays apart', async () => {
    await twoEntriesThenBridge();
    await mergeBuyers(db, CHUNK, new Date());

    const report = await unmergeBuyer(db, { registryId: A, sourceIds: [B, 'name-durham-cc'] }, CHUNK, new Date());
    expect(report).toEqual({ ok: true, registryId: A, unmergedTo: B, sourceIds: [B, 'name-durham-cc'], contractsMoved: 25 });
    expect(await liveBuyers()).toEqual([[A, 24], [B, 25]]);
    expect(await pointingAt()).toEqual({ ...contractsOf([...entryA, bridge], A), ...contractsOf(entryB, B) });
    expect(await buyer(B)).toMatchObject({ sourceIds: [B, 'name-durham-cc'], aliases: ['Durham CC'], sources: ['CONTRACTS_FINDER'] });
    expect((await buyer(B))!.mergedInto).toBeUndefined();
    expect(await mergeRecord()).toMatchObject({ state: 'undone' });
    await expectBuyersExact(db);

    // The joining release seen again, and the next hourly run: no merge is made again.
    await write(everything);
    expect((await mergeBuyers(db, CHUNK, new Date())).merged).toEqual([]);
    expect(await liveBuyers()).toEqual([[A, 24], [B, 25]]);
    await expectBuyersExact(db);
  });

  it('a run reads the pending and recent merges only, and follows a survivor merged long ago to the last one', async () => {
    const now = new Date();
    const longAgo = new Date(now.getTime() - 30 * 86_400_000);
    const merge = (from: string, to: string) => mergeDoc({ from, to, rule: 'identifier', key: from }, longAgo);
    await db.collection(COLLECTIONS.buyerLinks).insertMany([
      merge('GB-X', 'GB-Y'),
      { ...merge('GB-Y', 'GB-Z'), state: 'done', doneAt: longAgo },
      ...Array.from({ length: 30 }, (_, n) => ({ ...merge(`GB-OLD-${n}`, 'GB-Z'), state: 'done', doneAt: longAgo })),
      { ...merge('GB-U', 'GB-Z'), state: 'undone' },
    ] as never[]);

    expect((await readMergesToRun(db, new Date(now.getTime() - 3_600_000))).map((m) => m.from)).toEqual(['GB-X']);
    expect((await mergeBuyers(db, CHUNK, now)).merged).toEqual([{ from: 'GB-X', to: 'GB-Z', contractsMoved: 0 }]);
  });
});

/**
 * `db` as one writer sees it when it read the registry just before another writer wrote it: its
 * first read of `buyerLinks` is answered by the server at once, then handed over only once `gate`
 * opens. The server and driver are the real ones; only the moment is chosen.
 */
function readingJustBefore(db: Db, gate: Promise<unknown>): Db {
  let held = false;
  const own = (target: object, property: string | symbol) => {
    const value: unknown = Reflect.get(target, property, target);
    return typeof value === 'function' ? value.bind(target) : value;
  };
  const holdFirstRead = (collection: ReturnType<Db['collection']>) =>
    new Proxy(collection, {
      get(target, property) {
        if (property !== 'find' || held) return own(target, property);
        held = true;
        return (...args: Parameters<typeof target.find>) => {
          const answered = target.find(...args).toArray();
          return { toArray: async () => ((await gate), answered) };
        };
      },
    });
  return new Proxy(db, {
    get(target, property) {
      if (property !== 'collection') return own(target, property);
      return (name: string) => (name === COLLECTIONS.buyerLinks ? holdFirstRead(target.collection(name)) : target.collection(name));
    },
  });
}

describe('two writers registering one organisation at the same moment', () => {
  it('the writer that lost the name to the other records a merge by name; the hourly run makes one entry; its later releases go there', async () => {
    // Two spellings Contracts Finder publishes for one buyer without an identifier; one normalised name.
    const ltd = { orgId: 'name-buyer-x-ltd', name: 'BUYER X LTD' };
    const the = { orgId: 'name-the-buyer-x', name: 'The Buyer X' };
    const [first, second] = [makeWriteBatches([notice(300, 'CONTRACTS_FINDER', ltd, 'Health')]), makeWriteBatches([notice(301, 'CONTRACTS_FINDER', the, 'Health')])];
    let releaseSecond = () => {};
    const secondRead = new Promise((resolve) => (releaseSecond = () => resolve(undefined)));
    // The second writer reads the registry (empty), then the first stores its batch, then the second goes on.
    const second$ = storeWriteBatch(readingJustBefore(db, secondRead), config, second[0]);
    await storeWriteBatch(db, config, first[0]);
    releaseSecond();
    await second$;

    expect(await liveBuyers()).toEqual([[ltd.orgId, 1], [the.orgId, 1]]);
    expect(await db.collection(COLLECTIONS.buyerLinks).findOne({ _id: mergeDocId(the.orgId) as never })).toMatchObject({ from: the.orgId, to: ltd.orgId, rule: 'name', key: 'name-buyer-x', state: 'pending' });

    expect((await mergeBuyers(db, CHUNK, new Date())).merged).toEqual([{ from: the.orgId, to: ltd.orgId, contractsMoved: 1 }]);
    expect(await liveBuyers()).toEqual([[ltd.orgId, 2]]);
    expect(await db.collection(COLLECTIONS.buyerLinks).findOne({ _id: keyDocId(the.orgId) as never })).toMatchObject({ registryId: ltd.orgId, rule: 'name', mergedFrom: the.orgId });
    await write([notice(302, 'CONTRACTS_FINDER', the, 'Health')]);
    expect(await liveBuyers()).toEqual([[ltd.orgId, 3]]);
    await expectBuyersExact(db);
  });
});

