import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { mergeBuyers } from '../../producer/mergeBuyers.ts';
import { unmergeBuyer } from '../../producer/unmergeBuyer.ts';
import { readConfig } from '../../shared/config.ts';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import type { MappedBuyer, MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { parseRelease } from '../../shared/ocds/releaseSchema.ts';
import { sources } from '../../shared/sources/sources.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { makeMappedRelease, makeWriteBatches } from '../factories.ts';
import { realRelease } from '../fixtures/realFixtures.ts';
import { expectBuyersExact, snapshotData } from '../stack/expectations.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * A joint procurement names several parties with role `buyer`. The real one:
 * fts-whole-stream-page-111.json 065412-2026, bought by Severn Trent Water (the lead, `buyer.id`)
 * and Hafren Dyfrdwy (`GB-COH-03527628`, also `GB-PPON-PWGQ-2543-XWCR`). Every buyer is kept on
 * the contract, extracted into the registry and counted; a newer release of the notice that drops
 * a co-buyer takes the notice off its count.
 */
let db: Db;
let close: () => Promise<void>;
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });

beforeEach(async () => {
  ({ db, close } = await openTestDb('jointbuyers'));
  await ensureIndexes(db);
});
afterEach(() => close());

const FILE = 'fts-whole-stream-page-111.json';
const NOTICE = 'FIND_A_TENDER:065412-2026';
const SEVERN_TRENT = 'GB-COH-02366686';
const HAFREN = 'GB-COH-03527628';
const HAFREN_PPON = 'GB-PPON-PWGQ-2543-XWCR';
const ICB = 'NHS Birmingham and Solihull Integrated Care Board';

type Raw = { id: string; date: string; parties: Record<string, unknown>[]; buyer: unknown };

async function map(raw: unknown): Promise<MappedRelease> {
  const parsed = parseRelease(raw);
  if (!parsed.ok) throw new Error(parsed.reason);
  return mapRelease(sources.FIND_A_TENDER, parsed.release, { storeRaw: 'off' });
}

async function write(releases: readonly MappedRelease[]): Promise<void> {
  for (const batch of makeWriteBatches(releases, { pageSize: 20 })) await storeWriteBatch(db, config, batch);
}

const contractCount = async (orgId: string) => (await db.collection(COLLECTIONS.buyers).findOne({ _id: orgId as never }))?.contractCount;

