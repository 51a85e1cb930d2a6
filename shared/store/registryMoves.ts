import type { Db } from 'mongodb';
import { buyerLinksCollection } from './buyerLinks.ts';
import { chunks } from './chunks.ts';
import { COLLECTIONS } from './db.ts';

/**
 * The writes of an admin's unmerge (producer/unmergeBuyer.ts): contracts that came through some
 * source ids move from one registry entry to another. Not the write path: a few commands per
 * chunk of `chunkSize` contracts are fine here, and every command matches at most a chunk.
 */

/**
 * Moves the links of `from` that came through `via` to `to`, as the write path moves a link
 * (version up, `to` added to `buyers`). Returns the contract ids of every link through `via` at
 * `to` now, those moved by an earlier run cut off midway included.
 */
export async function moveLinksVia(db: Db, from: string, via: readonly string[], to: string, chunkSize: number): Promise<string[]> {
  const links = await buyerLinksCollection(db).find({ buyer: { $in: [from, to] }, via: { $in: [...via] } }, { projection: { _id: 1, v: 1, buyer: 1 } }).toArray();
  for (const chunk of chunks(links.filter((link) => link.buyer === from), chunkSize)) {
    await buyerLinksCollection(db).bulkWrite(
      chunk.map(({ _id, v }) => ({ updateOne: { filter: { _id, v }, update: { $set: { buyer: to }, $addToSet: { buyers: to }, $inc: { v: 1 } } } })),
      { ordered: false },
    );
  }
  return links.map((link) => link._id);
}

/** Points these contracts' `buyerOrg` at `to`. */
export async function pointContractsAt(db: Db, contractIds: readonly string[], to: string, chunkSize: number, now: Date): Promise<void> {
  for (const chunk of chunks(contractIds, chunkSize)) {
    await db.collection<{ _id: string }>(COLLECTIONS.contracts).updateMany({ _id: { $in: [...chunk] } }, { $set: { buyerOrg: to, updatedAt: now } });
  }
}

/** The buyer names (`buyerName`) of these contracts, or of every contract of `buyerOrg`. */
export async function buyerNamesOf(db: Db, contracts: { ids: readonly string[] } | { buyerOrg: string }): Promise<string[]> {
  const filter = 'ids' in contracts ? { _id: { $in: [...contracts.ids] } } : { buyerOrg: contracts.buyerOrg };
  const names = await db.collection<{ _id: string }>(COLLECTIONS.contracts).distinct('buyerName', filter);
  return names.filter((name): name is string => typeof name === 'string');
}

/**
 * Gives the new entry its document (named `to.name`, with the aliases, source ids and sources of
 * what moved) and takes those source ids and `from.aliasesGone` off the old one. Counts are set
 * afterwards, from the links. (`$pullAll`: FerretDB ignores `$pull` with a condition.)
 */
export async function splitBuyer(
  db: Db,
  from: { registryId: string; aliasesGone: readonly string[] },
  to: { registryId: string; name: string; aliases: readonly string[]; sourceIds: readonly string[]; sources: readonly string[] },
  now: Date,
): Promise<void> {
  const buyers = db.collection<{ _id: string }>(COLLECTIONS.buyers);
  await buyers.updateOne(
    { _id: to.registryId },
    {
      $setOnInsert: { orgId: to.registryId, name: to.name, contractCount: 0, countStamp: 0, unmergedFrom: from.registryId, createdAt: now },
      $addToSet: { aliases: { $each: [...to.aliases] }, sourceIds: { $each: [...to.sourceIds] }, sources: { $each: [...to.sources] } },
      $set: { updatedAt: now },
    },
    { upsert: true },
  );
  await buyers.updateOne({ _id: from.registryId }, { $pullAll: { sourceIds: [...to.sourceIds], aliases: [...from.aliasesGone] }, $set: { updatedAt: now } } as never);
}
