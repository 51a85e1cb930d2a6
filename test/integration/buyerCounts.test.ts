import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { buyerCounts } from '../../shared/buyers/buyerCounts.ts';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { readConfig } from '../../shared/config.ts';
import { TransientError } from '../../shared/errors.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import type { WriteMessage } from '../../shared/queue/messages.ts';
import { readBatchIndex } from '../../shared/store/buyerKeys.ts';
import { groupLinks, writeLinks } from '../../shared/store/buyerLinks.ts';
import { writeBuyers } from '../../shared/store/buyers.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { makeMappedRelease, makeWriteBatches } from '../factories.ts';
import { mulberry32, pick, type Random } from '../simulator/random.ts';
import { expectBuyersExact } from '../stack/expectations.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * `contractCount` is the number of contracts that point at the buyer (`buyerOrg`), whatever order
 * releases arrive in, however often, and with two writers at once; a buyer that loses a contract
 * to a newer release naming another buyer counts one less. The two worst interleavings of two
 * writers are also played out step by step: FerretDB applies an update by reading the document and
 * writing it back (FERRETDB.md), so only a real MongoDB makes a single update atomic, and the
 * concurrent run here cannot aim at the moment in between.
 */
let db: Db;
let close: () => Promise<void>;
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });

beforeEach(async () => {
  ({ db, close } = await openTestDb('buyercounts'));
  await ensureIndexes(db);
});
afterEach(() => close());

const BUYERS = ['GB-A', 'GB-B', 'GB-C', 'GB-D', 'GB-E'];

/** A release of notice `n` on `day`, pointing at `orgId` (none: null). */
function release(n: number, day: number, orgId: string | null): MappedRelease {
  const releaseDate = new Date(Date.UTC(2024, 0, 1 + day)).toISOString();
  const made = makeMappedRelease({ contract: { noticeId: `${900_000 + n}-2024`, releaseDate, buyerOrg: orgId ?? '', buyerName: `Buyer ${orgId}` }, ...(orgId === null && { buyer: null }) });
  // As a message carries it: a release that names no buyer has no buyerOrg.
  if (orgId === null) delete made.contract.buyerOrg;
  return made;
}

/** 80 notices of 1-3 releases each; a later release names another buyer (or none) one time in three. */
function history(random: Random): MappedRelease[] {
  return Array.from({ length: 80 }, (_, n) => {
    let orgId: string | null = pick(random, BUYERS);
    return Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => {
      if (i > 0 && random() < 1 / 3) orgId = random() < 0.2 ? null : pick(random, BUYERS);
      return release(n, i * 7, orgId);
    });
  }).flat();
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Stores batches one after another, as one writer does; a conflict with another writer is retried, as the queue would. */
async function write(batches: readonly WriteMessage[][]): Promise<number> {
  let conflicts = 0;
  for (const batch of batches) {
    for (;;) {
      try {
        await storeWriteBatch(db, config, batch);
        break;
      } catch (error) {
        if (!(error instanceof TransientError)) throw error;
        conflicts++;
      }
    }
  }
  return conflicts;
}

/**
 * Two writers' batches in turns, one batch at a time: writer one's first, writer two's first, and
 * so on, each writer in its own order. The order of the two writers is what the test sets, not the
 * scheduler: FerretDB applies an update as a read and a write-back (FERRETDB.md), so two batches at
 * the very same moment can lose a guarded update there that MongoDB applies atomically, and a
 * concurrent run fails now and then for the server's reason, not the pipeline's. The moments in
 * between two writers' steps are played out one by one in the tests above.
 */
async function inTurns(one: readonly WriteMessage[][], two: readonly WriteMessage[][]): Promise<void> {
  for (let i = 0; i < Math.max(one.length, two.length); i++) {
    if (one[i]) await write([one[i]]);
    if (two[i]) await write([two[i]]);
  }
}

const batchesOf = (releases: readonly MappedRelease[]) => makeWriteBatches(releases, { pageSize: 10, batchSize: 3 });

/** Counts exact, and each contract's link points where the contract does. */
async function expectLinksFollowContracts(): Promise<void> {
  await expectBuyersExact(db);
  const contracts = await db.collection(COLLECTIONS.contracts).find({}, { projection: { buyerOrg: 1 } }).toArray();
  // Links only: the registry's keys share the collection (store/buyerKeys.ts) and have no version.
  const links = new Map((await db.collection(COLLECTIONS.buyerLinks).find({ v: { $exists: true } }).toArray()).map((l) => [String(l._id), l.buyer ?? null]));
  expect(links.size).toBe(contracts.length);
  for (const contract of contracts) expect(links.get(String(contract._id)), String(contract._id)).toBe(contract.buyerOrg ?? null);
}

const countOf = async (orgId: string) => (await db.collection(COLLECTIONS.buyers).findOne({ _id: orgId as never }))?.contractCount;