describe('joint procurements: every buyer party kept, extracted and counted', () => {
  it('a joint release, then a newer release of the notice that drops one co-buyer: both counts exact', async () => {
    const real = (await realRelease(FILE, '065412-2026')) as Raw;
    // The real release with a third buyer party (a 2015-regulation party, keyed by name).
    const third = { id: 'GB-FTS-148803', name: ICB, roles: ['buyer'], identifier: { legalName: ICB } };
    const joint = await map({ ...real, parties: [...real.parties, third] });
    // A newer release of the same notice naming Severn Trent and the board only: Hafren Dyfrdwy dropped.
    const newer = await map({ ...real, date: '2026-07-20T09:00:00+01:00', parties: [...real.parties.filter((p) => p.id !== HAFREN), third] });
    // Another notice Hafren Dyfrdwy leads on its own (the real one 065429-2026 with its buyer replaced).
    const other = (await realRelease(FILE, '065429-2026')) as Raw;
    const hafrenParty = real.parties.find((p) => p.id === HAFREN)!;
    const own = await map({ ...other, parties: [...other.parties.filter((p) => !(p.roles as string[]).includes('buyer')), hafrenParty], buyer: { id: HAFREN, name: hafrenParty.name } });

    await write([joint, own]);
    const icbId = 'name-nhs-birmingham-and-solihull-integrated-care-board';
    // Severn Trent leads 1; Hafren Dyfrdwy co-buys 1 and leads 1; the board co-buys 1.
    expect([await contractCount(SEVERN_TRENT), await contractCount(HAFREN), await contractCount(icbId)]).toEqual([1, 2, 1]);
    expect(await db.collection(COLLECTIONS.contracts).findOne({ _id: NOTICE as never })).toMatchObject({
      buyerName: 'SEVERN TRENT WATER LIMITED',
      buyerOrg: SEVERN_TRENT,
      buyers: [
        { orgId: SEVERN_TRENT, name: 'SEVERN TRENT WATER LIMITED' },
        { orgId: HAFREN, name: 'HAFREN DYFRDWY CYFYNGEDIG' },
        { orgId: icbId, name: ICB },
      ],
    });
    expect(await db.collection(COLLECTIONS.buyerLinks).findOne({ _id: NOTICE as never })).toMatchObject({ buyer: SEVERN_TRENT, joint: [HAFREN, icbId], jointVia: [HAFREN, icbId], buyers: [SEVERN_TRENT, HAFREN, icbId] });
    // Each co-buyer is a registry entry of its own, with its sightings.
    expect(await db.collection(COLLECTIONS.buyers).findOne({ _id: HAFREN as never })).toMatchObject({
      name: 'HAFREN DYFRDWY CYFYNGEDIG',
      region: 'Wales',
      locality: 'Wrexham',
      sourceIds: [HAFREN, HAFREN_PPON],
      sources: ['FIND_A_TENDER'],
      contractCount: 2,
      regions: [{ value: 'Wales', count: 1 }],
    });
    expect(await db.collection(COLLECTIONS.buyerLinks).findOne({ _id: `key:${HAFREN_PPON}` as never })).toMatchObject({ registryId: HAFREN });
    await expectBuyersExact(db);

    await write([newer]);
    expect(await db.collection(COLLECTIONS.contracts).findOne({ _id: NOTICE as never })).toMatchObject({ buyers: [{ orgId: SEVERN_TRENT }, { orgId: icbId }] });
    expect(await db.collection(COLLECTIONS.buyerLinks).findOne({ _id: NOTICE as never })).toMatchObject({ joint: [icbId], buyers: [SEVERN_TRENT, HAFREN, icbId] });
    expect([await contractCount(SEVERN_TRENT), await contractCount(HAFREN), await contractCount(icbId)]).toEqual([1, 1, 1]);
    await expectBuyersExact(db);

    // Replays and the older joint release arriving late change nothing.
    const before = await snapshotData(db);
    await write([joint, newer, own]);
    expect(await snapshotData(db)).toEqual(before);
  });

  it('a co-buyer resolves like a lead: through an identifier already registered to another entry', async () => {
    const real = (await realRelease(FILE, '065412-2026')) as Raw;
    // Hafren Dyfrdwy first seen leading a notice under its PPON id alone (the real 065429-2026, buyer replaced).
    const other = (await realRelease(FILE, '065429-2026')) as Raw;
    const pponParty = { id: HAFREN_PPON, name: 'Hafren Dyfrdwy', roles: ['buyer'], identifier: { scheme: 'GB-PPON', id: 'PWGQ-2543-XWCR' } };
    await write([await map({ ...other, parties: [...other.parties.filter((p) => !(p.roles as string[]).includes('buyer')), pponParty], buyer: { id: HAFREN_PPON, name: 'Hafren Dyfrdwy' } })]);
    await write([await map(real)]);

    expect(await db.collection(COLLECTIONS.contracts).findOne({ _id: NOTICE as never })).toMatchObject({ buyerOrg: SEVERN_TRENT, buyers: [{ orgId: SEVERN_TRENT }, { orgId: HAFREN_PPON, name: 'HAFREN DYFRDWY CYFYNGEDIG' }] });
    expect(await db.collection(COLLECTIONS.buyers).findOne({ _id: HAFREN_PPON as never })).toMatchObject({ contractCount: 2, aliases: ['Hafren Dyfrdwy', 'HAFREN DYFRDWY CYFYNGEDIG'] });
    expect(await db.collection(COLLECTIONS.buyers).countDocuments({ _id: HAFREN as never })).toBe(0);
    await expectBuyersExact(db);
  });
});

