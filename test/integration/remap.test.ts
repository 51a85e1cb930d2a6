import type { Db, Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { remapContracts, type RemapProgress } from '../../scripts/remap/remapContracts.ts';
import { readConfig } from '../../shared/config.ts';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { MAPPING_VERSION } from '../../shared/mapping/mappingVersion.ts';
import { parseRelease } from '../../shared/ocds/releaseSchema.ts';
import { sources } from '../../shared/sources/sources.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { readRemapState } from '../../shared/store/remapState.ts';
import { makeWriteBatches } from '../factories.ts';
import { allRealReleases, FIRST_CAPTURES } from '../fixtures/realFixtures.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * `npm run remap` on a stored backfill (every real release, raw data kept as objects and gzip) of
 * which some notices were stored by an older mapping (an older mappingVersion and another title),
 * two of them without raw data (STORE_RAW=off).
 */
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });
const OLD_TITLE = 'Title of an older mapping';
const opened: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of opened) await close();
});

let current: MappedRelease[];
/** The contracts stored by an older mapping, and the two of them without raw data. */
let older: string[];
let noRaw: string[];
/** Every contract stored by today's mapping: what a rewritten contract must equal. */
let reference: Map<string, Document>;

beforeAll(async () => {
  current = [];
  for (const [i, { source, release }] of (await allRealReleases()).filter(({ file }) => FIRST_CAPTURES.includes(file)).entries()) {
    const parsed = parseRelease(release);
    if (!parsed.ok) throw new Error(parsed.reason);
    current.push(await mapRelease(sources[source], parsed.release, { storeRaw: i % 3 === 0 ? 'gzip' : 'object' }));
  }
  const notices = [...new Set(current.map((r) => r.contract._id))].sort();
  older = notices.filter((_, i) => i % 6 === 0);
  const single = older.filter((id) => current.filter((r) => r.contract._id === id).length === 1);
  noRaw = [single[0], single[1]];
  const db = await backfill('remap_ref', current);
  reference = await contractsOf(db);
});

/** A fresh database holding the backfill as an older mapping stored it. */
async function storedBackfill(prefix: string): Promise<Db> {
  const asStored = current.map(({ contract, buyer }) => {
    if (!older.includes(contract._id)) return { contract, buyer };
    const { rawData: _raw, rawDataGz: _gz, ...withoutRaw } = contract;
    return { contract: { ...(noRaw.includes(contract._id) ? withoutRaw : contract), title: OLD_TITLE, mappingVersion: MAPPING_VERSION - 1 }, buyer };
  });
  return backfill(prefix, asStored);
}

async function backfill(prefix: string, releases: MappedRelease[]): Promise<Db> {
  const { db, close } = await openTestDb(prefix);
  opened.push(close);
  await ensureIndexes(db);
  for (const batch of makeWriteBatches(releases, { pageSize: 20, batchSize: 2 })) await storeWriteBatch(db, config, batch);
  return db;
}

const contractsOf = async (db: Db) => new Map((await db.collection(COLLECTIONS.contracts).find({}).toArray()).map((c) => [String(c._id), c]));
const countsOf = async (db: Db) => new Map((await db.collection(COLLECTIONS.buyers).find({}).toArray()).map((b) => [String(b._id), b.contractCount]));
// statusVersion counts the procurement record's writes, and a remap is one more (its status is compared).
const withoutTimes = ({ createdAt: _c, updatedAt: _u, statusVersion: _s, ...rest }: Document) => rest;

