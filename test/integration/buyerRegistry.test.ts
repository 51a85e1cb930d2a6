import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { readConfig } from '../../shared/config.ts';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { parseRelease } from '../../shared/ocds/releaseSchema.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { sources } from '../../shared/sources/sources.ts';
import { keyDocId } from '../../shared/store/buyerKeys.ts';
import { writeLinks } from '../../shared/store/buyerLinks.ts';
import { insertContracts, toContractDocument } from '../../shared/store/contracts.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { makeMappedRelease, makeWriteBatches } from '../factories.ts';
import { readFixture } from '../fixtures/realFixtures.ts';
import { expectBuyersExact } from '../stack/expectations.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * One organisation is one buyer across both services, however each names it. Built from real
 * releases: UK Research and Innovation as Contracts Finder publishes it (`GB-SRS-…`, "UK RESEARCH &
 * INNOVATION", cf-search-page-2022-10-20) and as a name without identifier; Durham County Council
 * as `GB-LAE-DUR` and as a CF party whose only id is CF's own record number (a name slug). The
 * captured pages hold no Durham County Council and no name-only UKRI, so those variants are real
 * releases (FTS page 2026-10-06, CF page 2022-10-22) with only the buyer party replaced, as the
 * services spell it in the releases the issue names.
 */
let db: Db;
let close: () => Promise<void>;
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });

beforeEach(async () => {
  ({ db, close } = await openTestDb('registry'));
  await ensureIndexes(db);
});
afterEach(() => close());

type Party = { id: string; name: string; identifier?: { scheme?: string; id?: string; legalName?: string } };

/** The release with its buyer party's id, name and identifier replaced by `party`'s. */
function withBuyer(release: Record<string, unknown>, party: Party): Record<string, unknown> {
  const buyerId = (release.buyer as { id: string }).id;
  const parties = (release.parties as Record<string, unknown>[]).map(({ identifier: _replaced, ...p }, i, all) => (p.id === buyerId ? { ...p, ...party, roles: ['buyer'] } : all[i]));
  return { ...release, parties, buyer: { id: party.id, name: party.name } };
}

async function mapped(source: SourceName, releases: unknown[]): Promise<MappedRelease[]> {
  return Promise.all(
    releases.map(async (raw) => {
      const parsed = parseRelease(raw);
      if (!parsed.ok) throw new Error(parsed.reason);
      return mapRelease(sources[source], parsed.release, { storeRaw: 'off' });
    }),
  );
}

/** The four variants, by organisation and spelling. */
async function variants() {
  const fts = (await readFixture('fts-page-limit4-2026-10-06.json')).releases as Record<string, unknown>[];
  const cf20 = (await readFixture('cf-search-page-2022-10-20.json')).releases as Record<string, unknown>[];
  const cf22 = (await readFixture('cf-search-page-2022-10-22.json')).releases as Record<string, unknown>[];
  const ukriById = cf20.filter((r) => (r.buyer as { name?: string }).name === 'UK RESEARCH & INNOVATION');
  return {
    durhamById: await mapped('FIND_A_TENDER', fts.slice(0, 2).map((r) => withBuyer(r, { id: 'GB-LAE-DUR', name: 'Durham County Council', identifier: { scheme: 'GB-LAE', id: 'DUR' } }))),
    durhamByName: await mapped('CONTRACTS_FINDER', cf22.slice(0, 3).map((r, i) => withBuyer(r, { id: `GB-CFS-${41_000 + i}`, name: 'DURHAM COUNTY COUNCIL', identifier: { legalName: 'DURHAM COUNTY COUNCIL' } }))),
    ukriById: await mapped('CONTRACTS_FINDER', ukriById),
    ukriByName: await mapped('FIND_A_TENDER', fts.slice(2, 4).map((r) => withBuyer(r, { id: 'UKRI-1', name: 'UK Research and Innovation' }))),
  };
}

async function write(releases: readonly MappedRelease[]): Promise<void> {
  for (const batch of makeWriteBatches(releases, { pageSize: 7 })) await storeWriteBatch(db, config, batch);
}

