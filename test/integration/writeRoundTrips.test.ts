import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BSON, type Db } from 'mongodb';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { logCommands, type SentCommands } from '../../scripts/local/commandLog.ts';
import { readConfig } from '../../shared/config.ts';
import { COLLECTIONS, MAX_POOL_SIZE } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { makeMappedRelease, makeWriteBatches } from '../factories.ts';
import { expectBuyersExact } from '../stack/expectations.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * The cost of the write path does not grow with a buyer's history: 5,000 notices of one buyer
 * (both sources: FTS by its identifier, CF by a name variant the registry joins to it) and 480 of
 * 8 small ones, written by the write consumer's own batch store in batches of 10 messages of 20
 * releases, with every command the driver sends counted, and the round trips they cost in sequence
 * (commands sent side by side share one: scripts/local/commandLog.ts).
 *
 * About a minute on FerretDB (its aggregate over a buyer's links scans them). WRITE_CHUNK_SIZE 1000 fits any batch (10 messages of at most 100 releases), as on Atlas. It is
 * safe on FerretDB here because no command matches more than 18 existing documents (the 9 buyers'
 * sightings and counts): new links are upserts that insert, which FerretDB's hang does not count.
 */
const BIG = 'GB-BIG-BUYER';
const BIG_BY_NAME = 'name-big-buyer-ltd';
const SMALL = Array.from({ length: 8 }, (_, i) => `GB-SMALL-${i}`);
// Issue 12's budget of 8, for every shape of batch, and the change feed's one more (issue 24:
// appending the batch's entries; its cursor number rides beside the first read). Commands sent side
// by side share a round trip.
const ROUND_TRIPS_PER_BATCH = 9;

let db: Db;
let close: () => Promise<void>;
let commands: ReturnType<typeof logCommands>;
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '1000' });

beforeEach(async () => {
  // The Worker's pool (db.ts), open: more commands side by side than it holds would wait for a connection.
  const opened = await openTestDb('roundtrips', { monitorCommands: true, maxPoolSize: MAX_POOL_SIZE, minPoolSize: MAX_POOL_SIZE });
  ({ db, close } = opened);
  commands = logCommands(opened.client);
  await ensureIndexes(db);
});
afterEach(() => close());

/** 5,000 notices of the big buyer, half FTS, half CF, with one of the 480 small buyers' every 11th. */
function releases() {
  const owners: string[] = Array(5_000).fill(BIG);
  for (let j = 0; j < 480; j++) owners.splice(j * 11 + 10, 0, SMALL[j % SMALL.length]);
  return owners.map((owner, i) => {
    const source = i % 2 === 0 ? 'FIND_A_TENDER' : 'CONTRACTS_FINDER';
    // The big buyer as CF names it: no identifier, its name with "Ltd" (a name slug orgId).
    const [buyerOrg, buyerName] = owner === BIG ? (source === 'FIND_A_TENDER' ? [BIG, 'Big Buyer'] : [BIG_BY_NAME, 'BIG BUYER LTD']) : [owner, owner];
    return makeMappedRelease({
      contract: { noticeId: `${String(700_000 + i)}-2024`, source, buyerOrg, buyerName, releaseDate: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString() },
    });
  });
}

/** Stores every batch, returning what each one sent and the big buyer's BSON size after each. */
async function writeAll(batches: ReturnType<typeof makeWriteBatches>): Promise<{ sent: SentCommands[]; bigSizes: number[] }> {
  const result = { sent: [] as SentCommands[], bigSizes: [] as number[] };
  for (const batch of batches) {
    commands.take();
    await storeWriteBatch(db, config, batch);
    result.sent.push(commands.take());
    result.bigSizes.push(BSON.calculateObjectSize((await db.collection(COLLECTIONS.buyers).findOne({ _id: BIG as never }))!));
  }
  return result;
}

const snapshot = async () =>
  Promise.all([COLLECTIONS.contracts, COLLECTIONS.buyers, COLLECTIONS.buyerLinks, COLLECTIONS.records].map((name) => db.collection(name).find({}).sort({ _id: 1 }).toArray()));