describe('npm run remap', () => {
  it('rewrites exactly the contracts of an older mapping that keep raw data, and reports those that do not', async () => {
    const db = await storedBackfill('remap_once');
    const before = await contractsOf(db);
    const [counts, parts] = [await countsOf(db), await db.collection(COLLECTIONS.windowParts).countDocuments()];
    expect(older.length).toBeGreaterThan(25);

    const report = await remapContracts(db, config, { chunkSize: 10 });

    const rewritten = older.filter((id) => !noRaw.includes(id));
    expect(report).toMatchObject({ mappingVersion: MAPPING_VERSION, resumedAfter: null, examined: older.length, rewritten: rewritten.length, inserted: 0, noRaw: 2, failed: 0, movedAway: 0 });
    expect(report.examples.noRaw.sort()).toEqual([...noRaw].sort());
    const after = await contractsOf(db);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [id, doc] of after) {
      if (rewritten.includes(id)) {
        // As today's mapping stores it; created when it was, updated now.
        expect(withoutTimes(doc), id).toEqual(withoutTimes(reference.get(id)!));
        expect(doc.createdAt).toEqual(before.get(id)!.createdAt);
        expect(doc.updatedAt.getTime()).toBeGreaterThan(before.get(id)!.updatedAt.getTime());
      } else {
        // Nothing else moved, the contracts without raw data included (still the older mapping),
        // but for the stamp of their procurement's record, which the remap wrote anew.
        const { statusVersion: _s, updatedAt: _u, ...unchanged } = doc;
        const { statusVersion: _bs, updatedAt: _bu, ...was } = before.get(id)!;
        expect(unchanged, id).toEqual(was);
      }
    }
    expect(after.get(noRaw[0])).toMatchObject({ title: OLD_TITLE, mappingVersion: MAPPING_VERSION - 1 });
    expect(await countsOf(db)).toEqual(counts);
    expect(await db.collection(COLLECTIONS.windowParts).countDocuments(), 'window parts recorded by the remap').toBe(parts);

    // A second run rewrites nothing: only the two it cannot rebuild are read again, and reported again.
    const again = await remapContracts(db, config, { chunkSize: 10 });
    expect(again).toMatchObject({ resumedAfter: null, examined: 2, rewritten: 0, inserted: 0, noRaw: 2 });
    expect(await contractsOf(db)).toEqual(after);
  });

  it('writes the release of a contract kept under its release id (CF, before notice identity) to its notice, names it moved away and leaves it', async () => {
    // A CF notice of several releases: its contract holds an older one, and its newest release is
    // kept, by an older mapping, as contracts were before notice identity: one per release, the
    // release id as its notice id.
    const cfNotices = [...new Set(current.filter((r) => r.contract.source === 'CONTRACTS_FINDER').map((r) => r.contract._id))].sort();
    const notice = cfNotices.find((id) => current.filter((r) => r.contract._id === id).length >= 2);
    expect(notice, 'a CF notice with two releases among the real ones').toBeDefined();
    const newest = current.filter((r) => r.contract._id === notice).sort((a, b) => a.contract.releaseOrder.localeCompare(b.contract.releaseOrder)).at(-1)!;
    const keptUnder = `CONTRACTS_FINDER:${newest.contract.releaseId}`;
    // Only that notice's other releases: a whole backfill is what the other cases are for.
    const db = await backfill('remap_moved', current.filter((r) => r.contract._id === notice && r !== newest));
    const asKept = { ...newest, contract: { ...newest.contract, _id: keptUnder, noticeId: newest.contract.releaseId, title: OLD_TITLE, mappingVersion: MAPPING_VERSION - 1 } };
    // A window of its own: a part already recorded (the backfill's) would be skipped as a redelivery.
    for (const batch of makeWriteBatches([asKept], { windowId: 'CONTRACTS_FINDER:2019-01' })) {
      await storeWriteBatch(db, config, batch);
    }
    const before = await contractsOf(db);
    expect(before.get(keptUnder)).toMatchObject({ releaseId: newest.contract.releaseId, mappingVersion: MAPPING_VERSION - 1 });
    expect(before.get(notice!)!.releaseId).not.toBe(newest.contract.releaseId);

    const report = await remapContracts(db, config, { chunkSize: 10 });

    expect(report).toMatchObject({ examined: 1, rewritten: 1, inserted: 0, noRaw: 0, failed: 0, movedAway: 1 });
    expect(report.examples.movedAway).toEqual([`${keptUnder} → ${notice}`]);
    const after = await contractsOf(db);
    // The notice's contract now holds that release, as today's mapping stores it.
    expect(withoutTimes(after.get(notice!)!)).toEqual(withoutTimes(reference.get(notice!)!));
    // The old document stays as it was (deleted by hand), beside it.
    expect([...after.keys()].sort()).toEqual([keptUnder, notice!].sort());
    expect(after.get(keptUnder)).toEqual(before.get(keptUnder));

    // Still of an older mapping, it is read and named again, and nothing changes.
    const again = await remapContracts(db, config, { chunkSize: 10 });
    expect(again).toMatchObject({ examined: 1, rewritten: 0, inserted: 0, movedAway: 1 });
    expect(await contractsOf(db)).toEqual(after);
  });

  it('continues a run that was cut off after the last chunk it finished', async () => {
    const db = await storedBackfill('remap_resume');
    const crash = new Error('cut off');
    await expect(
      remapContracts(db, config, {
        chunkSize: 10,
        onProgress: ({ done }: RemapProgress) => {
          if (done === 10) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    const cut = await readRemapState(db);
    expect(cut).toMatchObject({ done: false, mappingVersion: MAPPING_VERSION, counts: { examined: 10 } });
    const firstChunk = older.slice(0, 10);
    expect(cut!.after).toBe(firstChunk.at(-1));
    const afterCut = await contractsOf(db);

    const report = await remapContracts(db, config, { chunkSize: 10 });

    expect(report).toMatchObject({ resumedAfter: firstChunk.at(-1), examined: older.length, rewritten: older.length - 2, noRaw: 2 });
    const after = await contractsOf(db);
    // The first chunk was not done again.
    for (const id of firstChunk) expect(after.get(id)!.updatedAt, id).toEqual(afterCut.get(id)!.updatedAt);
    for (const id of older.filter((id) => !noRaw.includes(id))) expect(withoutTimes(after.get(id)!), id).toEqual(withoutTimes(reference.get(id)!));
    expect(await readRemapState(db)).toMatchObject({ done: true });
  });
});
