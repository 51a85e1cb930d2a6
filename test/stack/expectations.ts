import type { Db } from 'mongodb';
import { expect } from 'vitest';
import { SOURCE_NAMES } from '../../shared/sources/sourceName.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { Simulator } from '../simulator/server.ts';

/** Every release the simulator served is in `contracts`, exactly once per source. Returns counts. */
export async function expectEveryServedReleaseStoredOnce(db: Db, simulator: Simulator): Promise<Record<string, { served: number; stored: number; duplicates: number }>> {
  const result: Record<string, { served: number; stored: number; duplicates: number }> = {};
  for (const source of SOURCE_NAMES) {
    const served = new Set(simulator.stats().servedReleaseIds[source]);
    const stored = await db.collection(COLLECTIONS.contracts).find({ source }, { projection: { noticeId: 1 } }).toArray();
    const storedIds = stored.map((c) => c.noticeId as string);
    const duplicates = storedIds.length - new Set(storedIds).size;
    result[source] = { served: served.size, stored: storedIds.length, duplicates };
    expect(duplicates, `${source}: duplicate contracts`).toBe(0);
    expect(new Set(storedIds), `${source}: stored = served`).toEqual(served);
  }
  return result;
}

/** Every buyer named by a contract exists, and every buyer's contractCount is exactly its contracts (0 once it has none). */
export async function expectBuyersExact(db: Db): Promise<void> {
  const contracts = await db.collection(COLLECTIONS.contracts).find({ buyerOrg: { $exists: true } }, { projection: { buyerOrg: 1 } }).toArray();
  const perBuyer = new Map<string, number>();
  for (const c of contracts) perBuyer.set(c.buyerOrg, (perBuyer.get(c.buyerOrg) ?? 0) + 1);
  const buyers = await db.collection(COLLECTIONS.buyers).find({}, { projection: { contractCount: 1 } }).toArray();
  const counts = new Map(buyers.map((b) => [String(b._id), b.contractCount as number]));
  expect(perBuyer.size).toBeGreaterThan(0);
  for (const [orgId, count] of perBuyer) expect(counts.get(orgId), `contractCount of ${orgId}`).toBe(count);
  for (const [orgId, count] of counts) expect(count, `contractCount of ${orgId}`).toBe(perBuyer.get(orgId) ?? 0);
}

/** Every window is closed. */
export async function expectAllWindowsDone(db: Db): Promise<void> {
  const open = await db.collection(COLLECTIONS.syncJobs).find({ kind: 'window', state: { $ne: 'done' } }, { projection: { state: 1, lastError: 1 } }).toArray();
  expect(open).toEqual([]);
}

/** Contracts and buyers as they are now, for before/after comparisons. */
export async function snapshotData(db: Db): Promise<{ contracts: unknown[]; buyers: unknown[] }> {
  return {
    contracts: await db.collection(COLLECTIONS.contracts).find({}).sort({ _id: 1 }).toArray(),
    buyers: await db.collection(COLLECTIONS.buyers).find({}).sort({ _id: 1 }).toArray(),
  };
}
