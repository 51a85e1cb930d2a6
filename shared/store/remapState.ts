import type { Db, Document, Filter } from 'mongodb';
import { COLLECTIONS } from './db.ts';

/**
 * Where `npm run remap` stands: one document, saved after each chunk, so a run cut off (a crash,
 * Ctrl-C) continues after the last contract it finished. A run that finished, or one for another
 * mapping version, is not continued: the next run starts a new pass.
 */
export interface RemapState {
  _id: 'contracts';
  mappingVersion: number;
  /** The last contract `_id` the run finished (contracts are taken in `_id` order); null before the first. */
  after: string | null;
  done: boolean;
  counts: RemapCounts;
  startedAt: Date;
  updatedAt: Date;
}

export interface RemapCounts {
  /** Contracts of an older mapping version read. */
  examined: number;
  /** Contracts rewritten (updated) and created by the remap. */
  rewritten: number;
  inserted: number;
  /** Contracts that cannot be rebuilt: no raw data stored (STORE_RAW=off). */
  noRaw: number;
  /** Contracts whose raw data no longer maps (kept as they are), and those stored under an id their release no longer maps to. */
  failed: number;
  movedAway: number;
  /** A few ids of each kind, for the report. */
  examples: { noRaw: string[]; failed: string[]; movedAway: string[] };
}

const stateCollection = (db: Db) => db.collection<RemapState>(COLLECTIONS.remapState);

export const readRemapState = (db: Db): Promise<RemapState | null> => stateCollection(db).findOne({ _id: 'contracts' });

export async function saveRemapState(db: Db, state: RemapState): Promise<void> {
  await stateCollection(db).replaceOne({ _id: 'contracts' }, state, { upsert: true });
}

/** What a remap reads of a contract: its id, source and raw data. */
/** A contract as remap reads it: its release as stored, and the `noticeType` that says what page it came from (the adapter's `copyContext`). */
export type StoredRaw = Pick<Document, 'rawData' | 'rawDataGz'> & { _id: string; source: string; noticeType?: string };

const contractsById = (db: Db) => db.collection<StoredRaw>(COLLECTIONS.contracts);

/** Contracts stored by a mapping older than `mappingVersion` (or before it was recorded), after `after` in `_id` order. */
export function olderMappedContracts(db: Db, mappingVersion: number, after: string | null, limit: number): Promise<StoredRaw[]> {
  return contractsById(db).find(olderThan(mappingVersion, after), { projection: { source: 1, noticeType: 1, rawData: 1, rawDataGz: 1 } }).sort({ _id: 1 }).limit(limit).toArray();
}

/** How many contracts a remap to `mappingVersion` still has ahead of it. */
export function countOlderMapped(db: Db, mappingVersion: number, after: string | null): Promise<number> {
  return contractsById(db).countDocuments(olderThan(mappingVersion, after));
}

function olderThan(mappingVersion: number, after: string | null): Filter<StoredRaw> {
  const older: Filter<StoredRaw> = { $or: [{ mappingVersion: { $lt: mappingVersion } }, { mappingVersion: { $exists: false } }] };
  return after === null ? older : { $and: [older, { _id: { $gt: after } }] };
}
