import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { readConfig } from '../../shared/config.ts';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import { parseRelease } from '../../shared/ocds/releaseSchema.ts';
import { sources } from '../../shared/sources/sources.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { makeWriteMessage } from '../factories.ts';
import { realRelease } from '../fixtures/realFixtures.ts';
import { openTestDb } from '../stack/testDb.ts';

let db: Db;
let close: () => Promise<void>;
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });

beforeAll(async () => {
  ({ db, close } = await openTestDb('searchfields'));
  await ensureIndexes(db);
});
afterAll(() => close());

/** A real FTS tender notice (094476-2026), mapped, optionally with its JSON changed first. */
async function mappedTender(change: (release: Record<string, any>) => void = () => {}) {
  const raw = structuredClone(await realRelease('fts-page-limit4-2026-10-06.json', '094476-2026')) as Record<string, any>;
  change(raw);
  const parsed = parseRelease(raw);
  if (!parsed.ok) throw new Error(parsed.reason);
  return mapRelease(sources.FIND_A_TENDER, parsed.release, { storeRaw: 'off' });
}

describe('search fields in MongoDB', () => {
  it('stores periods as dates and the value detail, regions and links as mapped', async () => {
    await storeWriteBatch(db, config, [makeWriteMessage({ windowId: 'w-search', releases: [await mappedTender()] })]);
    const stored = await db.collection(COLLECTIONS.contracts).findOne({ _id: 'FIND_A_TENDER:094476-2026' as never });
    expect(stored).toMatchObject({
      buyerRegion: 'East of England',
      buyerRegionCode: 'UKH25',
      deliveryRegions: ['East of England'],
      valueMin: 2772000,
      currency: 'GBP',
      values: [
        { source: 'tender', amount: 2772000, amountGross: 3326400, currency: 'GBP' },
        // The lot's "AED" repeats the GBP tender's amounts: the form's default currency (lotCurrency.ts).
        { source: 'lot', id: '1', amount: 2772000, amountGross: 3326400, currency: 'GBP' },
      ],
      contractPeriod: { startDate: new Date('2027-11-01T00:00:00Z'), endDate: new Date('2030-10-31T23:59:59Z'), maxExtentDate: new Date('2034-10-31T23:59:59Z') },
      enquiryPeriod: { endDate: new Date('2026-10-26T17:00:00Z') },
      submissionUrl: 'https://supplier.in-tend.co.uk/centralbedfordshire/home',
    });
    expect(stored?.contractPeriod.startDate).toBeInstanceOf(Date);
  });

  it('a newer release without them removes them', async () => {
    const newer = await mappedTender((release) => {
      release.date = '2026-10-07T09:00:00+01:00';
      delete release.tender.enquiryPeriod;
      delete release.tender.submissionMethodDetails;
      delete release.tender.items;
    });
    await storeWriteBatch(db, config, [makeWriteMessage({ windowId: 'w-search', part: 1, releases: [newer] })]);
    const stored = await db.collection(COLLECTIONS.contracts).findOne({ _id: 'FIND_A_TENDER:094476-2026' as never });
    expect(stored?.releaseDate).toEqual(new Date('2026-10-07T08:00:00Z'));
    expect(stored).not.toHaveProperty('enquiryPeriod');
    expect(stored).not.toHaveProperty('submissionUrl');
    expect(stored).not.toHaveProperty('deliveryRegions');
    expect(stored).toHaveProperty('contractPeriod');
  });
});
