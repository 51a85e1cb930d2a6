import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { readConfig } from '../../shared/config.ts';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { parseRelease } from '../../shared/ocds/releaseSchema.ts';
import { findATender } from '../../shared/sources/findATender.ts';
import { publicContractsScotland } from '../../shared/sources/publicContractsScotland.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { makeWriteBatches } from '../factories.ts';
import { readRealReleases } from '../fixtures/realFixtures.ts';
import { pcsRelease, readPcsCaptures, type PcsCapturedRelease } from '../fixtures/realPcs.ts';
import { expectBuyersExact } from '../stack/expectations.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * Public Contracts Scotland buyers in the one registry (docs/data-model.md, "The buyer registry"):
 * PCS gives its buyers no identifier and one name is many organisations, so a PCS buyer is its name
 * within its postcode district. The real captures (test/fixtures/real/pcs/, 2019) and the real Find a
 * Tender notices PCS sent on (test/fixtures/real/fts-*.json, 2026: their buyers GB-FTS record numbers,
 * so name slugs) name the same councils and universities at the same postcodes seven years apart.
 */
let db: Db;
let close: () => Promise<void>;
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });

beforeEach(async () => {
  ({ db, close } = await openTestDb('pcsbuyers'));
  await ensureIndexes(db);
});
afterEach(() => close());

const captures = readPcsCaptures().map((c) => c.release);
const pcs = (releases: readonly PcsCapturedRelease[]) => Promise.all(releases.map((r) => mapRelease(publicContractsScotland, pcsRelease(r), { storeRaw: 'off' })));
const ftsTwins = () =>
  Promise.all(
    readRealReleases()
      .filter((r) => r.source === 'FIND_A_TENDER' && 'links' in (r.release as object) && JSON.stringify((r.release as { links: unknown }).links).includes('publiccontractsscotland'))
      .map(async ({ release }) => {
        const parsed = parseRelease(release);
        if (!parsed.ok) throw new Error(parsed.reason);
        return mapRelease(findATender, parsed.release, { storeRaw: 'off' });
      }),
  );

async function write(releases: readonly MappedRelease[]): Promise<void> {
  for (const batch of makeWriteBatches(releases, { pageSize: 100, batchSize: 2 })) await storeWriteBatch(db, config, batch);
}


/** A real capture whose buyer party is renamed and moved: the same name at another school's address. */
function schoolAt(capture: PcsCapturedRelease, address: { locality: string; postalCode: string }): PcsCapturedRelease {
  const buyerId = (capture.buyer as { id: string }).id;
  const parties = (capture.parties as { id: string; address: object }[]).map((p) =>
    p.id === buyerId ? { ...p, name: 'St Mary’s Primary School', identifier: { legalName: 'St Mary’s Primary School' }, address: { ...p.address, ...address } } : p,
  );
  return { ...capture, parties, buyer: { id: buyerId, name: 'St Mary’s Primary School' } };
}

