import type { Db } from 'mongodb';
import type { MappedBuyer } from '../mapping/mappedRelease.ts';
import { TransientError } from '../errors.ts';
import { chunks } from './chunks.ts';
import { COLLECTIONS } from './db.ts';
import { isDuplicateKeyError } from './insertNew.ts';

/** A registry entry as the releases of one batch name it. */
export interface BuyerSighting {
  /** `orgId` is the entry's registry id. */
  buyer: Omit<MappedBuyer, 'identifiers'>;
  /** The names and the source ids (orgIds, other identifiers) it was seen under. */
  aliases: string[];
  sourceIds: string[];
  /** The services that named it, as `contracts.source` spells them. */
  sources: string[];
  firstSeen: Date;
  lastSeen: Date;
}

/** A buyer's contracts as its links say, with the stamp that orders counts taken at different times. */
export interface BuyerCount {
  orgId: string;
  contractCount: number;
  stamp: number;
  /** Its contracts per sector and per region, most frequent first; the first is its `sector` / `region`. */
  sectors: ValueCount[];
  regions: ValueCount[];
}

export interface ValueCount {
  value: string;
  count: number;
}

/** Fields the write path sets after creation; a person locks one by naming it in the buyer's `locked`. */
const DERIVED = { sector: 'sectors', region: 'regions' } as const;

/**
 * One bulk write (in chunks of `chunkSize`, in order) for every buyer of a batch:
 * - each buyer sighted is created if new (`_id` = its registry id) with the fields auto-extraction
 *   knows, never overwritten afterwards (a person may have enriched them); `aliases`, `sourceIds`,
 *   `sources`, `firstSeen` and `lastSeen` only widen, so a replay changes nothing;
 * - each count is set only over a count of a lower stamp (`countStamp`): a writer that counted
 *   before another writer's links landed can never overwrite the later count, whichever lands last;
 *   with it the contracts per sector and per region (`sectors`, `regions`), and `sector` / `region`
 *   become the most frequent, except a field a person enriched and named in `locked`.
 * No read, no document that grows with the buyer's history.
 */
export async function writeBuyers(db: Db, sightings: readonly BuyerSighting[], counts: readonly BuyerCount[], chunkSize: number, now: Date): Promise<void> {
  const collection = db.collection<{ _id: string }>(COLLECTIONS.buyers);
  const operations = [
    ...sightings.map(({ buyer, aliases, sourceIds, sources, firstSeen, lastSeen }) => {
      const { contacts, ...fields } = buyer;
      return {
        updateOne: {
          filter: { _id: buyer.orgId },
          update: {
            $setOnInsert: { ...fields, ...(contacts.length > 0 && { contacts }), contractCount: 0, countStamp: 0, createdAt: now, updatedAt: now },
            // An empty $each creates [] on insert and changes nothing after (FerretDB's $setOnInsert drops empty arrays).
            $addToSet: { aliases: { $each: aliases }, sourceIds: { $each: sourceIds }, sources: { $each: sources }, ...(contacts.length === 0 && { contacts: { $each: [] } }) },
            $min: { firstSeen },
            $max: { lastSeen },
          },
          upsert: true,
        },
      };
    }),
    ...counts.flatMap((count) => [
      {
        updateOne: {
          // $not also matches a buyer stored before counts had stamps.
          filter: { _id: count.orgId, countStamp: { $not: { $gte: count.stamp } } },
          update: { $set: { contractCount: count.contractCount, sectors: count.sectors, regions: count.regions, countStamp: count.stamp, updatedAt: now } },
        },
      },
      // The most frequent value, under the count just set (or an equal one), unless a person locked the field.
      ...Object.entries(DERIVED).flatMap(([field, tally]) => {
        const top = count[tally][0]?.value;
        return top === undefined ? [] : [{ updateOne: { filter: { _id: count.orgId, countStamp: count.stamp, locked: { $ne: field } }, update: { $set: { [field]: top } } } }];
      }),
    ]),
  ];
  // In order: a buyer's count is set after the sighting that creates it.
  for (const chunk of chunks(operations, chunkSize)) {
    try {
      await collection.bulkWrite(chunk as never, { ordered: true });
    } catch (error) {
      // Two upserts creating one buyer at once: MongoDB retries that itself, FerretDB refuses the second.
      if (isDuplicateKeyError(error)) throw new TransientError('a buyer was created by another writer at the same moment: deciding again');
      throw error;
    }
  }
}
