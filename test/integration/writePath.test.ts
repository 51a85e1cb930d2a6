import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import { sources } from '../../shared/sources/sources.ts';
import { readConfig } from '../../shared/config.ts';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { recordWindows, windowsCollection } from '../../shared/store/windows.ts';
import { makeMappedRelease, makeWriteMessage } from '../factories.ts';
import { openTestDb } from '../stack/testDb.ts';

let db: Db;
let close: () => Promise<void>;
const config = readConfig({ MONGODB_URI: 'mongodb://unused', WRITE_CHUNK_SIZE: '20' });

beforeAll(async () => {
  ({ db, close } = await openTestDb('writepath'));
  await ensureIndexes(db);
});
afterAll(() => close());

const snapshot = async (collection: string) => db.collection(collection).find({}).sort({ _id: 1 }).toArray();

describe('the write path on a real MongoDB-compatible server', () => {
  it('stores the same messages twice with identical contracts and buyers (counts included)', async () => {
    // 45 releases, 5 buyers, over 3 parts: more than two chunks of 20 per part.
    const releases = Array.from({ length: 45 }, (_, i) =>
      makeMappedRelease({ contract: { noticeId: `1000${String(i).padStart(2, '0')}-2024`, buyerOrg: `buyer-${i % 5}`, buyerName: `Buyer ${i % 5}` } }),
    );
    const messages = [0, 1, 2].map((part) => makeWriteMessage({ windowId: 'w-dup', part, releases: releases.slice(part * 15, part * 15 + 15) }));
    for (const message of messages) await storeWriteBatch(db, config, [message]);
    const contractsOnce = await snapshot(COLLECTIONS.contracts);
    const buyersOnce = await snapshot(COLLECTIONS.buyers);

    for (const message of [...messages].reverse()) await storeWriteBatch(db, config, [message]);
    expect(await snapshot(COLLECTIONS.contracts)).toEqual(contractsOnce);
    expect(await snapshot(COLLECTIONS.buyers)).toEqual(buyersOnce);
    expect(contractsOnce.filter((c) => String(c._id).startsWith('FIND_A_TENDER:1000'))).toHaveLength(45);
    expect(buyersOnce.filter((b) => String(b._id).startsWith('buyer-')).map((b) => b.contractCount)).toEqual([9, 9, 9, 9, 9]);
  });

  it('replaces a contract only with a newer release, keeping createdAt and dropping what the newer one lacks', async () => {
    const older = makeMappedRelease({ contract: { noticeId: '200001-2024', title: 'old', description: 'only in the old release', releaseDate: '2024-03-01T10:00:00.000Z' } });
    const newer = makeMappedRelease({ contract: { noticeId: '200001-2024', title: 'new', releaseDate: '2024-03-05T10:00:00.000Z' } });
    await storeWriteBatch(db, config, [makeWriteMessage({ windowId: 'w-order', releases: [older] })]);
    const created = await db.collection(COLLECTIONS.contracts).findOne({ _id: older.contract._id as never });
    await storeWriteBatch(db, config, [makeWriteMessage({ windowId: 'w-order', part: 1, releases: [newer] })]);
    await storeWriteBatch(db, config, [makeWriteMessage({ windowId: 'w-order', part: 2, releases: [older] })]);
    const stored = await db.collection(COLLECTIONS.contracts).findOne({ _id: older.contract._id as never });
    expect(stored?.title).toBe('new');
    expect(stored?.releaseDate).toEqual(new Date('2024-03-05T10:00:00.000Z'));
    expect(stored?.createdAt).toEqual(created?.createdAt);
    expect(created?.description).toBe('only in the old release');
    expect(stored).not.toHaveProperty('description');
  });

  it('keeps both sources of the same notice id apart', async () => {
    const fts = makeMappedRelease({ contract: { noticeId: '300001-2024', source: 'FIND_A_TENDER' } });
    const cf = makeMappedRelease({ contract: { noticeId: '300001-2024', source: 'CONTRACTS_FINDER', _id: 'CONTRACTS_FINDER:300001-2024' } });
    await storeWriteBatch(db, config, [makeWriteMessage({ windowId: 'w-sources', releases: [fts, cf] })]);
    expect(await db.collection(COLLECTIONS.contracts).countDocuments({ noticeId: '300001-2024' })).toBe(2);
  });

  it('never overwrites what a person enriched on a buyer', async () => {
    const first = makeMappedRelease({ contract: { noticeId: '400001-2024', buyerOrg: 'enriched-buyer' }, buyer: { orgId: 'enriched-buyer', name: 'Auto Name', website: 'http://auto' } });
    await storeWriteBatch(db, config, [makeWriteMessage({ windowId: 'w-enrich', releases: [first] })]);
    await db.collection(COLLECTIONS.buyers).updateOne({ _id: 'enriched-buyer' as never }, { $set: { name: 'Curated Name', website: 'https://curated', description: 'curated' } });
    const second = makeMappedRelease({ contract: { noticeId: '400002-2024', buyerOrg: 'enriched-buyer', releaseDate: '2024-04-01T00:00:00.000Z' }, buyer: { orgId: 'enriched-buyer', name: 'Other Auto Name', website: 'http://other' } });
    await storeWriteBatch(db, config, [makeWriteMessage({ windowId: 'w-enrich', part: 1, releases: [second] })]);
    const buyer = await db.collection(COLLECTIONS.buyers).findOne({ _id: 'enriched-buyer' as never });
    expect(buyer).toMatchObject({ name: 'Curated Name', website: 'https://curated', description: 'curated', contractCount: 2 });
    expect(buyer?.lastSeen).toEqual(new Date('2024-04-01T00:00:00.000Z'));
  });

  it('closes a window only when every part of every page is written, once', async () => {
    const [window] = [{ _id: 'FIND_A_TENDER:2019-01', source: 'FIND_A_TENDER' as const, span: 'month' as const, from: new Date('2019-01-01'), to: new Date('2019-02-01') }];
    await recordWindows(db, [window], (w) => firstCheckpoint(w, sources[window.source].maxSliceMs), new Date());
    await windowsCollection(db).updateOne(
      { _id: window._id },
      { $set: { state: 'fetched', 'checkpoint.complete': true, pageParts: { p0: 2, p1: 0, p2: 1 } } },
    );
    const part = (page: number, p: number) => makeWriteMessage({ windowId: window._id, page, part: p, releases: [makeMappedRelease({ contract: { noticeId: `5${page}${p}001-2019` } })] });
    await storeWriteBatch(db, config, [part(0, 0)]);
    await storeWriteBatch(db, config, [part(2, 0)]);
    await storeWriteBatch(db, config, [part(2, 0)]);
    expect((await windowsCollection(db).findOne({ _id: window._id }))?.state).toBe('fetched');
    await storeWriteBatch(db, config, [part(0, 1)]);
    const closed = await windowsCollection(db).findOne({ _id: window._id });
    expect(closed).toMatchObject({ state: 'done', releasesWritten: 3 });
    const parts = await db.collection(COLLECTIONS.windowParts).find({ windowId: window._id }).toArray();
    expect(parts.map((p) => p.key).sort()).toEqual(['0.0.0', '0.0.1', '0.2.0']);
  });
});
