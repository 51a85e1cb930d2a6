import { Buffer } from 'node:buffer';
import { Binary, type Db, type Document } from 'mongodb';
import type { MappedContract } from '../mapping/mappedRelease.ts';
import { chunks } from './chunks.ts';
import { COLLECTIONS } from './db.ts';
import { insertNew } from './insertNew.ts';

export interface ContractWriteCounts {
  inserted: number;
  replaced: number;
  /** Already stored from the same or a newer release: left as they were. */
  unchanged: number;
}

/**
 * Stores contracts keyed `{source, noticeId}` (as `_id`), in chunks of `chunkSize`.
 * The common case, a notice not seen before, costs an insert: on FerretDB an update scans the
 * whole collection, an insert does not. Notices already there are read in one query per chunk and
 * replaced only by a newer release, so a replay, or an older release arriving late, changes nothing.
 */
export async function upsertContracts(db: Db, contracts: readonly MappedContract[], chunkSize: number, now: Date): Promise<ContractWriteCounts> {
  const collection = db.collection<Document & { _id: string }>(COLLECTIONS.contracts);
  const counts: ContractWriteCounts = { inserted: 0, replaced: 0, unchanged: 0 };
  for (const chunk of chunks(newestPerNotice(contracts), chunkSize)) {
    const docs = chunk.map((contract) => toContractDocument(contract, now));
    const existingIds = await insertNew(collection, docs);
    counts.inserted += docs.length - existingIds.size;
    if (existingIds.size === 0) continue;

    const stored = await collection.find({ _id: { $in: [...existingIds] } as never }, { projection: { releaseDate: 1, createdAt: 1 } }).toArray();
    const storedById = new Map(stored.map((doc) => [String(doc._id), doc]));
    const replacements = docs.filter((doc) => {
      const current = storedById.get(doc._id);
      return current !== undefined && current.releaseDate < doc.releaseDate;
    });
    counts.unchanged += existingIds.size - replacements.length;
    if (replacements.length === 0) continue;
    const result = await collection.bulkWrite(
      replacements.map((doc) => ({
        replaceOne: {
          // Only an older stored release is replaced, even if another writer got there first.
          filter: { _id: doc._id, releaseDate: { $lt: doc.releaseDate } } as never,
          replacement: { ...doc, createdAt: storedById.get(doc._id)?.createdAt ?? now },
        },
      })),
      { ordered: false },
    );
    counts.replaced += result.modifiedCount;
    counts.unchanged += replacements.length - result.modifiedCount;
  }
  return counts;
}

/** Within one batch, the newest release of a notice is the one that counts. */
function newestPerNotice(contracts: readonly MappedContract[]): MappedContract[] {
  const newest = new Map<string, MappedContract>();
  for (const contract of contracts) {
    const seen = newest.get(contract._id);
    if (!seen || seen.releaseDate < contract.releaseDate) newest.set(contract._id, contract);
  }
  return [...newest.values()];
}

/** The message form (ISO strings, base64) to BSON: dates become dates, gzip bytes binary. */
export function toContractDocument(contract: MappedContract, now: Date): Document & { _id: string; releaseDate: Date } {
  const { rawDataGz, publishedDate, deadlineDate, releaseDate, awards, ...rest } = contract;
  return {
    ...rest,
    ...(publishedDate && { publishedDate: new Date(publishedDate) }),
    ...(deadlineDate && { deadlineDate: new Date(deadlineDate) }),
    releaseDate: new Date(releaseDate),
    ...(awards && { awards: awards.map(({ date, ...award }) => ({ ...award, ...(date && { date: new Date(date) }) })) }),
    ...(rawDataGz && { rawDataGz: new Binary(Buffer.from(rawDataGz, 'base64')) }),
    createdAt: now,
    updatedAt: now,
  };
}
