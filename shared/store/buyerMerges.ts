import type { Db } from 'mongodb';
import { buyerLinksCollection } from './buyerLinks.ts';
import { chunks } from './chunks.ts';
import { insertNew } from './insertNew.ts';

/**
 * Merges of registry entries found by the write path (consumer/write/resolveBuyers.ts): one buyer's
 * identifiers pointed at two entries, or two writers registered one organisation's identifier or
 * name for two entries at the same moment, so `from` joins `to`. The write path only records a merge,
 * as a document inserted with its new keys and links (no round trip of its own; a replay's insert
 * is a duplicate `_id`, which is fine); the hourly run carries it out (producer/mergeBuyers.ts).
 * They share `buyerLinks` with the keys (`_id` = `merge:` + from, no `v`, no `buyers`).
 */
export interface Merge {
  from: string;
  to: string;
  rule: 'identifier' | 'name';
  /** The identifier (or name) that pointed at `from`. */
  key: string;
}

/** `pending` until carried out; `undone` once an admin's unmerge split `from` off again (it is never made again). */
export type MergeState = 'pending' | 'done' | 'undone';

export interface MergeDoc extends Merge {
  _id: string;
  state: MergeState;
  at: Date;
  doneAt?: Date;
}

export const mergeDocId = (from: string): string => `merge:${from}`;

export const mergeDoc = (merge: Merge, now: Date): MergeDoc => ({ _id: mergeDocId(merge.from), ...merge, state: 'pending', at: now });

const mergesCollection = (db: Db) => db.collection<MergeDoc>(buyerLinksCollection(db).collectionName);

const MERGE_RANGE = { $gte: 'merge:', $lt: 'merge;' };

/** Records merges for the hourly run; one already recorded (same `from`) stays as it is. */
export async function recordMerges(db: Db, merges: readonly Merge[], now: Date): Promise<void> {
  await insertNew(mergesCollection(db), merges.map((merge) => mergeDoc(merge, now)));
}

/**
 * The merges an hourly run carries out: pending ones, and those done since `doneSince` (see
 * producer/mergeBuyers.ts RERUN_MS); not every merge ever made. By `_id` range, so MongoDB reads
 * the merge documents off the `_id` index, never the links they share a collection with.
 */
export async function readMergesToRun(db: Db, doneSince: Date): Promise<MergeDoc[]> {
  return mergesCollection(db)
    .find({ _id: MERGE_RANGE, $or: [{ state: 'pending' }, { state: 'done', doneAt: { $gte: doneSince } }] })
    .toArray();
}

/** The merges (not undone) of these entries, if they were merged away: how a survivor that merged since is followed. */
export async function readMergesOf(db: Db, froms: readonly string[]): Promise<MergeDoc[]> {
  if (froms.length === 0) return [];
  return mergesCollection(db).find({ _id: { $in: froms.map(mergeDocId) }, state: { $ne: 'undone' } }).toArray();
}

/** Entries merged away (each left as a tombstone `mergedInto`): counted off the `_id` index's merge range, never the buyers. */
export async function countMergesDone(db: Db): Promise<number> {
  return mergesCollection(db).countDocuments({ _id: MERGE_RANGE, state: 'done' });
}

export async function markMergeDone(db: Db, from: string, now: Date): Promise<void> {
  await mergesCollection(db).updateOne({ _id: mergeDocId(from), state: 'pending' }, { $set: { state: 'done', doneAt: now } });
}

/** An admin split these entries off again: their merges are not carried out or made again. */
export async function markMergesUndone(db: Db, froms: readonly string[], chunkSize: number): Promise<void> {
  for (const chunk of chunks(froms, chunkSize)) await mergesCollection(db).updateMany({ _id: { $in: chunk.map(mergeDocId) } }, { $set: { state: 'undone' } });
}
