import type { Db } from 'mongodb';
import { TransientError } from '../errors.ts';
import { chunks } from './chunks.ts';
import { COLLECTIONS } from './db.ts';
import { insertNew, isDuplicateKeyError } from './insertNew.ts';

/**
 * The change feed (`changes`): one entry per change the write path or the hourly run makes to a
 * contract or a procurement, in cursor order. docs/changes.md says what each kind means, why a
 * reader never misses an entry, and why a replay adds none.
 */
export const CHANGE_KINDS = ['new', 'updated', 'status changed', 'awarded', 'cancelled', 'deadline changed', 'buyer merged'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One change, before it has a cursor. */
export interface ChangeEntry {
  /** Deterministic (changeIds below): a redelivery's copy is refused by the unique `_id`. */
  _id: string;
  source: string;
  /** The procurement. */
  ocid: string;
  /** The notice; absent on an entry about the procurement as a whole (its status, deadline, awards). */
  noticeId?: string;
  kind: ChangeKind;
  /** The contract's or record's fields that changed (none for `new`). */
  fields: string[];
}

/** An entry as stored: its place in the feed and when its batch took it. */
export interface ChangeDoc extends ChangeEntry {
  cursor: number;
  at: Date;
}

/** The last document of every batch: its presence says the batch's entries are all stored (readers skip it). */
export interface BatchMarkerDoc {
  _id: string;
  cursor: number;
  at: Date;
  kind: 'batch';
  entries: number;
}

export type FeedDoc = ChangeDoc | BatchMarkerDoc;

/**
 * A cursor is `batch × 10,000 + position`: each batch that writes takes one number from a counter,
 * so cursors grow in the order batches began, and its entries (at most 9,999) and its marker (the
 * last position) take the numbers under it.
 */
export const CURSORS_PER_BATCH = 10_000;
export const cursorOf = (batch: number, position: number): number => batch * CURSORS_PER_BATCH + position;
export const batchOf = (cursor: number): number => Math.floor(cursor / CURSORS_PER_BATCH);
const MARKER_POSITION = CURSORS_PER_BATCH - 1;
export const isMarkerCursor = (cursor: number): boolean => cursor % CURSORS_PER_BATCH === MARKER_POSITION;
export const batchMarkerId = (batch: number): string => `batch:${batch}`;

/**
 * How long a batch may take between taking its number and storing its entries: a writer that is
 * later gives up (the batch is retried under a new number), and a reader waits this long at most
 * for a batch it sees no marker of before passing over it (readableChanges.ts).
 */
export const SETTLE_MS = 120_000;

/**
 * The entry ids: what changed, from which release or version, and how. A notice is new once,
 * whichever of its releases was stored first.
 */
export const changeIds = {
  newNotice: (contractId: string) => `${contractId}|new`,
  notice: (contractId: string, releaseOrder: string, mappingVersion: number, linkVersion: number, kind: ChangeKind) => `${contractId}|${releaseOrder}|m${mappingVersion}|v${linkVersion}|${kind}`,
  procurement: (recordId: string, recordVersion: number, kind: ChangeKind) => `${recordId}|v${recordVersion}|${kind}`,
  buyerMerge: (contractId: string, from: string, to: string) => `${contractId}|merged|${from}>${to}`,
};

const feed = (db: Db) => db.collection<FeedDoc>(COLLECTIONS.changes);
const counter = (db: Db) => db.collection<{ _id: string; batch: number }>(COLLECTIONS.changes);
const COUNTER_ID = 'counter';

export interface FeedBatch {
  batch: number;
  /** When it was taken, by this writer's clock: every entry's `at`. */
  at: Date;
}

/** Takes the next batch number (one command; the write path sends it beside its first read). */
export async function takeFeedBatch(db: Db): Promise<FeedBatch> {
  const take = () => counter(db).findOneAndUpdate({ _id: COUNTER_ID }, { $inc: { batch: 1 } }, { upsert: true, returnDocument: 'after' });
  // Two first writers upserting the counter at once: one insert loses on `_id`, and its retry increments.
  const taken = await take().catch((error: unknown) => (isDuplicateKeyError(error) ? take() : Promise.reject(error)));
  return { batch: taken!.batch, at: new Date() };
}

/**
 * Stores a batch's entries under its number, then its marker, in one unordered insert (the server
 * applies the documents in order; an entry already there, from a run this one repeats, is refused
 * by its `_id` and the rest go on). Refused when the batch took its number too long ago: a reader
 * may have passed over it by then.
 */
export async function appendChanges(db: Db, { batch, at }: FeedBatch, entries: readonly ChangeEntry[]): Promise<void> {
  if (entries.length > MARKER_POSITION) throw new Error(`${entries.length} change entries in one batch: at most ${MARKER_POSITION} fit under one cursor batch`);
  if (Date.now() - at.getTime() > SETTLE_MS / 2) throw new TransientError(`took over ${SETTLE_MS / 2000} s from taking change batch ${batch} to writing it: retrying under a new one`);
  const docs: FeedDoc[] = [
    ...entries.map((entry, position) => ({ ...entry, cursor: cursorOf(batch, position), at })),
    { _id: batchMarkerId(batch), cursor: cursorOf(batch, MARKER_POSITION), at, kind: 'batch' as const, entries: entries.length },
  ];
  await insertNew(feed(db), docs);
}

/** Takes a batch number and appends the entries: for the hourly run's changes (two commands; none without entries). */
export async function appendChangesNow(db: Db, entries: readonly ChangeEntry[]): Promise<void> {
  if (entries.length > 0) await appendChanges(db, await takeFeedBatch(db), entries);
}

/**
 * A `buyer merged` entry for each contract an hourly merge pointed from `from` at `to` (`led`: as
 * its lead buyer, `coBought`: among its buyers), appended after the move: a run cut off before its
 * entries moves the same contracts again next hour, under the same entry ids.
 */
export async function appendBuyerMergeChanges(db: Db, from: string, to: string, led: readonly string[], coBought: readonly string[], chunkSize: number): Promise<void> {
  const ids = [...new Set([...led, ...coBought])];
  for (const chunk of chunks(ids, chunkSize)) {
    const contracts = await db.collection<{ _id: string; source: string; ocid: string; noticeId: string }>(COLLECTIONS.contracts).find({ _id: { $in: chunk } }, { projection: { source: 1, ocid: 1, noticeId: 1 } }).toArray();
    await appendChangesNow(
      db,
      contracts.map(({ _id, source, ocid, noticeId }) => ({
        _id: changeIds.buyerMerge(_id, from, to),
        source,
        ocid,
        noticeId,
        kind: 'buyer merged' as const,
        fields: [...(led.includes(_id) ? ['buyerOrg'] : []), ...(coBought.includes(_id) ? ['buyers'] : [])],
      })),
    );
  }
}
