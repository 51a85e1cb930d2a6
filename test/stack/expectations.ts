import type { Db } from 'mongodb';
import { expect } from 'vitest';
import { SOURCE_NAMES, type SourceName } from '../../shared/sources/sourceName.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { Dataset, SimRelease } from '../simulator/dataset.ts';
import type { Simulator } from '../simulator/server.ts';

export interface StoredCounts {
  served: number;
  /** Contracts stored: one per notice served. */
  stored: number;
  /** Contracts beyond one per notice, each contract's notice read from the dataset by its release id: 0. */
  duplicates: number;
  /** The served releases beyond one per notice (CF versions `<GUID>-<counter>`; FTS none): what one contract per notice folds. */
  extraVersionsServed: number;
}

/**
 * Every notice the simulator served is in `contracts` once, holding the newest release served of
 * it (release date, then id: a CF id's counter grows with its versions). Returns the counts per
 * source.
 */
export async function expectEveryServedReleaseStoredOnce(db: Db, simulator: Simulator, dataset: Dataset): Promise<Record<SourceName, StoredCounts>> {
  const result = {} as Record<SourceName, StoredCounts>;
  for (const source of SOURCE_NAMES) {
    const byId = new Map(dataset[source].map((r) => [r.id, r]));
    const noticeOf = new Map(dataset[source].map((r) => [r.id, r.notice]));
    const served = simulator.stats().servedReleaseIds[source];
    const stored = await db.collection(COLLECTIONS.contracts).find({ source }, { projection: { releaseId: 1 } }).toArray();
    const storedIds = stored.map((c) => c.releaseId as string);
    const counts = { served: served.length, stored: storedIds.length, duplicates: beyondOnePerNotice(storedIds, noticeOf), extraVersionsServed: beyondOnePerNotice(served, noticeOf) };
    result[source] = counts;
    expect(counts.duplicates, `${source}: contracts beyond one per notice`).toBe(0);
    expect(new Set(storedIds), `${source}: stored = the newest served release of each notice`).toEqual(new Set(newestPerNotice(served, byId)));
  }
  return result;
}

/** How many of the ids are more than one per notice. An id the dataset does not know counts as a
 * notice of its own (a contract keyed by the notice itself, say). */
function beyondOnePerNotice(releaseIds: readonly string[], noticeOf: ReadonlyMap<string, string>): number {
  return releaseIds.length - new Set(releaseIds.map((id) => noticeOf.get(id) ?? id)).size;
}

/** The newest of the ids per notice: by release date, then by id (a CF counter grows within its GUID). */
function newestPerNotice(releaseIds: readonly string[], byId: ReadonlyMap<string, SimRelease>): string[] {
  const newest = new Map<string, SimRelease>();
  for (const id of releaseIds) {
    const release = byId.get(id)!;
    const seen = newest.get(release.notice);
    if (!seen || seen.date < release.date || (seen.date.getTime() === release.date.getTime() && seen.id < release.id)) newest.set(release.notice, release);
  }
  return [...newest.values()].map((r) => r.id);
}

/** How many notices the releases are versions of. */
export const noticesOf = (releases: readonly SimRelease[]): number => new Set(releases.map((r) => r.notice)).size;

/**
 * The releases of the data set the pipeline has planned to fetch by now: dated before the end of
 * the source's last delta window (`cursor`). One published in the last minutes comes with the next
 * hourly run, not this one.
 */
export async function releasesDue(db: Db, dataset: Dataset): Promise<Record<SourceName, Dataset[SourceName]>> {
  const due = {} as Record<SourceName, Dataset[SourceName]>;
  for (const source of SOURCE_NAMES) {
    const status = await db.collection<{ _id: string; cursor: Date }>(COLLECTIONS.syncJobs).findOne({ _id: `source:${source}` });
    // A source the stack leaves off (Public Contracts Scotland, unless asked for) has no data and no status.
    if (!status && dataset[source].length === 0) {
      due[source] = [];
      continue;
    }
    if (!status) throw new Error(`no syncJobs status for ${source}`);
    due[source] = dataset[source].filter((r) => r.date < status.cursor);
  }
  return due;
}

/** Every buyer named by a contract exists, and every buyer's contractCount is exactly its contracts, as lead or co-buyer (0 once it has none). */
export async function expectBuyersExact(db: Db): Promise<void> {
  const contracts = await db.collection(COLLECTIONS.contracts).find({ buyerOrg: { $exists: true } }, { projection: { buyerOrg: 1, buyers: 1 } }).toArray();
  const perBuyer = new Map<string, number>();
  // A joint procurement counts once for its lead and once for each co-buyer.
  for (const c of contracts) {
    for (const orgId of new Set([c.buyerOrg as string, ...((c.buyers ?? []) as { orgId: string }[]).map((b) => b.orgId)])) perBuyer.set(orgId, (perBuyer.get(orgId) ?? 0) + 1);
  }
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
