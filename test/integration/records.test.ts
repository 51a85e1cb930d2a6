import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { readConfig } from '../../shared/config.ts';
import { TransientError } from '../../shared/errors.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { gzipBase64 } from '../../shared/mapping/rawData.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { insertRecords, moveRecords, readRecords, type RecordDoc } from '../../shared/store/records.ts';
import { makeMappedRelease, makeWriteBatches } from '../factories.ts';
import { holdBefore } from '../stack/holdBefore.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * One record per procurement, written by the write consumer's batch store: the same record
 * whatever order its notices arrive in, replays change nothing, and two writers at once lose
 * nothing (the loser of a record's compare-and-set retries its batch, as the queue would).
 */
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });
const OCID = 'ocds-h6vhtk-0a0a0a';
let opened: Awaited<ReturnType<typeof openTestDb>>[] = [];

async function freshDb(): Promise<Db> {
  const testDb = await openTestDb('records');
  opened.push(testDb);
  await ensureIndexes(testDb.db);
  return testDb.db;
}
beforeEach(() => {
  opened = [];
});
afterEach(async () => {
  await Promise.all(opened.map((t) => t.close()));
});

const at = (day: number) => new Date(Date.UTC(2024, 0, day)).toISOString();

/** A release of one FTS notice of the procurement, with its raw release as STORE_RAW=object keeps it. */
function release(noticeId: string, day: number, fields: { status: 'OPEN' | 'AWARDED'; amount: number; supplier?: string }): MappedRelease {
  const raw = {
    ocid: OCID,
    id: `${noticeId}-r${day}`,
    date: at(day),
    tag: [fields.supplier ? 'award' : 'tender'],
    tender: { title: 'Road gritting', value: { amount: fields.amount, currency: 'GBP' }, tenderPeriod: { endDate: '2099-01-01T00:00:00Z' } },
    ...(fields.supplier && { awards: [{ id: 'AWD-1', status: 'active', suppliers: [{ id: 'GB-SUP', name: fields.supplier }] }] }),
  };
  return makeMappedRelease({
    contract: {
      noticeId,
      ocid: OCID,
      releaseDate: at(day),
      // An amendment keeps the notice's first publication.
      publishedDate: at(fields.supplier ? day : 1),
      status: fields.status,
      stage: fields.supplier ? 'AWARD' : 'TENDER',
      valueMax: fields.amount,
      currency: 'GBP',
      deadlineDate: '2099-01-01T00:00:00.000Z',
      cpvCodes: fields.supplier ? ['90620000'] : ['90600000'],
      ...(fields.supplier && { awards: [{ id: 'AWD-1', status: 'active', suppliers: [{ id: 'GB-SUP', name: fields.supplier }] }] }),
      rawData: raw,
    },
  });
}

const tender = release('000101-2024', 1, { status: 'OPEN', amount: 100 });
const amendment = release('000101-2024', 3, { status: 'OPEN', amount: 120 });
const award = release('000202-2024', 10, { status: 'AWARDED', amount: 118, supplier: 'Gritters Ltd' });
const other = makeMappedRelease({ contract: { noticeId: '000303-2024', releaseDate: at(2), deadlineDate: '2099-01-01T00:00:00.000Z' } });

