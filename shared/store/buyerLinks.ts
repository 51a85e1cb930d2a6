import type { Db } from 'mongodb';
import { TransientError } from '../errors.ts';
import { chunks } from './chunks.ts';
import { COLLECTIONS } from './db.ts';
import { insertNew } from './insertNew.ts';
import { sideBySide } from './sideBySide.ts';

/**
 * The buyer↔contract links: one document per contract (`_id` = the contract's), saying which buyer
 * it points at now. Like the contract, it moves on only to a newer release (or the same release
 * under a newer mapping), so a replay or a late
 * older release changes nothing; `v` counts its changes and `buyers` keeps every buyer it ever
 * pointed at, so a buyer that lost the contract is counted again, and counts can be ordered (see
 * groupLinks). No document grows with a buyer's history.
 */
export interface BuyerLinkDoc {
  _id: string;
  /** The buyer's orgId (the contract's `buyerOrg`); absent when the newest release names none. */
  buyer?: string;
  buyers: string[];
  /** The orgId the release gave the buyer (`buyer` is its registry entry): what an unmerge moves. */
  via?: string;
  /**
   * A joint procurement's other buyers now (registry ids, never `buyer`; the contract's `buyers`
   * after the lead), counted like `buyer`; absent with one buyer. `jointVia`: the orgIds the release
   * gave them. Both in `buyers` too.
   */
  joint?: string[];
  jointVia?: string[];
  /** The contract's `sector` and `buyerRegion`, so a buyer's most frequent ones are counted like its contracts. */
  sector?: string;
  region?: string;
  /** The release the link follows (the contract's newest) and its mapping: mapping/releaseOrder.ts. */
  releaseOrder: string;
  mappingVersion: number;
  v: number;
}

export function buyerLinksCollection(db: Db) {
  return db.collection<BuyerLinkDoc>(COLLECTIONS.buyerLinks);
}

export interface LinkWrite {
  contractId: string;
  buyer: string | null;
  via: string | null;
  /** Co-buyers' registry ids and the orgIds the release gave them: none with one buyer. */
  joint?: string[];
  jointVia?: string[];
  sector: string | null;
  region: string | null;
  releaseOrder: string;
  mappingVersion: number;
  /** The `v` read before deciding; null when there was no link yet. */
  readVersion: number | null;
}

/**
 * Writes links, each as one compare-and-set: a new link is inserted (an insert costs no scan on
 * FerretDB, an update does); a stored one moves on only if it is still at the version read. A link
 * that was there after all, or had moved, means another writer got there in between: the batch is
 * retried and decides again. `alongside` (the registry's new keys and merges, store/buyerKeys.ts,
 * store/buyerMerges.ts) is inserted in the same command; the `_id`s of those already there
 * (registered first by another writer, or by this batch's earlier run) are returned. The inserts
 * and the moves go side by side: one round trip.
 */
export async function writeLinks(db: Db, writes: readonly LinkWrite[], chunkSize: number, alongside: readonly { _id: string }[] = []): Promise<Set<string>> {
  const collection = buyerLinksCollection(db);
  const fresh = writes.filter((w) => w.readVersion === null);
  const [there] = await sideBySide(
    insertNew(collection, [
      ...fresh.map(({ contractId, buyer, via, joint = [], jointVia = [], sector, region, releaseOrder, mappingVersion }) => ({
        _id: contractId,
        ...(buyer !== null && { buyer }),
        ...(via !== null && { via }),
        ...(joint.length > 0 && { joint, jointVia }),
        ...(sector !== null && { sector }),
        ...(region !== null && { region }),
        buyers: everyBuyer(buyer, joint),
        releaseOrder,
        mappingVersion,
        v: 1,
      })),
      ...(alongside as BuyerLinkDoc[]),
    ]),
    moveLinks(db, writes.filter((w) => w.readVersion !== null), chunkSize),
  );
  const linksThere = fresh.filter((w) => there.has(w.contractId));
  if (linksThere.length > 0) throw conflict(linksThere.map((w) => w.contractId));
  return there;
}

/** Moves stored links on from the version read, in bulk writes of `chunkSize`; one that had moved meanwhile is a conflict. */
async function moveLinks(db: Db, moved: readonly LinkWrite[], chunkSize: number): Promise<void> {
  for (const chunk of chunks(moved, chunkSize)) {
    const result = await buyerLinksCollection(db).bulkWrite(
      chunk.map(({ contractId, buyer, via, joint = [], jointVia = [], sector, region, releaseOrder, mappingVersion, readVersion }) => {
        const hasJoint = joint.length > 0;
        const set = { releaseOrder, mappingVersion, ...(buyer !== null && { buyer }), ...(via !== null && { via }), ...(hasJoint && { joint, jointVia }), ...(sector !== null && { sector }), ...(region !== null && { region }) };
        const unset = Object.fromEntries(
          Object.entries({ buyer, via, joint: hasJoint || null, jointVia: hasJoint || null, sector, region }).filter(([, value]) => value === null).map(([field]) => [field, '' as const]),
        );
        const added = everyBuyer(buyer, joint);
        return {
          updateOne: {
            filter: { _id: contractId, v: readVersion! },
            update: { $set: set, ...(Object.keys(unset).length > 0 && { $unset: unset }), ...(added.length > 0 && { $addToSet: { buyers: { $each: added } } }), $inc: { v: 1 } },
          },
        };
      }),
      { ordered: false },
    );
    if (result.matchedCount < chunk.length) throw conflict(chunk.map((w) => w.contractId));
  }
}

/** The lead, then the co-buyers: what a link adds to `buyers`. */
const everyBuyer = (buyer: string | null, joint: readonly string[]): string[] => [...new Set([...(buyer === null ? [] : [buyer]), ...joint])];

const conflict = (contractIds: readonly string[]) =>
  new TransientError(`buyer links changed while this batch was stored, by another writer (among ${contractIds.slice(0, 3).join(', ')}): deciding again`);

/** How many links of one shape: `buyers` (ever), `buyer` and `joint` (now), version, sector and region, as the aggregate groups them. */
export interface LinkGroup {
  buyers: string[];
  buyer: string | null;
  joint?: string[];
  v: number;
  sector?: string | null;
  region?: string | null;
  links: number;
}

/**
 * Every link that ever pointed at one of these buyers, grouped by shape: one aggregate, whose result
 * stays small (links of one buyer mostly share one shape). `shared/buyers/buyerCounts.ts` turns it
 * into counts. A single `$sum` and no `$unwind`: FerretDB drops the other fields on `$unwind` and
 * returns 0 for a second accumulator.
 */
export async function groupLinks(db: Db, buyers: readonly string[]): Promise<LinkGroup[]> {
  if (buyers.length === 0) return [];
  const pipeline = [{ $match: { buyers: { $in: [...buyers] } } }, { $group: { _id: { buyers: '$buyers', buyer: '$buyer', joint: '$joint', v: '$v', sector: '$sector', region: '$region' }, links: { $sum: 1 } } }];
  // Every group in the first reply: the default of 101 would cost a getMore round trip.
  const rows = await buyerLinksCollection(db)
    .aggregate<{ _id: { buyers?: string[]; buyer?: string | null; joint?: string[] | null; v: number; sector?: string | null; region?: string | null }; links: number }>(pipeline, { batchSize: 100_000 })
    .toArray();
  return rows.map(({ _id, links }) => ({ buyers: _id.buyers ?? [], buyer: _id.buyer ?? null, joint: _id.joint ?? [], v: _id.v, sector: _id.sector ?? null, region: _id.region ?? null, links }));
}
