import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPage } from '../../consumer/fetch/readPage.ts';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { readConfig } from '../../shared/config.ts';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { parseRelease } from '../../shared/ocds/releaseSchema.ts';
import { sources } from '../../shared/sources/sources.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { makeWriteBatches } from '../factories.ts';
import { allRealReleases, FIRST_CAPTURES, readFixtureBytes } from '../fixtures/realFixtures.ts';
import { expectBuyersExact, snapshotData } from '../stack/expectations.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * Real captured pages through the write path, as the services page them (newest first, so each
 * older CF version arrives after the newer one), then all again in the other order: one contract
 * per notice, holding its newest release, and buyer counts that count notices: the first captures
 * (FIRST_CAPTURES), as every test that writes real releases through the local server.
 */
let db: Db;
let close: () => Promise<void>;
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });
let mapped: MappedRelease[];

beforeAll(async () => {
  ({ db, close } = await openTestDb('realreleases'));
  await ensureIndexes(db);
  mapped = [];
  for (const { source, release } of (await allRealReleases()).filter(({ file }) => FIRST_CAPTURES.includes(file))) {
    const parsed = parseRelease(release);
    if (!parsed.ok) throw new Error(parsed.reason);
    mapped.push(await mapRelease(sources[source], parsed.release, { storeRaw: 'off' }));
  }
  // Pages of 20 in batches of 2: the versions of one notice often land in different batches.
  for (const batch of makeWriteBatches(mapped, { pageSize: 20, batchSize: 2 })) await storeWriteBatch(db, config, batch);
});
afterAll(() => close());

const UKRI = 'UK RESEARCH & INNOVATION';

describe('every real release through the write path', () => {
  it('stores one contract per notice, each at its newest release (release date, then counter)', async () => {
    const newest = new Map<string, string>();
    for (const { contract } of mapped) {
      const seen = mapped.find((m) => m.contract.releaseId === newest.get(contract._id))?.contract;
      if (!seen || seen.releaseOrder < contract.releaseOrder) newest.set(contract._id, contract.releaseId);
    }
    const stored = await db.collection(COLLECTIONS.contracts).find({}, { projection: { releaseId: 1 } }).toArray();
    expect(mapped).toHaveLength(205);
    expect(stored).toHaveLength(187); // 5 FTS notices, 182 CF notices of 200 releases
    expect(new Map(stored.map((c) => [String(c._id), c.releaseId]))).toEqual(newest);
  });

  it('keeps only the new title and value of b5796912… (1,350 corrected to 4,050)', async () => {
    const versions = await db.collection(COLLECTIONS.contracts).find({ noticeId: /^b5796912/ }).toArray();
    expect(versions).toMatchObject([
      {
        _id: 'CONTRACTS_FINDER:b5796912-1ffd-446f-abb4-82cc5e7654b3',
        releaseId: 'b5796912-1ffd-446f-abb4-82cc5e7654b3-582334',
        title: 'ITT for projects 10042837, 10045189, 10044843',
        valueMin: 4050,
        valueMax: 4050,
        sourceUrl: 'https://www.contractsfinder.service.gov.uk/Notice/b5796912-1ffd-446f-abb4-82cc5e7654b3',
      },
    ]);
  });

  it('counts a buyer’s notices, not their versions: UK Research and Innovation has 21 notices in 23 releases', async () => {
    expect(mapped.filter((m) => m.contract.buyerName === UKRI)).toHaveLength(23);
    expect(await db.collection(COLLECTIONS.buyers).findOne({ name: UKRI })).toMatchObject({ contractCount: 21 });
    await expectBuyersExact(db);
  });

  it('changes nothing when every release is written again, oldest first', async () => {
    const before = await snapshotData(db);
    for (const batch of makeWriteBatches([...mapped].reverse(), { pageSize: 20, batchSize: 2 })) await storeWriteBatch(db, config, batch);
    expect(await snapshotData(db)).toEqual(before);
  });
});

describe('a page that carries one release twice', () => {
  it('fts-whole-stream-page-050.json (071452-2026 twice, byte-identical): both read, one contract stored', async () => {
    const bytes = await readFixtureBytes('fts-whole-stream-page-050.json');
    const page = await readPage(sources.FIND_A_TENDER, bytes.slice().buffer, 'off');
    if (!page.ok) throw new Error(page.reason);
    expect(page.releaseCount).toBe(100);
    const twice = page.mapped.filter(({ contract }) => contract.releaseId === '071452-2026');
    expect(twice).toHaveLength(2);
    const { db: pageDb, close: closePage } = await openTestDb('duplicatedrelease');
    try {
      await ensureIndexes(pageDb);
      for (const batch of makeWriteBatches(twice, { pageSize: 2, batchSize: 1 })) await storeWriteBatch(pageDb, config, batch);
      expect(await pageDb.collection(COLLECTIONS.contracts).find({ noticeId: '071452-2026' }).toArray()).toHaveLength(1);
      await expectBuyersExact(pageDb);
    } finally {
      await closePage();
    }
  });
});