/** Stores each group as its own batch, one after another, retrying a batch that lost a race. */
async function write(db: Db, groups: readonly MappedRelease[][]): Promise<number> {
  let conflicts = 0;
  for (const batch of groups.flatMap((group) => makeWriteBatches(group, { pageSize: 1, batchSize: 2 }))) {
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

const without = <T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> => {
  const { [key]: _dropped, ...rest } = value;
  return rest;
};
const recordOf = async (db: Db) => (await db.collection<RecordDoc>(COLLECTIONS.records).findOne({ _id: `FIND_A_TENDER:${OCID}` }))!;
/** A record's content: what must not depend on arrival order (history does: it is what each write saw change). */
const content = ({ history: _h, v: _v, createdAt: _c, updatedAt: _u, ...rest }: RecordDoc) => rest;
const contracts = (db: Db) => db.collection(COLLECTIONS.contracts).find({ ocid: OCID }, { projection: { status: 1, noticeStatus: 1, valueMax: 1 } }).sort({ _id: 1 }).toArray();
const everything = (db: Db) => Promise.all([COLLECTIONS.contracts, COLLECTIONS.records].map((name) => db.collection(name).find({}).sort({ _id: 1 }).toArray()));

describe('records', () => {
  it('holds both notices, the newest values, AWARDED, and the changed value in its history; a replay changes nothing', async () => {
    const db = await freshDb();
    await write(db, [[tender, other], [amendment], [award]]);

    const record = await recordOf(db);
    expect(record).toMatchObject({
      notices: [
        { noticeId: '000101-2024', noticeStatus: 'OPEN', stage: 'TENDER', date: new Date(at(3)) },
        { noticeId: '000202-2024', noticeStatus: 'AWARDED', stage: 'AWARD', date: new Date(at(10)) },
      ],
      status: 'AWARDED',
      stage: 'AWARD',
      valueMax: 118,
      awardedSuppliers: [{ id: 'GB-SUP', name: 'Gritters Ltd' }],
      cpvCodes: ['90600000', '90620000'],
      firstPublished: new Date(at(1)),
      lastUpdated: new Date(at(10)),
      compiledRelease: { ocid: OCID, tender: { value: { amount: 118 } }, awards: [{ id: 'AWD-1', status: 'active' }], tag: ['compiled'] },
    });
    expect(record.history).toContainEqual({ path: 'tender.value.amount', old: 100, new: 120, noticeId: '000101-2024', date: new Date(at(3)) });
    expect(record.history).toContainEqual({ path: 'tender.value.amount', old: 120, new: 118, noticeId: '000202-2024', date: new Date(at(10)) });
    // Every notice of the procurement reads its status; each keeps its own beside it.
    expect(await contracts(db)).toEqual([
      { _id: 'FIND_A_TENDER:000101-2024', status: 'AWARDED', noticeStatus: 'OPEN', valueMax: 120 },
      { _id: 'FIND_A_TENDER:000202-2024', status: 'AWARDED', noticeStatus: 'AWARDED', valueMax: 118 },
    ]);
    expect(await db.collection(COLLECTIONS.records).countDocuments()).toBe(2);

    const before = await everything(db);
    await write(db, [[tender, amendment, award, other], [award], [tender]]);
    expect(await everything(db)).toEqual(before);
  });

  it('is the same record whatever order the notices arrive in', async () => {
    const inOrder = await freshDb();
    await write(inOrder, [[tender], [amendment], [award]]);
    const reversed = await freshDb();
    await write(reversed, [[award], [amendment], [tender]]);
    const mixed = await freshDb();
    await write(mixed, [[amendment, award], [tender]]);

    const expected = content(await recordOf(inOrder));
    expect(content(await recordOf(reversed))).toEqual(expected);
    expect(content(await recordOf(mixed))).toEqual(expected);
    expect(await contracts(reversed)).toEqual(await contracts(inOrder));
    // The older release that arrived last lost: no history entry brings the old value back.
    expect((await recordOf(reversed)).history.filter((h) => h.new === 100)).toEqual([]);
  });

  it('attributes a change to the first newly arrived notice that says the new value, when several arrive together', async () => {
    const db = await freshDb();
    const awardOfAmended = release('000202-2024', 10, { status: 'AWARDED', amount: 120, supplier: 'Gritters Ltd' });
    await write(db, [[tender], [awardOfAmended, amendment]]);
    expect((await recordOf(db)).history).toContainEqual({ path: 'tender.value.amount', old: 100, new: 120, noticeId: '000101-2024', date: new Date(at(3)) });
  });

  it('refuses to write a record another writer moved after it was read, or created meanwhile: the batch is retried', async () => {
    const db = await freshDb();
    await write(db, [[tender]]);
    const id = `FIND_A_TENDER:${OCID}`;
    const stale = (await readRecords(db, [id])).get(id)!;
    await write(db, [[award]]);
    const decided = { ...stale, title: 'decided from a stale read', v: stale.v + 1 };
    await expect(moveRecords(db, [{ doc: decided, readVersion: stale.v }], 20)).rejects.toThrow(TransientError);
    await expect(insertRecords(db, [{ doc: { ...decided, v: 1 }, readVersion: null }])).rejects.toThrow(TransientError);
    expect((await recordOf(db)).notices.map((n) => n.noticeId)).toEqual(['000101-2024', '000202-2024']);
  });

  it('compiles the same release from gzip raw data; without raw data it has no compiled release and follows the latest values', async () => {
    const withObject = await freshDb();
    await write(withObject, [[tender], [amendment], [award]]);
    const gzipped = await freshDb();
    const asGzip = async (r: MappedRelease) => ({ ...r, contract: { ...without(r.contract, 'rawData'), rawDataGz: await gzipBase64(JSON.stringify(r.contract.rawData)) } });
    await write(gzipped, [[await asGzip(tender)], [await asGzip(amendment)], [await asGzip(award)]]);
    expect((await recordOf(gzipped)).compiledRelease).toEqual((await recordOf(withObject)).compiledRelease);

    const bare = await freshDb();
    const asBare = (r: MappedRelease) => ({ ...r, contract: without(r.contract, 'rawData') });
    await write(bare, [[asBare(tender)], [asBare(amendment)], [asBare(award)]]);
    const record = await recordOf(bare);
    expect(record.compiledRelease).toBeUndefined();
    expect(record).toMatchObject({ status: 'AWARDED', valueMax: 118 });
    expect(record.history).toContainEqual({ path: 'valueMax', old: 100, new: 120, noticeId: '000101-2024', date: new Date(at(3)) });
  });

  it('decides two writers creating the same procurements at the same moment by the unique _id: the one inserting second retries, both notices kept', async () => {
    const db = await freshDb();
    const ocids = Array.from({ length: 10 }, (_, i) => `ocds-h6vhtk-race-${i}`);
    const notice = (i: number, awarded: boolean) =>
      makeMappedRelease({
        contract: { noticeId: `00${awarded ? 7 : 6}00${i}-2024`, ocid: ocids[i], releaseDate: at(awarded ? 9 : 1), status: awarded ? 'AWARDED' : 'OPEN', stage: awarded ? 'AWARD' : 'TENDER', deadlineDate: '2099-01-01T00:00:00.000Z' },
      });
    // Writer one reads that its procurements have no record, then waits at its insert until writer
    // two has created them all: its insert meets theirs.
    let twoDone!: () => void;
    const twoFinished = new Promise<void>((resolve) => (twoDone = resolve));
    const one = write(holdBefore(db, COLLECTIONS.records, 'insertMany', twoFinished), [ocids.map((_, i) => notice(i, false))]);
    const two = write(db, [ocids.map((_, i) => notice(i, true))]).finally(twoDone);
    expect(await Promise.all([one, two]), 'batches retried after a conflict, per writer').toEqual([1, 0]);

    const records = await db.collection<RecordDoc>(COLLECTIONS.records).find({}).sort({ _id: 1 }).toArray();
    expect(records.map((r) => [r.ocid, r.notices.length, r.status])).toEqual(ocids.map((ocid) => [ocid, 2, 'AWARDED']).sort());
    expect((await db.collection(COLLECTIONS.contracts).find({}).toArray()).map((c) => c.status)).toEqual(Array(20).fill('AWARDED'));
  });
});
