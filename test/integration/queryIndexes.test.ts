import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Document } from 'mongodb';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { isIndex } from '../../producer/doctor/indexesCheck.ts';
import { readConfig } from '../../shared/config.ts';
import type { MappedContract, MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { COLLECTIONS, INDEXES } from '../../shared/store/db.ts';
import { CHANGES_TTL, ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { KEYWORD_INDEX, keywordIndexPlan, keywordSearch } from '../../shared/store/keywordSearch.ts';
import { byBuyer, byBuyerRegion, byDeliveryRegion, bySupplier, byValue, openTenders, PRODUCT_INDEXES, PRODUCT_QUERIES, publishedSince, type FindQuery } from '../../shared/store/queryIndexes.ts';
import { makeMappedRelease, makeWriteBatches } from '../factories.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * The product's documented queries (shared/store/queryIndexes.ts) on contracts stored through the
 * write path, each checked for its exact answer, in order, with a contract that misses it on each
 * condition; the indexes ensureIndexes creates for them, and none with QUERY_INDEXES=off. Where the
 * server explains a plan in MongoDB's terms (`winningPlan`), the plan must use the query's indexes
 * and no collection scan. FerretDB's explain is its SQLite plan, which names no MongoDB index (its
 * SQLite backend serves only `_id` from an index: scripts/local/ferretdb/FERRETDB.md), so on it only
 * the indexes' existence and the answers are checked. The clock is real: the write path closes a
 * tender whose deadline has passed, so open ones close in 2030 and after.
 */
let db: Db;
let close: () => Promise<void>;
let notes: string[];
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });

const LIVERPOOL = 'GB-LAE-LIV';
const DURHAM = 'GB-LAE-DUR';
const CARDIFF = 'GB-LAE-CAR';
const ACME = 'GB-COH-00000001';
const BOLT = 'GB-COH-00000002';

/** A notice as the mapping would give it; `id` is its FTS notice id's number. */
function notice(id: number, contract: Partial<MappedContract>, jointBuyers?: MappedRelease['jointBuyers']): MappedRelease {
  const release = makeMappedRelease({ contract: { noticeId: `${id}-2026`, buyerName: contract.buyerOrg, ...contract } });
  return jointBuyers ? { ...release, jointBuyers } : release;
}

const CLOSING_AFTER = new Date('2031-01-01T00:00:00Z');

/** Each one's reason to be here: the queries it answers, and the condition by which it misses the others. */
const NOTICES = [
  // Open, North West buyer, delivered in the North West and Wales; the CPV 72 code is its second.
  notice(100001, {
    status: 'OPEN', deadlineDate: '2031-03-01T12:00:00Z', publishedDate: '2026-01-05T09:00:00Z', cpvCodes: ['48000000', '72212000'],
    buyerOrg: LIVERPOOL, buyerRegion: 'North West', deliveryRegions: ['North West', 'Wales'], valueMin: 200_000, valueMax: 300_000, currency: 'GBP',
  }),
  // Open, London buyer (Durham leading, Liverpool co-buying), delivered in the North West; 72 only inside a code.
  notice(
    100002,
    {
      status: 'OPEN', deadlineDate: '2031-02-01T12:00:00Z', publishedDate: '2026-01-04T09:00:00Z', cpvCodes: ['45233000', '44720000'],
      buyerOrg: DURHAM, buyers: [{ orgId: DURHAM, name: DURHAM }, { orgId: LIVERPOOL, name: LIVERPOOL }],
      buyerRegion: 'London', deliveryRegions: ['North West'], valueMin: 900_000, valueMax: 2_000_000, currency: 'GBP',
    },
    [{ orgId: LIVERPOOL, name: LIVERPOOL, contacts: [] }],
  ),
  // Open but closing before CLOSING_AFTER; published before 2026.
  notice(100003, {
    status: 'OPEN', deadlineDate: '2030-06-01T12:00:00Z', publishedDate: '2025-12-20T09:00:00Z', cpvCodes: ['72000000'],
    buyerOrg: LIVERPOOL, buyerRegion: 'North West', deliveryRegions: ['North West'], valueMin: 500_000, valueMax: 500_000, currency: 'GBP',
  }),
  // Awarded (to Acme and, by a second award, Bolt): not open, whatever its deadline.
  notice(100004, {
    status: 'AWARDED', stage: 'AWARD', deadlineDate: '2031-04-01T12:00:00Z', publishedDate: '2026-01-02T09:00:00Z', cpvCodes: ['72500000'],
    buyerOrg: LIVERPOOL, buyerRegion: 'North West', deliveryRegions: ['North West'], valueMin: 250_000, valueMax: 250_000, currency: 'GBP',
    awards: [{ id: '1', status: 'active', suppliers: [{ id: ACME, name: 'Acme Ltd' }] }, { id: '2', status: 'active', suppliers: [{ id: BOLT, name: 'Bolt Ltd' }] }],
  }),
  // Open, in euros, with an award to Acme since cancelled; delivered nowhere in the UK.
  notice(100005, {
    status: 'OPEN', deadlineDate: '2031-05-01T12:00:00Z', publishedDate: '2026-01-06T09:00:00Z', cpvCodes: ['72100000'],
    buyerOrg: CARDIFF, buyerRegion: 'Wales', valueMin: 250_000, valueMax: 250_000, currency: 'EUR',
    awards: [{ id: '1', status: 'cancelled', suppliers: [{ id: ACME, name: 'Acme Ltd' }] }],
  }),
  // Published open, but its deadline has passed: the write path closes it.
  notice(100006, {
    status: 'OPEN', deadlineDate: '2020-01-01T12:00:00Z', publishedDate: '2026-01-01T09:00:00Z', cpvCodes: ['72400000'],
    buyerOrg: CARDIFF, buyerRegion: 'North West', deliveryRegions: ['North West'], valueMin: 400_000, valueMax: 400_000, currency: 'GBP',
  }),
  // Open with no deadline (a planning notice), worth less than the band.
  notice(100007, { status: 'OPEN', stage: 'PLANNING', publishedDate: '2025-11-01T09:00:00Z', cpvCodes: ['72000000'], buyerOrg: CARDIFF, valueMin: 50_000, valueMax: 120_000, currency: 'GBP' }),
];