describe('buyer counts', () => {
  it('moves a contract from one buyer to another when a newer release names another buyer, and back', async () => {
    await write(batchesOf([release(1, 0, 'GB-A'), release(2, 0, 'GB-A')]));
    expect([await countOf('GB-A'), await countOf('GB-B')]).toEqual([2, undefined]);
    await write(batchesOf([release(1, 7, 'GB-B')]));
    expect([await countOf('GB-A'), await countOf('GB-B')]).toEqual([1, 1]);
    // The older release arriving late changes nothing.
    await write(batchesOf([release(1, 0, 'GB-A')]));
    expect([await countOf('GB-A'), await countOf('GB-B')]).toEqual([1, 1]);
    await write(batchesOf([release(1, 14, null)]));
    expect([await countOf('GB-A'), await countOf('GB-B')]).toEqual([1, 0]);
    await write(batchesOf([release(1, 21, 'GB-A')]));
    expect([await countOf('GB-A'), await countOf('GB-B')]).toEqual([2, 0]);
    await expectLinksFollowContracts();
  });

  it('equals the contracts pointing at each buyer after writing, replaying in another order, and replaying again', async () => {
    const random = mulberry32(7);
    const releases = history(random);
    expect(new Set(releases.map((r) => r.contract.buyerOrg)).size).toBe(BUYERS.length + 1);

    await write(batchesOf(releases));
    await expectLinksFollowContracts();
    const contracts = await db.collection(COLLECTIONS.contracts).find({}).sort({ _id: 1 }).toArray();

    // Newest first: every older release now arrives late, across batches and within them.
    await write(batchesOf([...releases].reverse()));
    await expectLinksFollowContracts();
    const afterReplay = await Promise.all([COLLECTIONS.buyers, COLLECTIONS.buyerLinks].map((c) => db.collection(c).find({}).sort({ _id: 1 }).toArray()));

    await write(batchesOf(shuffled(releases, random)));
    await expectLinksFollowContracts();
    expect(await db.collection(COLLECTIONS.contracts).find({}).sort({ _id: 1 }).toArray()).toEqual(contracts);
    expect(await Promise.all([COLLECTIONS.buyers, COLLECTIONS.buyerLinks].map((c) => db.collection(c).find({}).sort({ _id: 1 }).toArray()))).toEqual(afterReplay);
  });

  it('never lets a count taken before another writer\'s links landed overwrite the later count', async () => {
    await write(batchesOf([release(1, 0, 'GB-A'), release(2, 0, 'GB-A'), release(3, 0, 'GB-B')]));
    // Writer one counts, and is slow to set its counts; meanwhile writer two stores its whole batch.
    const early = buyerCounts(await groupLinks(db, ['GB-A', 'GB-B']), ['GB-A', 'GB-B']);
    expect(early.map((c) => c.contractCount)).toEqual([2, 1]);
    await write(batchesOf([release(4, 0, 'GB-A'), release(5, 0, 'GB-A'), release(1, 7, 'GB-B')]));
    expect([await countOf('GB-A'), await countOf('GB-B')]).toEqual([3, 2]);
    await writeBuyers(db, [], early, 20, new Date());
    expect([await countOf('GB-A'), await countOf('GB-B')]).toEqual([3, 2]);
    await expectLinksFollowContracts();
  });

  it('refuses to move a link that another writer moved after it was read: the batch is retried and decides again', async () => {
    const notice = release(1, 0, 'GB-A');
    await write(batchesOf([notice]));
    const read = (await readBatchIndex(db, { contractIds: [notice.contract._id], keys: [], recordIds: [] })).links.get(notice.contract._id)!;
    await write(batchesOf([release(1, 14, 'GB-B')]));
    const { releaseOrder, mappingVersion } = release(1, 7, 'GB-C').contract;
    const stale = { contractId: notice.contract._id, buyer: 'GB-C', via: 'GB-C', sector: null, region: null, releaseOrder, mappingVersion, readVersion: read.v };
    await expect(writeLinks(db, [stale], 20)).rejects.toThrow(TransientError);
    await write(batchesOf([release(1, 7, 'GB-C')]));
    expect([await countOf('GB-A'), await countOf('GB-B'), await countOf('GB-C')]).toEqual([0, 1, 0]);
    await expectLinksFollowContracts();
  });

  it('stays exact with two writers taking turns on overlapping buyers and notices, each in its own order', async () => {
    const random = mulberry32(11);
    const releases = history(random);
    // Each release goes to one writer or to both; each writer takes its own in its own order, so
    // the two often hold different releases of one notice, and the same release a third of the time.
    const [one, two]: MappedRelease[][] = [[], []];
    for (const r of releases) {
      const to = Math.floor(random() * 3);
      if (to !== 1) one.push(r);
      if (to !== 0) two.push(r);
    }

    await inTurns(batchesOf(shuffled(one, random)), batchesOf(shuffled(two, random)));
    await expectLinksFollowContracts();
    // Both writers' contracts are there: the newest release of every notice.
    const newest = new Map<string, string>();
    for (const r of releases) if ((newest.get(r.contract._id) ?? '') < r.contract.releaseDate) newest.set(r.contract._id, r.contract.releaseDate);
    const stored = await db.collection(COLLECTIONS.contracts).find({}, { projection: { releaseDate: 1 } }).toArray();
    expect(new Map(stored.map((c) => [String(c._id), (c.releaseDate as Date).toISOString()]))).toEqual(newest);
  });

  it('stays exact with two writers taking turns when buyers come under several spellings the registry joins', async () => {
    const random = mulberry32(12);
    // Each buyer under its identifier or one of two name spellings without it (as CF publishes).
    const releases = history(random).map((r) => {
      const orgId = r.contract.buyerOrg;
      if (orgId === undefined || random() < 1 / 3) return r;
      const [buyerOrg, name] = random() < 0.5 ? [`name-buyer-${orgId.toLowerCase()}-ltd`, `BUYER ${orgId} LTD`] : [`name-the-buyer-${orgId.toLowerCase()}`, `The Buyer ${orgId}`];
      return { contract: { ...r.contract, buyerOrg, buyerName: name }, buyer: { ...r.buyer!, orgId: buyerOrg, name } };
    });
    const [one, two] = [shuffled(releases.filter(() => random() < 2 / 3), random), shuffled(releases.filter(() => random() < 2 / 3), random)];

    await inTurns(batchesOf(one), batchesOf(two));
    await expectLinksFollowContracts();
  });
});
