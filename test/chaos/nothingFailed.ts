import type { Db } from 'mongodb';
import { expect } from 'vitest';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';

/**
 * What a MongoDB outage, waited out, must not leave: a dead letter (even one replayed since), or a
 * window that failed on the way (each failure is kept in its events, even once it is done).
 */
export async function expectNothingFailed(db: Db): Promise<void> {
  expect(await db.collection(COLLECTIONS.deadLetters).countDocuments(), 'dead letters, replayed or not').toBe(0);
  const windows = await db.collection<WindowDoc>(COLLECTIONS.syncJobs).find({ kind: 'window' }, { projection: { state: 1, events: 1 } }).toArray();
  expect(windows.length).toBeGreaterThan(0);
  const failed = windows.filter((w) => w.state === 'failed' || w.events.some((event) => / failed: /.test(event)));
  expect(failed.map((w) => [w._id, w.events.filter((event) => / failed: /.test(event))]), 'windows that failed').toEqual([]);
}