const snapshot = async () =>
  Promise.all([COLLECTIONS.contracts, COLLECTIONS.buyers, COLLECTIONS.buyerLinks].map((name) => db.collection(name).find({}).sort({ _id: 1 }).toArray()));

/** The entry of an organisation, checked to be its only one: every variant's contracts point at it. */
async function entryOf(variants: MappedRelease[][]): Promise<Record<string, unknown>> {
  const contractIds = [...new Set(variants.flat().map((r) => r.contract._id))];
  const pointedAt = await db.collection(COLLECTIONS.contracts).distinct('buyerOrg', { _id: { $in: contractIds as never[] } });
  expect(pointedAt).toHaveLength(1);
  const entry = (await db.collection(COLLECTIONS.buyers).findOne({ _id: pointedAt[0] }))!;
  expect(entry.contractCount).toBe(contractIds.length);
  expect([...(entry.sources as string[])].sort()).toEqual(['CONTRACTS_FINDER', 'FIND_A_TENDER']);
  return entry;
}

describe('one buyer registry across Find a Tender and Contracts Finder', () => {
  it('identifier seen first: the name-only variants join it by name; exact counts; writing again changes nothing', async () => {
    const v = await variants();
    expect(v.ukriById.length).toBeGreaterThan(10);
    await write([...v.durhamById, ...v.ukriById]);
    await write([...v.durhamByName, ...v.ukriByName]);

    const durham = await entryOf([v.durhamById, v.durhamByName]);
    expect(durham).toMatchObject({ _id: 'GB-LAE-DUR', name: 'Durham County Council', aliases: ['Durham County Council', 'DURHAM COUNTY COUNCIL'] });
    expect([...(durham.sourceIds as string[])].sort()).toEqual(['GB-LAE-DUR', 'name-durham-county-council']);
    const ukri = await entryOf([v.ukriById, v.ukriByName]);
    expect(ukri).toMatchObject({ _id: 'GB-SRS-sid4gov.cabinetoffice.gov.uk/Zj5uFppq', aliases: ['UK RESEARCH & INNOVATION', 'UK Research and Innovation'] });
    // Which rule joined each spelling: the identifier's registration, then the name slug by name.
    expect(await db.collection(COLLECTIONS.buyerLinks).findOne({ _id: keyDocId('name-durham-county-council') as never })).toMatchObject({ registryId: 'GB-LAE-DUR', rule: 'new' });
    expect(await db.collection(COLLECTIONS.buyers).countDocuments({ _id: { $in: ['name-durham-county-council', 'name-uk-research-and-innovation'] as never[] } })).toBe(0);
    await expectBuyersExact(db);

    const before = await snapshot();
    await write([...v.ukriByName, ...v.durhamByName, ...v.ukriById, ...v.durhamById].reverse());
    expect(await snapshot()).toEqual(before);
  });

  it('name seen first: the identifier joins the name\'s entry, saying it joined by name; exact counts', async () => {
    const v = await variants();
    await write([...v.durhamByName, ...v.ukriByName]);
    await write([...v.durhamById, ...v.ukriById]);

    const durham = await entryOf([v.durhamById, v.durhamByName]);
    expect(durham).toMatchObject({ _id: 'name-durham-county-council', name: 'DURHAM COUNTY COUNCIL' });
    expect([...(durham.sourceIds as string[])].sort()).toEqual(['GB-LAE-DUR', 'name-durham-county-council']);
    expect(await db.collection(COLLECTIONS.buyerLinks).findOne({ _id: keyDocId('GB-LAE-DUR') as never })).toMatchObject({ registryId: 'name-durham-county-council', rule: 'name' });
    expect((await entryOf([v.ukriById, v.ukriByName]))._id).toBe('name-uk-research-and-innovation');
    await expectBuyersExact(db);
  });

  it('a run cut off after storing its contract, redelivered after the registry changed: the contract follows its link', async () => {
    const v = await variants();
    const [cut] = v.durhamByName;
    // The cut-off run stored the contract under the entry the name had then (its own), and nothing else.
    await insertContracts(db, [toContractDocument(cut.contract, new Date())]);
    await write(v.durhamById);
    await write([cut]);

    expect(await db.collection(COLLECTIONS.contracts).findOne({ _id: cut.contract._id as never })).toMatchObject({ buyerOrg: 'GB-LAE-DUR' });
    expect(await db.collection(COLLECTIONS.buyerLinks).findOne({ _id: cut.contract._id as never })).toMatchObject({ buyer: 'GB-LAE-DUR' });
    await expectBuyersExact(db);
  });

  it('a run cut off after its contract and link, redelivered after the registry changed: both follow the registry', async () => {
    const v = await variants();
    const [cut] = v.durhamByName;
    // The cut-off run (its buyer's keys lost the race to another writer) stored contract and link
    // under the entry the name had then, its own, and neither keys nor buyer.
    await insertContracts(db, [toContractDocument(cut.contract, new Date())]);
    const { _id, releaseOrder, mappingVersion } = cut.contract;
    await writeLinks(db, [{ contractId: _id, buyer: 'name-durham-county-council', via: 'name-durham-county-council', sector: null, region: null, releaseOrder, mappingVersion, readVersion: null }], 20);
    await write(v.durhamById);
    await write([cut]);

    expect(await db.collection(COLLECTIONS.contracts).findOne({ _id: cut.contract._id as never })).toMatchObject({ buyerOrg: 'GB-LAE-DUR' });
    expect(await db.collection(COLLECTIONS.buyerLinks).findOne({ _id: cut.contract._id as never })).toMatchObject({ buyer: 'GB-LAE-DUR' });
    await expectBuyersExact(db);
  });

  it('every variant in one batch: the identifiers name the entries', async () => {
    const v = await variants();
    await storeWriteBatch(db, config, makeWriteBatches([...v.durhamByName, ...v.ukriByName, ...v.durhamById, ...v.ukriById], { pageSize: 100 }).flat());

    expect((await entryOf([v.durhamById, v.durhamByName]))._id).toBe('GB-LAE-DUR');
    expect((await entryOf([v.ukriById, v.ukriByName]))._id).toBe('GB-SRS-sid4gov.cabinetoffice.gov.uk/Zj5uFppq');
    await expectBuyersExact(db);
  });
});

