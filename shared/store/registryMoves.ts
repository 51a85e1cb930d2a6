import type { Db } from 'mongodb';
import { buyerLinksCollection } from './buyerLinks.ts';
import { chunks } from './chunks.ts';
import { COLLECTIONS } from './db.ts';

/**
 * The writes that move contracts between registry entries: an admin's unmerge
 * (producer/unmergeBuyer.ts) and a merge the registry found (producer/mergeBuyers.ts). Not the
 * write path: a few commands per chunk of `chunkSize` contracts are fine here, and every command
 * matches at most a chunk.
 */

/**
 * Moves the links of `from` to `to`, as the write path moves a link (version up, `to` added to
 * `buyers`): those that came through the source ids `via` (an unmerge), or every one (a merge).
 * Returns the contract ids of every such link at `to` now, those moved by an earlier run cut off
 * midway included.
 */
export async function moveLinks(db: Db, from: string, to: string, chunkSize: number, via?: readonly string[]): Promise<string[]> {
  const filter = via === undefined ? { buyer: { $in: [from, to] }, buyers: from } : { buyer: { $in: [from, to] }, via: { $in: [...via] } };
  const links = await buyerLinksCollection(db).find(filter, { projection: { _id: 1, v: 1, buyer: 1 } }).toArray();
  for (const chunk of chunks(links.filter((link) => link.buyer === from), chunkSize)) {
    await buyerLinksCollection(db).bulkWrite(
      chunk.map(({ _id, v }) => ({ updateOne: { filter: { _id, v }, update: { $set: { buyer: to }, $addToSet: { buyers: to }, $inc: { v: 1 } } } })),
      { ordered: false },
    );
  }
  return links.map((link) => link._id);
}

/** Points these contracts' `buyerOrg` at `to` (those already there are left as they are). */
export async function pointContractsAt(db: Db, contractIds: readonly string[], to: string, chunkSize: number, now: Date): Promise<void> {
  for (const chunk of chunks(contractIds, chunkSize)) {
    await db.collection<{ _id: string; buyerOrg?: string }>(COLLECTIONS.contracts).updateMany({ _id: { $in: [...chunk] }, buyerOrg: { $ne: to } }, { $set: { buyerOrg: to, updatedAt: now } });
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
 * `to` is upserted: it may exist, as the entry a merge left behind.
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
      // The new entry may be one a merge left behind (named by the same id): it is an entry again.
      $unset: { mergedInto: '' },
    },
    { upsert: true },
  );
  await buyers.updateOne({ _id: from.registryId }, { $pullAll: { sourceIds: [...to.sourceIds], aliases: [...from.aliasesGone] }, $set: { updatedAt: now } } as never);
}

/** A buyer document as a merge reads it (fields of shared/store/buyers.ts). */
export interface StoredBuyer {
  _id: string;
  name?: string;
  aliases?: string[];
  sourceIds?: string[];
  sources?: string[];
  firstSeen?: Date;
  lastSeen?: Date;
  locked?: string[];
  mergedInto?: string;
  [field: string]: unknown;
}

export async function readBuyerDocs(db: Db, ids: readonly string[]): Promise<Map<string, StoredBuyer>> {
  const docs = await db.collection<StoredBuyer>(COLLECTIONS.buyers).find({ _id: { $in: [...ids] } }).toArray();
  return new Map(docs.map((doc) => [doc._id, doc]));
}

/** What `from`'s document gives `to`'s (decided by producer/mergeBuyers.ts joinedBuyer). */
export interface BuyerJoin {
  /** `to`'s name if it has no document yet. */
  nameIfNew: string;
  set: Record<string, unknown>;
  /** Widen `to`'s lists; the same aliases, source ids and sources are taken off `from`. */
  lists: { aliases: string[]; sourceIds: string[]; sources: string[]; locked: string[] };
  min: { firstSeen?: Date };
  max: { lastSeen?: Date };
}

/**
 * Joins `from`'s document into `to`'s (created if missing) and leaves `from` as a tombstone
 * (`mergedInto: to`, what it gave taken off), so a reader holding its id can follow it. Counts are
 * set afterwards, from the links. Running it again moves only what was added to `from` since.
 */
export async function joinBuyer(db: Db, from: string, to: string, join: BuyerJoin, now: Date): Promise<void> {
  const buyers = db.collection<{ _id: string }>(COLLECTIONS.buyers);
  const { aliases, sourceIds, sources, locked } = join.lists;
  await buyers.updateOne(
    { _id: to },
    {
      $setOnInsert: { orgId: to, name: join.nameIfNew, contractCount: 0, countStamp: 0, createdAt: now },
      $set: { ...join.set, updatedAt: now },
      $addToSet: { aliases: { $each: aliases }, sourceIds: { $each: sourceIds }, sources: { $each: sources }, ...(locked.length > 0 && { locked: { $each: locked } }) },
      ...(join.min.firstSeen && { $min: join.min }),
      ...(join.max.lastSeen && { $max: join.max }),
    } as never,
    { upsert: true },
  );
  await buyers.updateOne({ _id: from }, { $set: { mergedInto: to, updatedAt: now }, $pullAll: { aliases, sourceIds, sources } } as never);
}
