import type { Db } from 'mongodb';
import type { MappedRelease } from '../mapping/mappedRelease.ts';
import { COLLECTIONS } from './db.ts';

/**
 * A mapped release too big for a queue message (128 KB) waits here, and only its id travels on
 * the write queue. Keyed by notice and release order (date and counter: versions of a CF notice
 * share the notice), so a refetch parks it under the same id.
 */
export const stagedId = (release: MappedRelease): string => `${release.contract._id}@${release.contract.releaseOrder}`;

export async function stageReleases(db: Db, releases: readonly MappedRelease[], now: Date): Promise<string[]> {
  const collection = db.collection<{ _id: string; release: MappedRelease; createdAt: Date }>(COLLECTIONS.stagedReleases);
  for (const release of releases) {
    await collection.replaceOne({ _id: stagedId(release) }, { release, createdAt: now }, { upsert: true });
  }
  return releases.map(stagedId);
}

/** Reads parked releases; one that is missing is an error, since the message that names it was not yet stored. */
export async function readStagedReleases(db: Db, ids: readonly string[]): Promise<MappedRelease[]> {
  if (ids.length === 0) return [];
  const collection = db.collection<{ _id: string; release: MappedRelease }>(COLLECTIONS.stagedReleases);
  const found = await collection.find({ _id: { $in: [...ids] } }).toArray();
  const missing = ids.filter((id) => !found.some((doc) => doc._id === id));
  if (missing.length > 0) throw new Error(`staged releases missing: ${missing.join(', ')}`);
  return found.map((doc) => doc.release);
}
