import type { Db } from 'mongodb';
import { buyerLinksCollection } from './buyerLinks.ts';
import { chunks } from './chunks.ts';
import { COLLECTIONS } from './db.ts';

/**
 * Points contracts at the buyer their link names, where contract and link follow the same release.
 * Needed because the registry's answer can differ between two writers: whoever wins the link
 * decides the buyer, and the loser's contracts follow it (a contract already on another release is
 * left to the writer that moved it). Only on that path, so the usual batch pays no round trip for it.
 */
export async function alignContractsWithLinks(db: Db, contractIds: readonly string[], chunkSize: number): Promise<void> {
  if (contractIds.length === 0) return;
  const links = await buyerLinksCollection(db).find({ _id: { $in: [...contractIds] } }, { projection: { buyer: 1, releaseOrder: 1 }, batchSize: contractIds.length + 1 }).toArray();
  for (const chunk of chunks(links, chunkSize)) {
    await db.collection<{ _id: string }>(COLLECTIONS.contracts).bulkWrite(
      chunk.map(({ _id, buyer, releaseOrder }) => ({
        updateOne: { filter: { _id, releaseOrder }, update: buyer === undefined ? { $unset: { buyerOrg: '' as const } } : { $set: { buyerOrg: buyer } } },
      })),
      { ordered: false },
    );
  }
}
