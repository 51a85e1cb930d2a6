import { MongoBulkWriteError, MongoServerError, type Db } from 'mongodb';
import { TransientError } from '../errors.ts';
import { chunks } from './chunks.ts';
import { COLLECTIONS } from './db.ts';

/**
 * The buyer↔contract links: one document per contract (`_id` = the contract's), saying which buyer
 * it points at now. Like the contract, it moves on only to a newer release, so a replay or a late
 * older release changes nothing; `v` counts its changes and `buyers` keeps every buyer it ever
 * pointed at, so a buyer that lost the contract is counted again, and counts can be ordered (see
 * countLinks). No document grows with a buyer's history.
 */
export interface BuyerLinkDoc {
  _id: string;
  /** The buyer's orgId (the contract's `buyerOrg`); absent when the newest release names none. */
  buyer?: string;
  buyers: string[];
  /** The release the link follows: the contract's newest. */
  releaseDate: Date;
  v: number;
}

export function buyerLinksCollection(db: Db) {
  return db.collection<BuyerLinkDoc>(COLLECTIONS.buyerLinks);
}

/** The links of these contracts, by contract id: one query. */
export async function readLinks(db: Db, contractIds: readonly string[]): Promise<Map<string, BuyerLinkDoc>> {
  if (contractIds.length === 0) return new Map();
  const found = await buyerLinksCollection(db).find({ _id: { $in: [...contractIds] } }).toArray();
  return new Map(found.map((link) => [link._id, link]));
}

export interface LinkWrite {
  contractId: string;
  buyer: string | null;
  releaseDate: Date;
  /** The `v` read before deciding; null when there was no link yet. */
  readVersion: number | null;
}

const DUPLICATE_KEY = 11000;

/**
 * Moves links on as one compare-and-set each: the update applies only if the link is still at the
 * version read (or still absent), else its upsert meets the existing `_id` (a duplicate key error).
 * That means another writer moved it in between: the batch is retried and decides again.
 */
export async function writeLinks(db: Db, writes: readonly LinkWrite[], chunkSize: number): Promise<void> {
  for (const chunk of chunks(writes, chunkSize)) {
    try {
      await buyerLinksCollection(db).bulkWrite(
        chunk.map(({ contractId, buyer, releaseDate, readVersion }) => ({
          updateOne: {
            filter: { _id: contractId, v: readVersion ?? { $exists: false } },
            update: {
              ...(buyer === null ? { $set: { releaseDate }, $unset: { buyer: '' } } : { $set: { releaseDate, buyer } }),
              // An empty $each still creates the array on insert (FerretDB's $setOnInsert drops empty arrays).
              $addToSet: { buyers: { $each: buyer === null ? [] : [buyer] } },
              $inc: { v: 1 },
            },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    } catch (error) {
      const writeErrors = error instanceof MongoBulkWriteError ? [error.writeErrors].flat() : [];
      const conflict = writeErrors.length > 0 ? writeErrors.every((e) => e.code === DUPLICATE_KEY) : error instanceof MongoServerError && error.code === DUPLICATE_KEY;
      if (conflict) throw new TransientError('a buyer link changed while this batch was stored (another writer): deciding again');
      throw error;
    }
  }
}

/** How many links of one shape: `buyers` (ever), `buyer` (now) and version, as the aggregate groups them. */
export interface LinkGroup {
  buyers: string[];
  buyer: string | null;
  v: number;
  links: number;
}

/**
 * Every link that ever pointed at one of these buyers, grouped by shape: one aggregate, whose result
 * stays small (links of one buyer mostly share one shape). `consumer/write/buyerCounts.ts` turns it
 * into counts. A single `$sum` and no `$unwind`: FerretDB drops the other fields on `$unwind` and
 * returns 0 for a second accumulator.
 */
export async function groupLinks(db: Db, buyers: readonly string[]): Promise<LinkGroup[]> {
  if (buyers.length === 0) return [];
  const rows = await buyerLinksCollection(db)
    .aggregate<{ _id: { buyers?: string[]; buyer?: string | null; v: number }; links: number }>([
      { $match: { buyers: { $in: [...buyers] } } },
      { $group: { _id: { buyers: '$buyers', buyer: '$buyer', v: '$v' }, links: { $sum: 1 } } },
    ])
    .toArray();
  return rows.map(({ _id, links }) => ({ buyers: _id.buyers ?? [], buyer: _id.buyer ?? null, v: _id.v, links }));
}