describe('a buyer\'s sector and region', () => {
  const notice = (n: number, day: number, sector: string, buyerRegion: string) =>
    makeMappedRelease({ contract: { noticeId: `${String(500_000 + n)}-2024`, buyerOrg: 'GB-LAE-DUR', buyerName: 'Durham County Council', sector, buyerRegion, releaseDate: new Date(Date.UTC(2024, 4, day)).toISOString() } });
  const buyer = () => db.collection(COLLECTIONS.buyers).findOne({ _id: 'GB-LAE-DUR' as never });

  it('are the most frequent over its contracts now (counted per value, a newer release moving its notice\'s vote), except a field a person locked', async () => {
    await write([notice(1, 1, 'Health', 'North East'), notice(2, 1, 'Health', 'North East'), notice(3, 1, 'Construction', 'London')]);
    expect(await buyer()).toMatchObject({ sector: 'Health', region: 'North East', sectors: [{ value: 'Health', count: 2 }, { value: 'Construction', count: 1 }] });

    // A newer release of notice 1 in another sector moves its vote; a replay counts nothing twice.
    await write([notice(1, 2, 'Construction', 'London'), notice(2, 1, 'Health', 'North East')]);
    expect(await buyer()).toMatchObject({
      sector: 'Construction',
      region: 'London',
      sectors: [{ value: 'Construction', count: 2 }, { value: 'Health', count: 1 }],
      regions: [{ value: 'London', count: 2 }, { value: 'North East', count: 1 }],
    });

    // A person enriches the sector and locks it: writes go on counting, but never overwrite it.
    await db.collection(COLLECTIONS.buyers).updateOne({ _id: 'GB-LAE-DUR' as never }, { $set: { sector: 'Local government', locked: ['sector'] } });
    await write([notice(4, 3, 'Health', 'North East'), notice(5, 3, 'Health', 'North East'), notice(6, 3, 'Health', 'North East')]);
    expect(await buyer()).toMatchObject({ sector: 'Local government', region: 'North East', sectors: [{ value: 'Health', count: 4 }, { value: 'Construction', count: 2 }], contractCount: 6 });
    await expectBuyersExact(db);
  });
});
