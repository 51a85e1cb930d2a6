import type { Db } from 'mongodb';
import type { MappedRelease } from '../mapping/mappedRelease.ts';
import { COLLECTIONS } from './db.ts';
import { insertNew } from './insertNew.ts';

interface BuyerSighting {
  buyer: NonNullable<MappedRelease['buyer']>;
  contractIds: Set<string>;
  sources: Set<string>;
  firstSeen: Date;
  lastSeen: Date;
}

/**
 * Upserts the buyers named by these releases, one document per `orgId` (its `_id`).
 * - Fields a person may have enriched (name, sector, region, website, description, contacts ...)
 *   are written only when the buyer is created (an insert), never overwritten by auto-extraction.
 * - `contractCount` is exact under replays: the buyer keeps the set of its contract ids
 *   (`$addToSet` is idempotent) and the count is raised to that set's size with `$max`, so a
 *   replay, the same release from two windows, or a crash between the two steps never miscounts.
 * A replay changes nothing at all: no field, not even `updatedAt`, moves unless the set grew.
 */
export async function upsertBuyers(db: Db, releases: readonly MappedRelease[], now: Date): Promise<number> {
  const collection = db.collection<{ _id: string; contractIds?: string[]; contractCount?: number }>(COLLECTIONS.buyers);
  const sightings = collectSightings(releases);
  await insertNew(
    collection,
    sightings.map(({ buyer, firstSeen, lastSeen }) => ({ _id: buyer.orgId, ...buyer, contractIds: [], contractCount: 0, sources: [], firstSeen, lastSeen, createdAt: now, updatedAt: now })),
  );
  // One buyer per command: each matches at most one document, far from FerretDB's 100-match hang.
  for (const seen of sightings) {
    const after = await collection.findOneAndUpdate(
      { _id: seen.buyer.orgId },
      {
        $addToSet: { contractIds: { $each: [...seen.contractIds] }, sources: { $each: [...seen.sources] } },
        $min: { firstSeen: seen.firstSeen },
        $max: { lastSeen: seen.lastSeen },
      } as never,
      { returnDocument: 'after' },
    );
    const size = after?.contractIds?.length ?? 0;
    if (size !== after?.contractCount) {
      await collection.updateOne({ _id: seen.buyer.orgId }, { $max: { contractCount: size }, $set: { updatedAt: now } });
    }
  }
  return sightings.length;
}

function collectSightings(releases: readonly MappedRelease[]): BuyerSighting[] {
  const byOrg = new Map<string, BuyerSighting>();
  for (const { contract, buyer } of releases) {
    if (!buyer) continue;
    const date = new Date(contract.releaseDate);
    const seen = byOrg.get(buyer.orgId);
    if (!seen) {
    byOrg.set(buyer.orgId, { buyer, contractIds: new Set([contract._id]), sources: new Set([contract.source]), firstSeen: date, lastSeen: date });
    continue;
    }
    seen.contractIds.add(contract._id);
    seen.sources.add(contract.source);
    if (date < seen.firstSeen) seen.firstSeen = date;
    if (date > seen.lastSeen) seen.lastSeen = date;
  }
  return [...byOrg.values()];
}