describe('joint procurements through merges and unmerges', () => {
  const A = 'GB-LAE-DUR';
  const B = 'GB-PPON-DURH-0001-AAAA';
  const TRUST = 'GB-COH-00000001';
  const durham: MappedBuyer = { orgId: A, name: 'Durham County Council', contacts: [] };
  const durhamCc: MappedBuyer = { orgId: B, name: 'Durham CC', contacts: [] };
  const trust: MappedBuyer = { orgId: TRUST, name: 'North Tees Trust', contacts: [] };
  /** Notice n led by `lead`, co-bought by `coBuyers`. */
  const notice = (n: number, lead: MappedBuyer, coBuyers: MappedBuyer[] = [], identifiers?: string[]) => {
    const r = makeMappedRelease({
      contract: {
        noticeId: `${String(800_000 + n)}-2024`,
        buyerOrg: lead.orgId,
        buyerName: lead.name,
        releaseDate: new Date(Date.UTC(2024, 0, 1 + n)).toISOString(),
        ...(coBuyers.length > 0 && { buyers: [lead, ...coBuyers].map(({ orgId, name }) => ({ orgId, name })) }),
      },
      buyer: { ...lead, ...(identifiers && { identifiers }) },
    });
    return coBuyers.length > 0 ? { ...r, jointBuyers: coBuyers } : r;
  };
  const counts = async () => Object.fromEntries((await db.collection(COLLECTIONS.buyers).find({ mergedInto: { $exists: false } }).toArray()).map((b) => [String(b._id), b.contractCount]));
  const contract = (n: number) => db.collection(COLLECTIONS.contracts).findOne({ _id: `FIND_A_TENDER:${800_000 + n}-2024` as never });
  const link = (n: number) => db.collection(COLLECTIONS.buyerLinks).findOne({ _id: `FIND_A_TENDER:${800_000 + n}-2024` as never });

  it('a merge moves the co-buyer of a joint notice to the survivor (once beside the lead), an unmerge moves it back; counts exact throughout', async () => {
    // B co-buys notice 1 (led by the trust) and notice 2 (led by A, its own survivor-to-be); A leads 3; B leads 4.
    await write([notice(1, trust, [durhamCc]), notice(2, durham, [durhamCc]), notice(3, durham), notice(4, durhamCc)]);
    expect(await counts()).toEqual({ [A]: 2, [B]: 3, [TRUST]: 1 });
    // A release giving both ids: the registry records B's merge into A, the hourly run carries it out.
    await write([notice(5, durham, [], [B])]);
    const { merged } = await mergeBuyers(db, 20, new Date());
    expect(merged).toEqual([{ from: B, to: A, contractsMoved: 3 }]);

    expect(await counts()).toEqual({ [A]: 5, [TRUST]: 1 });
    expect(await contract(1)).toMatchObject({ buyerOrg: TRUST, buyers: [{ orgId: TRUST }, { orgId: A, name: 'Durham CC' }] });
    expect(await link(1)).toMatchObject({ buyer: TRUST, joint: [A], buyers: [TRUST, B, A] });
    // Notice 2: its co-buyer is now its lead: one buyer, listed once.
    expect(await contract(2)).not.toHaveProperty('buyers');
    expect(await link(2)).not.toHaveProperty('joint');
    await expectBuyersExact(db);

    const report = await unmergeBuyer(db, { registryId: A, sourceIds: [B, 'name-durham-cc'] }, 20, new Date());
    // Notices 1 and 4 move back. Notice 2 stays A's alone: its co-buyer became its lead at the merge,
    // and the notice is listed with one buyer until its release is written again.
    expect(report).toMatchObject({ ok: true, unmergedTo: B, contractsMoved: 2 });
    expect(await contract(1)).toMatchObject({ buyers: [{ orgId: TRUST }, { orgId: B, name: 'Durham CC' }] });
    expect(await link(1)).toMatchObject({ joint: [B] });
    expect((await db.collection(COLLECTIONS.buyers).findOne({ _id: B as never }))?.aliases).toEqual(['Durham CC']);
    expect(await counts()).toEqual({ [A]: 3, [B]: 2, [TRUST]: 1 });
    await expectBuyersExact(db);
  });
});