beforeAll(async () => {
  ({ db, close } = await openTestDb('queryindexes'));
  notes = await ensureIndexes(db);
  for (const batch of makeWriteBatches(NOTICES)) await storeWriteBatch(db, config, batch);
});
afterAll(() => close());

const contracts = () => db.collection(COLLECTIONS.contracts);
/** The notice numbers a query answers, in its order. */
const run = async ({ filter, sort }: FindQuery) => (await contracts().find(filter).sort(sort).project({ noticeId: 1 }).toArray()).map((c) => Number.parseInt(c.noticeId, 10));

describe('the product queries answer exactly, on contracts stored by the write path', () => {
  it('stored the notices as the queries expect them: the passed deadline closed, the joint buyers kept', async () => {
    expect(await contracts().countDocuments()).toBe(NOTICES.length);
    expect(await contracts().findOne({ noticeId: '100006-2026' })).toMatchObject({ status: 'CLOSED' });
    expect(await contracts().findOne({ noticeId: '100002-2026' })).toMatchObject({ buyerOrg: DURHAM, buyers: [{ orgId: DURHAM }, { orgId: LIVERPOOL }] });
  });

  it('openTenders: by status, closing after a date, soonest first; narrowed to a CPV prefix of any of its codes', async () => {
    expect(await run(openTenders.find({ status: 'OPEN', closingAfter: CLOSING_AFTER }))).toEqual([100002, 100001, 100005]);
    expect(await run(openTenders.find({ status: 'OPEN', closingAfter: CLOSING_AFTER, cpvPrefix: '72' }))).toEqual([100001, 100005]);
    expect(await run(openTenders.find({ status: 'OPEN', closingAfter: CLOSING_AFTER, cpvPrefix: '7221' }))).toEqual([100001]);
    expect(await run(openTenders.find({ status: 'CLOSED', closingAfter: new Date('2019-01-01T00:00:00Z') }))).toEqual([100006]);
  });

  it("byBuyerRegion and byDeliveryRegion: the buyer's region, or any region the work is delivered in", async () => {
    expect(await run(byBuyerRegion.find({ region: 'North West', status: 'OPEN', closingAfter: CLOSING_AFTER }))).toEqual([100001]);
    expect(await run(byDeliveryRegion.find({ region: 'North West', status: 'OPEN', closingAfter: CLOSING_AFTER }))).toEqual([100002, 100001]);
    expect(await run(byDeliveryRegion.find({ region: 'Wales', status: 'OPEN', closingAfter: CLOSING_AFTER }))).toEqual([100001]);
  });

  it('byBuyer: what a buyer leads or co-buys, newest first', async () => {
    expect(await run(byBuyer.find({ orgId: LIVERPOOL }))).toEqual([100001, 100002, 100004, 100003]);
    expect(await run(byBuyer.find({ orgId: DURHAM }))).toEqual([100002]);
    expect(await run(byBuyer.find({ orgId: 'GB-LAE-NONE' }))).toEqual([]);
  });

  it("bySupplier: every notice with an award naming the supplier, newest first, a cancelled award's too", async () => {
    expect(await run(bySupplier.find({ supplierId: ACME }))).toEqual([100005, 100004]);
    expect(await run(bySupplier.find({ supplierId: BOLT }))).toEqual([100004]);
  });

  it('publishedSince: published at or after a moment, newest first', async () => {
    expect(await run(publishedSince.find({ since: new Date('2026-01-02T09:00:00Z') }))).toEqual([100005, 100001, 100002, 100004]);
  });

  it('byValue: a value range meeting the band, in one currency, largest first', async () => {
    expect(await run(byValue.find({ status: 'OPEN', currency: 'GBP', atLeast: 150_000, atMost: 1_000_000 }))).toEqual([100002, 100003, 100001]);
    expect(await run(byValue.find({ status: 'OPEN', currency: 'EUR', atLeast: 0, atMost: 1_000_000 }))).toEqual([100005]);
  });

  it('each query, explained: the plan uses its indexes where the server names them (not FerretDB)', async () => {
    for (const query of PRODUCT_QUERIES) {
      const { filter, sort } = query.example;
      const explained = await contracts().find(filter).sort(sort).explain('queryPlanner');
      const winningPlan = (explained.queryPlanner as Document | undefined)?.winningPlan as Document | undefined;
      if (!winningPlan) {
        // FerretDB: SQLite's plan, a list of steps, and nothing about the query's indexes.
        expect(explained.queryPlanner, query.name).toHaveProperty('Plan');
        continue;
      }
      expect(stagesOf(winningPlan), `${query.name}: no collection scan`).not.toContain('COLLSCAN');
      expect(new Set(indexNamesOf(winningPlan)), query.name).toEqual(new Set(query.indexes.map((index) => index.name)));
    }
  });
});

