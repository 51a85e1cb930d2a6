import type { Db } from 'mongodb';
import { buyerLinksCollection } from './buyerLinks.ts';
import { chunks } from './chunks.ts';
import { COLLECTIONS } from './db.ts';
import { sideBySide } from './sideBySide.ts';

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

/**
 * Moves `from` to `to` among the co-buyers (`joint`) of joint procurements' links, as moveLinks
 * moves the lead: those whose co-buyer came through the source ids `via` (an unmerge), or every
 * one (a merge). An entry is listed once and never beside itself as lead (a co-buyer merged into
 * the lead is the lead only). Returns the contract ids of every such link, those moved by an
 * earlier run cut off midway included.
 */
export async function moveJointLinks(db: Db, from: string, to: string, chunkSize: number, via?: readonly string[]): Promise<string[]> {
  const filter = via === undefined ? { joint: { $in: [from, to] }, buyers: from } : { joint: { $in: [from, to] }, jointVia: { $in: [...via] } };
  const links = await buyerLinksCollection(db).find(filter, { projection: { _id: 1, v: 1, buyer: 1, joint: 1 } }).toArray();
  const moves = links.flatMap(({ _id, v, buyer, joint = [] }) => {
    const moved = [...new Set(joint.map((id) => (id === from ? to : id)))].filter((id) => id !== buyer);
    return moved.length === joint.length && moved.every((id, i) => id === joint[i]) ? [] : [{ _id, v, moved }];
  });
  for (const chunk of chunks(moves, chunkSize)) {
    await buyerLinksCollection(db).bulkWrite(
      chunk.map(({ _id, v, moved }) => ({
        updateOne: {
          filter: { _id, v },
          update: { ...(moved.length > 0 ? { $set: { joint: moved } } : { $unset: { joint: '', jointVia: '' } }), $addToSet: { buyers: to }, $inc: { v: 1 } },
        },
      })),
      { ordered: false },
    );
  }
  return links.map((link) => link._id);
}

/**
 * Points the `buyers` list of these joint procurements' contracts from `from` to `to` (the lead's
 * entry too, as pointContractsAt its `buyerOrg`): one entry each, the list left out when one is left.
 */
export async function pointContractBuyersAt(db: Db, contractIds: readonly string[], from: string, to: string, chunkSize: number, now: Date): Promise<void> {
  const contracts = db.collection<{ _id: string; buyers?: { orgId: string; name: string }[] }>(COLLECTIONS.contracts);
  for (const chunk of chunks(contractIds, chunkSize)) {
    const listed = await contracts.find({ _id: { $in: [...chunk] }, 'buyers.orgId': from }, { projection: { buyers: 1 } }).toArray();
    if (listed.length === 0) continue;
    await contracts.bulkWrite(
      listed.map(({ _id, buyers = [] }) => {
        const moved = [...new Map(buyers.map(({ orgId, name }) => [orgId === from ? to : orgId, name])).entries()].map(([orgId, name]) => ({ orgId, name }));
        return { updateOne: { filter: { _id, 'buyers.orgId': from }, update: moved.length > 1 ? { $set: { buyers: moved, updatedAt: now } } : { $unset: { buyers: '' }, $set: { updatedAt: now } } } };
      }),
      { ordered: false },
    );
  }
}

/** Points these contracts' `buyerOrg` at `to` (those already there are left as they are). */
export async function pointContractsAt(db: Db, contractIds: readonly string[], to: string, chunkSize: number, now: Date): Promise<void> {
  for (const chunk of chunks(contractIds, chunkSize)) {
    await db.collection<{ _id: string; buyerOrg?: string }>(COLLECTIONS.contracts).updateMany({ _id: { $in: [...chunk] }, buyerOrg: { $ne: to } }, { $set: { buyerOrg: to, updatedAt: now } });
  }
}

/**
 * The names `orgId` has on these contracts, or on every contract of `orgId`: their `buyerName` where
 * it leads, its name in `buyers` where it co-buys.
 */
export async function buyerNamesOf(db: Db, orgId: string, contractIds?: readonly string[]): Promise<string[]> {
  const collection = db.collection<{ _id: string; buyers?: { orgId: string; name: string }[] }>(COLLECTIONS.contracts);
  const only = contractIds === undefined ? {} : { _id: { $in: [...contractIds] } };
  const [leading, coBuying] = await sideBySide(
    collection.distinct('buyerName', { ...only, buyerOrg: orgId }),
    collection.find({ ...only, buyerOrg: { $ne: orgId }, 'buyers.orgId': orgId }, { projection: { buyers: 1 } }).toArray(),
  );
  const named = coBuying.flatMap(({ buyers = [] }) => buyers.filter((b) => b.orgId === orgId).map((b) => b.name));
  return [...new Set([...leading, ...named])].filter((name): name is string => typeof name === 'string');
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