describe('a write batch costs the same whatever the buyer\'s history', () => {
  it('stores 5,480 notices in at most 9 round trips per batch; the buyer does not grow; counts exact; again changes nothing', { timeout: 360_000 }, async () => {
    const batches = makeWriteBatches(releases(), { pageSize: 20 });
    expect(batches).toHaveLength(28);

    const { sent: first, bigSizes } = await writeAll(batches);
    console.log(`first write, round trips per batch: ${first.map((s) => s.roundTrips).join(' ')}; batch 1: ${first[0].commands.join(', ')}`);
    for (const [index, sent] of first.entries()) expect(sent.roundTrips, `batch ${index}: ${sent.commands.join(', ')}`).toBeLessThanOrEqual(ROUND_TRIPS_PER_BATCH);
    // The last batch sends the same commands as the first, with 5,000 more contracts behind it.
    expect(first.at(-1)).toEqual(first[0]);

    // The big buyer's document is as large after 5,000 contracts as after its first 180.
    console.log(`${BIG} BSON bytes after each batch: ${[...new Set(bigSizes)].join(', ')}`);
    expect(new Set(bigSizes).size).toBe(1);
    const sizes = (await db.collection(COLLECTIONS.buyers).find({}).toArray()).map((b) => BSON.calculateObjectSize(b));
    expect(Math.max(...sizes)).toBeLessThan(1_024);
    expect(await db.collection(COLLECTIONS.buyers).findOne({ _id: BIG as never })).toMatchObject({
      contractCount: 5_000,
      sources: ['FIND_A_TENDER', 'CONTRACTS_FINDER'],
      aliases: ['Big Buyer', 'BIG BUYER LTD'],
      sourceIds: [BIG, BIG_BY_NAME],
    });
    expect(await db.collection(COLLECTIONS.buyers).countDocuments()).toBe(1 + SMALL.length);
    await expectBuyersExact(db);

    const before = await snapshot();
    const { sent: again } = await writeAll(batches);
    console.log(`again, round trips per batch: ${again.map((s) => s.roundTrips).join(' ')}; batch 1: ${again[0].commands.join(', ')}`);
    // A replay reads the records and contracts of its procurements, and recounts.
    for (const sent of again) expect(sent.roundTrips).toBeLessThanOrEqual(ROUND_TRIPS_PER_BATCH);
    expect(await snapshot()).toEqual(before);
  });

  it('stores newer releases, awards of recorded procurements and new notices mixed in at most 9 round trips per batch, counts exact', { timeout: 120_000 }, async () => {
    /** Notice `n` of procurement `of` (its own by default), an award or a tender. */
    const notice = (n: number, day: number, orgId: string, { of = n, award = false } = {}) =>
      makeMappedRelease({
        contract: {
          noticeId: `${String(800_000 + n)}-2024`,
          ocid: `ocds-h6vhtk-8${String(of).padStart(5, '0')}`,
          buyerOrg: orgId,
          buyerName: orgId,
          releaseDate: new Date(Date.UTC(2024, 5, day)).toISOString(),
          ...(award && { status: 'AWARDED' as const, stage: 'AWARD' as const }),
        },
      });
    await writeAll(makeWriteBatches(Array.from({ length: 60 }, (_, n) => notice(n, 1, BIG)), { pageSize: 20 }));
    // Per notice stored, either a newer release (every other one naming another buyer) or an award
    // in its procurement, which moves the procurement's status on to its stored contract; and a new notice.
    const mixed = Array.from({ length: 60 }, (_, n) => [n % 2 ? notice(100 + n, 2, BIG, { of: n, award: true }) : notice(n, 2, n % 4 ? SMALL[0] : BIG), notice(200 + n, 2, BIG)]).flat();
    // Two releases a message: no command updates more than 20 stored documents (FerretDB's hang).
    const { sent } = await writeAll(makeWriteBatches(mixed, { pageSize: 2 }));
    console.log(`mixed, round trips per batch: ${sent.map((s) => s.roundTrips).join(' ')}; commands: ${sent[0].commands.length}, batch 1: ${sent[0].commands.join(', ')}`);
    for (const { roundTrips, commands } of sent) {
      expect(roundTrips, commands.join(', ')).toBeLessThanOrEqual(ROUND_TRIPS_PER_BATCH);
      // Every step had work: contracts, links and records inserted and moved on (statuses ride with the contracts' updates), records and contracts read.
      const steps = ['findAndModify changes', 'insert changes', 'find records', 'find contracts', 'insert contracts', 'update contracts', 'insert buyerLinks', 'update buyerLinks', 'insert records', 'update records'];
      for (const step of steps) expect(commands).toContain(step);
    }
    const awarded = await db.collection(COLLECTIONS.contracts).countDocuments({ noticeId: { $in: Array.from({ length: 30 }, (_, i) => `${String(800_000 + 2 * i + 1)}-2024`) }, status: 'AWARDED' });
    expect(awarded, 'stored tenders carrying their procurement\'s new status').toBe(30);
    await expectBuyersExact(db);
  });
});