describe('the indexes for them', () => {
  it('ensureIndexes created every one the queries name, under its name and key; the keyword index where the server has text indexes', async () => {
    const listed = await contracts().listIndexes().toArray();
    for (const index of PRODUCT_INDEXES) expect(listed.some((l) => isIndex(l, index)), index.name).toBe(true);
    const plan = await keywordIndexPlan(db);
    expect(listed.some((l) => isIndex(l, KEYWORD_INDEX))).toBe(plan.create);
    expect(productNotes(notes)).toEqual(plan.create ? [] : [`no query_keywords text index: ${plan.why}`]);
  });

  it('the keyword query: answered by the $text index, or refused where the server has none', async () => {
    const { filter, sort } = keywordSearch('Tender 100003');
    if ((await keywordIndexPlan(db)).create) {
      expect((await contracts().find(filter).sort(sort).limit(1).toArray())[0]).toMatchObject({ noticeId: '100003-2026' });
    } else {
      await expect(contracts().find(filter).toArray()).rejects.toThrow(/\$text/);
    }
  });

  it('running ensureIndexes again changes nothing', async () => {
    const before = await contracts().listIndexes().toArray();
    expect(await ensureIndexes(db)).toEqual(notes);
    expect(await contracts().listIndexes().toArray()).toEqual(before);
  });

  it("QUERY_INDEXES=off: the pipeline's indexes only, none of the product's", async () => {
    const other = await openTestDb('queryindexesoff');
    try {
      expect(productNotes(await ensureIndexes(other.db, 'off'))).toEqual(["the product's query indexes are left to it (QUERY_INDEXES=off)"]);
      const listed = await other.db.collection(COLLECTIONS.contracts).listIndexes().toArray();
      expect(listed.map((l) => l.name).filter((name) => name.startsWith('query_'))).toEqual([]);
      for (const index of INDEXES.filter((i) => i.collection === COLLECTIONS.contracts)) expect(listed.some((l) => isIndex(l, index)), index.name).toBe(true);
    } finally {
      await other.close();
    }
  });
});

/** The notes about the product's indexes: not the change feed's retention, which a server without TTL indexes (FerretDB) notes too (test/integration/changeFeed.test.ts). */
const productNotes = (all: readonly string[]) => all.filter((note) => !note.startsWith(`${CHANGES_TTL} `));

/** Every stage name in a plan tree. */
function stagesOf(plan: Document): string[] {
  return [plan.stage, ...children(plan).flatMap(stagesOf)].filter((stage) => typeof stage === 'string');
}

/** Every index a plan tree reads. */
function indexNamesOf(plan: Document): string[] {
  return [plan.indexName, ...children(plan).flatMap(indexNamesOf)].filter((name) => typeof name === 'string');
}

const children = (plan: Document): Document[] => [plan.inputStage, ...(plan.inputStages ?? [])].filter((child) => child !== undefined);
