import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { readConfig } from '../../shared/config.ts';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { parseRelease } from '../../shared/ocds/releaseSchema.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { sources } from '../../shared/sources/sources.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { makeWriteBatches } from '../factories.ts';
import { readFixture } from '../fixtures/realFixtures.ts';
import { expectBuyersExact } from '../stack/expectations.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * Find a Tender gives the parties of 2015-regulation notices ids `GB-FTS-<n>`: its own record
 * numbers, not the organisation's. Real releases (test/fixtures/real/): Milton Keynes City Council
 * is GB-FTS-140786 in fts-probe-22-window-noZ.json (076394-2026) and GB-PPON-PLDZ-6131-PWZH in
 * fts-whole-stream-page-050.json (071451-2026); NHS Blood and Transplant is GB-FTS-182254 on FTS
 * (071498-2026) and a GB-CFS record number on Contracts Finder; so is Leeds City Council
 * (GB-FTS-139283, 071460-2026). None of those record numbers may key the registry.
 */
let db: Db;
let close: () => Promise<void>;
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });

beforeEach(async () => {
  ({ db, close } = await openTestDb('ftsrecordnumbers'));
  await ensureIndexes(db);
});
afterEach(() => close());

const MK = 'Milton Keynes City Council';
const MK_PPON = 'GB-PPON-PLDZ-6131-PWZH';

async function releasesOf(file: string): Promise<Record<string, unknown>[]> {
  return (await readFixture(file)).releases as Record<string, unknown>[];
}

async function mapped(source: SourceName, releases: readonly Record<string, unknown>[]): Promise<MappedRelease[]> {
  return Promise.all(
    releases.map(async (raw) => {
      const parsed = parseRelease(raw);
      if (!parsed.ok) throw new Error(parsed.reason);
      return mapRelease(sources[source], parsed.release, { storeRaw: 'off' });
    }),
  );
}

async function write(releases: readonly MappedRelease[]): Promise<void> {
  for (const batch of makeWriteBatches(releases, { pageSize: 100, batchSize: 2 })) await storeWriteBatch(db, config, batch);
}

const buyersNamed = (name: string) => db.collection(COLLECTIONS.buyers).find({ aliases: name }).toArray();

/** Nothing in the registry, the contracts or the links is keyed or pointed by a record number. */
async function expectNoFtsRecordNumbers(): Promise<void> {
  const fts = /^GB-FTS-/;
  expect(await db.collection(COLLECTIONS.buyerLinks).find({ _id: /^key:GB-FTS-/ as never }).toArray()).toEqual([]);
  expect(await db.collection(COLLECTIONS.buyerLinks).find({ $or: [{ registryId: fts }, { buyer: fts }, { buyers: fts }, { via: fts }] }).toArray()).toEqual([]);
  expect(await db.collection(COLLECTIONS.buyers).find({ $or: [{ _id: fts as never }, { sourceIds: fts }] }, { projection: { sourceIds: 1 } }).toArray()).toEqual([]);
  expect(await db.collection(COLLECTIONS.contracts).find({ buyerOrg: fts }, { projection: { buyerOrg: 1 } }).toArray()).toEqual([]);
}

describe('GB-FTS record numbers never key a registry entry', () => {
  it('real FTS and CF pages, the record-number notices first: one entry per organisation, exact counts, no GB-FTS key', async () => {
    const probe = await releasesOf('fts-probe-22-window-noZ.json');
    const page50 = await releasesOf('fts-whole-stream-page-050.json');
    const page111 = await releasesOf('fts-whole-stream-page-111.json');
    // Of Contracts Finder, the releases of the two organisations it names under GB-CFS record numbers.
    const cf = [...(await releasesOf('cf-search-page-2022-10-20.json')), ...(await releasesOf('cf-search-page-2022-10-22.json'))].filter((r) =>
      ['NHS Blood and Transplant', 'Leeds City Council'].includes((r.buyer as { name?: string }).name ?? ''),
    );
    expect(cf.length).toBeGreaterThan(0);
    // The record-number notice of each organisation is written before the one with its stable id.
    await write(await mapped('FIND_A_TENDER', probe));
    await write(await mapped('FIND_A_TENDER', [...page50, ...page111]));
    await write(await mapped('CONTRACTS_FINDER', cf));

    const mk = await buyersNamed(MK);
    expect(mk).toHaveLength(1);
    expect(mk[0]).toMatchObject({ _id: 'name-milton-keynes-city-council', contractCount: 2 });
    expect([...(mk[0].sourceIds as string[])].sort()).toEqual([MK_PPON, 'name-milton-keynes-city-council']);
    expect(await db.collection(COLLECTIONS.contracts).distinct('buyerOrg', { _id: { $in: ['FIND_A_TENDER:076394-2026', 'FIND_A_TENDER:071451-2026'] as never[] } })).toEqual(['name-milton-keynes-city-council']);

    for (const [name, notices] of [['NHS Blood and Transplant', 2], ['Leeds City Council', 2]] as const) {
      const entries = await db.collection(COLLECTIONS.buyers).find({ _id: `name-${name.toLowerCase().replace(/ /g, '-')}` as never }).toArray();
      expect(entries, name).toHaveLength(1);
      expect(entries[0].contractCount, name).toBe(notices);
      expect([...(entries[0].sources as string[])].sort(), name).toEqual(['CONTRACTS_FINDER', 'FIND_A_TENDER']);
    }
    await expectNoFtsRecordNumbers();
    await expectBuyersExact(db);
  });

  it('one organisation under its PPON id and two record numbers, in three batches: one entry', async () => {
    const [ppon] = await mapped('FIND_A_TENDER', (await releasesOf('fts-whole-stream-page-050.json')).filter((r) => r.id === '071451-2026'));
    const probe = await releasesOf('fts-probe-22-window-noZ.json');
    const [byRecord] = await mapped('FIND_A_TENDER', probe.filter((r) => r.id === '076394-2026'));
    // The same organisation under a second record number, as FTS gives one organisation several
    // (an NHS integrated care board stays two buyers under two GB-FTS ids): a real release of the
    // same window with only its buyer party's id and name replaced by Milton Keynes's, id GB-FTS-140787.
    const other = probe.find((r) => r.id === '076386-2026')!;
    const buyerId = (other.buyer as { id: string }).id;
    const parties = (other.parties as Record<string, unknown>[]).map((p) => (p.id === buyerId ? { ...p, id: 'GB-FTS-140787', name: MK, identifier: { legalName: MK } } : p));
    const [bySecondRecord] = await mapped('FIND_A_TENDER', [{ ...other, parties, buyer: { id: 'GB-FTS-140787', name: MK } }]);

    await write([byRecord]);
    await write([bySecondRecord]);
    await write([ppon]);

    const mk = await buyersNamed(MK);
    expect(mk.map((b) => [b._id, b.contractCount])).toEqual([['name-milton-keynes-city-council', 3]]);
    await expectNoFtsRecordNumbers();
    await expectBuyersExact(db);
  });
});
