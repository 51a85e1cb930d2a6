import type { Db } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { releaseOrder, supersedes, type Ordered } from '../../shared/mapping/releaseOrder.ts';
import { notNewerFilter } from '../../shared/store/notNewerFilter.ts';
import { openTestDb } from '../stack/testDb.ts';

/**
 * One ordering: the store's update filter matches exactly the stored documents the write plan's
 * comparator says are not newer than a release (it supersedes them, or they are on its release),
 * for every pair of stored and incoming states, on the real server (string comparison, missing fields).
 */
let db: Db;
let close: () => Promise<void>;
beforeAll(async () => ({ db, close } = await openTestDb('superseded')));
afterAll(() => close());

const orders = [releaseOrder('2022-10-20T09:12:34Z', 582322), releaseOrder('2022-10-20T09:12:34Z', 582334), releaseOrder('2022-10-20T09:27:24Z', 9), releaseOrder('2024-01-01T00:00:00Z', 0)];
const states: Ordered[] = orders.flatMap((order) => [1, 2, 3].map((mappingVersion) => ({ releaseOrder: order, mappingVersion })));

it('matches what supersedes() decides, for every stored state and incoming release', async () => {
  const stored: (Partial<Ordered> & { _id: string })[] = [{ _id: 'before-release-order' }, ...states.map((state, i) => ({ _id: `s${i}`, ...state }))];
  const collection = db.collection<Partial<Ordered> & { _id: string }>('ordered');
  await collection.insertMany(stored);
  for (const incoming of states) {
    const matched = (await collection.find(notNewerFilter(incoming), { projection: { _id: 1 } }).toArray()).map((d) => d._id).sort();
    const decided = stored.filter(({ _id, ...state }) => _id === 'before-release-order' || !supersedes(state as Ordered, incoming)).map((d) => d._id).sort();
    expect(matched, JSON.stringify(incoming)).toEqual(decided);
  }
  expect(states).toHaveLength(12);
});