describe('PCS buyers in the one registry', () => {
  it('two schools of one name in two towns stay two buyers, and a third of that name on Find a Tender a third', async () => {
    // Two real captures (Glasgow, Kilmarnock), each buyer a "St Mary's Primary School" of its town;
    // then a Find a Tender notice (a real twin, its buyer renamed so) of a third, in Paisley.
    const [glasgow, kilmarnock] = ['APR352786', 'APR352578'].map((notice) => captures.find((c) => c.tender.documents.some((d) => d.id === notice))!);
    const [inGlasgow, inKilmarnock] = await pcs([schoolAt(glasgow, { locality: 'Glasgow', postalCode: 'G21 4LS' }), schoolAt(kilmarnock, { locality: 'Kilmarnock', postalCode: 'KA3 7BU' })]);
    const twin = (await ftsTwins()).find((r) => r.contract.noticeId === '076867-2026')!;
    const inPaisley = { ...twin, buyer: { ...twin.buyer!, orgId: 'name-st-marys-primary-school', name: 'St Mary’s Primary School', postalCode: 'PA1 1JB' } };
    inPaisley.contract = { ...twin.contract, buyerOrg: 'name-st-marys-primary-school', buyerName: 'St Mary’s Primary School' };

    await write([inPaisley]);
    await write([inGlasgow]);
    await write([inKilmarnock]);

    const schools = await db.collection(COLLECTIONS.buyers).find({ name: 'St Mary’s Primary School' }).sort({ _id: 1 }).toArray();
    expect(schools.map((b) => [b._id, b.postalCode, b.contractCount])).toEqual([
      ['name-st-marys-primary-school', 'PA1 1JB', 1],
      ['name-st-marys-primary-school@g21', 'G21 4LS', 1],
      ['name-st-marys-primary-school@ka3', 'KA3 7BU', 1],
    ]);
    await expectBuyersExact(db);
  });

  it('one council spelled two ways, or named by an identifier, across PCS and Find a Tender: one buyer within its district', async () => {
    // Real FTS copies, their buyer as another service might give it: 075563-2026's "The City of
    // Edinburgh Council" without "The", and 076357-2026's Fife Council with a PPON identifier.
    const fts = await ftsTwins();
    const edinburgh = fts.find((r) => r.contract.noticeId === '075563-2026')!;
    const fife = fts.find((r) => r.contract.noticeId === '076357-2026')!;
    const respelt = { ...edinburgh, buyer: { ...edinburgh.buyer!, orgId: 'name-city-of-edinburgh-council', name: 'City of Edinburgh Council' } };
    respelt.contract = { ...edinburgh.contract, buyerOrg: 'name-city-of-edinburgh-council', buyerName: 'City of Edinburgh Council' };
    const ppon = { ...fife, buyer: { ...fife.buyer!, orgId: 'GB-PPON-FIFE-0001-TEST' } };
    ppon.contract = { ...fife.contract, buyerOrg: 'GB-PPON-FIFE-0001-TEST' };
    // The same PPON id at another district's address is no joining by name: it stays apart.
    const elsewhere = fts.find((r) => r.contract.noticeId === '076917-2026')!;
    const pponElsewhere = { ...elsewhere, buyer: { ...elsewhere.buyer!, orgId: 'GB-PPON-FIFE-0002-TEST', postalCode: 'KY1 1XT' } };
    pponElsewhere.contract = { ...elsewhere.contract, buyerOrg: 'GB-PPON-FIFE-0002-TEST' };
    const pcsNotices = await pcs(captures.filter((c) => c.tender.documents.some((d) => ['APR352026', 'APR351382', 'APR350679', 'APR351379', 'APR349999'].includes(d.id!))));

    await write([respelt]);
    await write(pcsNotices);
    await write([ppon, pponElsewhere]);

    const entry = (id: string) => db.collection(COLLECTIONS.buyers).findOne({ _id: id as never });
    // Edinburgh: the FTS spelling first names the entry; its 3 PCS notices join it by name, same district.
    expect(await entry('name-city-of-edinburgh-council')).toMatchObject({ contractCount: 4, aliases: ['City of Edinburgh Council', 'The City of Edinburgh Council'] });
    // Fife: 2 PCS notices led, 2 co-bought (the Edinburgh ones), and the PPON-named copy at KY7 joined by name.
    expect(await entry('name-fife-council@ky7')).toMatchObject({ contractCount: 5, sourceIds: ['name-fife-council@ky7', 'GB-PPON-FIFE-0001-TEST'] });
    expect(await entry('GB-PPON-FIFE-0002-TEST')).toMatchObject({ contractCount: 1, postalCode: 'KY1 1XT' });
    await expectBuyersExact(db);
  });

  it('every real capture and every real FTS twin: one entry per organisation and district, the same councils joined across the two services', async () => {
    const pcsReleases = await pcs(captures);
    const fts = await ftsTwins();
    expect([pcsReleases.length, fts.length]).toEqual([90, 48]);
    await write(pcsReleases);
    await write(fts);

    const entries = await db.collection(COLLECTIONS.buyers).find({ mergedInto: { $exists: false } }, { projection: { contractCount: 1, sources: 1 } }).sort({ _id: 1 }).toArray();
    expect(entries).toHaveLength(84);
    // On both services, at the same postcode district seven years apart: one buyer each, counting the
    // notices it leads or co-buys on either (Fife Council: 2 PCS notices, co-buyer of 2 City of
    // Edinburgh ones, 3 FTS twins; East Lothian Council: co-buyer of those 2, lead of 1 FTS twin).
    expect(entries.filter((e) => e.sources.length === 2).map((e) => [e._id, e.contractCount])).toEqual([
      ['name-angus-council@dd8', 2],
      ['name-dumfries-and-galloway-council@dg1', 5],
      ['name-east-lothian-council@eh41', 3],
      ['name-east-renfrewshire-council@g46', 2],
      ['name-fife-council@ky7', 7],
      ['name-historic-environment-scotland@eh9', 3],
      ['name-new-college-lanarkshire@ml1', 3],
      ['name-nhs-greater-glasgow-and-clyde@g4', 3],
      ['name-north-ayrshire-council@ka12', 3],
      ['name-north-east-scotland-college@ab25', 2],
      ['name-north-lanarkshire-council@ml1', 2],
      ['name-renfrewshire-council@pa1', 5],
      ['name-scottish-borders-council@td6', 4],
      ['name-the-city-of-edinburgh-council@eh8', 4],
      ['name-the-highland-council@iv3', 3],
      ['name-university-of-aberdeen@ab24', 5],
      ['name-university-of-edinburgh@eh1', 5],
      ['name-university-of-glasgow@g12', 3],
    ]);
    // The rule's price (docs/known-limits.md): Forestry and Land Scotland moved within Inverness
    // (IV2 7GB in 2019, IV3 8NW in 2026) and is two buyers.
    expect(entries.filter((e) => String(e._id).startsWith('name-forestry-and-land-scotland')).map((e) => e._id)).toEqual(['name-forestry-and-land-scotland', 'name-forestry-and-land-scotland@iv2']);
    await expectBuyersExact(db);
  });
});
