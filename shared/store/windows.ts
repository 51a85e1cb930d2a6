import type { Db } from 'mongodb';
import type { TimeRange } from '../sources/source.ts';
import type { SourceName } from '../sources/sourceName.ts';
import { pageKey } from '../windows/isWindowComplete.ts';
import type { WindowPick } from '../windows/pickWindowsToFetch.ts';
import type { PlannedWindow } from '../windows/planWindows.ts';
import type { Checkpoint, WindowDoc } from '../windows/window.ts';
import { COLLECTIONS } from './db.ts';
import { insertNew } from './insertNew.ts';

/** The `syncJobs` documents of kind 'window' (see windows/window.ts for their life). */
export function windowsCollection(db: Db) {
  return db.collection<WindowDoc>(COLLECTIONS.syncJobs);
}

const EVENTS_KEPT = 50;
const OPEN_STATES: WindowDoc['state'][] = ['pending', 'queued', 'fetching', 'fetched', 'failed'];

/** A window's progress before its first page: when it is planned, and when an operator plans it again. */
export const nothingDoneYet = () => ({ pageParts: {}, releasesWritten: 0, quarantined: 0, attempts: 0, lease: null, lastError: null, doneAt: null });

/**
 * Records planned windows, each starting at `firstCheckpointOf` it (the source's first slice); a
 * window already recorded is left as it is (the ids are deterministic).
 */
export async function recordWindows(db: Db, planned: readonly PlannedWindow[], firstCheckpointOf: (window: TimeRange) => Checkpoint, now: Date): Promise<number> {
  const docs: WindowDoc[] = planned.map((w) => ({
    ...w,
    kind: 'window',
    state: 'pending',
    seq: 0,
    generation: 0,
    checkpoint: firstCheckpointOf(w),
    ...nothingDoneYet(),
    events: [],
    createdAt: now,
    updatedAt: now,
  }));
  const existing = await insertNew(windowsCollection(db), docs);
  return docs.length - existing.size;
}

/**
 * The windows of a source that may still need work: not `done` (a state filter on the
 * kind_source_state index), so this read does not grow with every window ever finished.
 */
export async function listOpenWindows(db: Db, source: SourceName): Promise<WindowPick[]> {
  return windowsCollection(db)
    .find({ kind: 'window', source, state: { $in: OPEN_STATES } }, { projection: { _id: 1, seq: 1, state: 1, span: 1, from: 1, to: 1, attempts: 1, updatedAt: 1, lease: 1, 'checkpoint.holes': 1 } })
    .toArray();
}

/**
 * Claims a window for a new fetch chain by moving its `seq` on: any message of the old chain is
 * now stale. `restartAt` (the window's first checkpoint) begins a new generation from there; null
 * resumes the chain from its checkpoint. Starting a failed window, either way, spends one of its
 * attempts. Returns the new seq, or null if someone else claimed it first.
 */
export async function claimWindow(db: Db, pick: Pick<WindowPick, '_id' | 'seq' | 'state'>, restartAt: Checkpoint | null, now: Date): Promise<number | null> {
  const reset = restartAt
    ? { $set: { checkpoint: restartAt, pageParts: {}, releasesWritten: 0 }, $inc: { generation: 1, attempts: 1 } }
    : { $set: {}, ...(pick.state === 'failed' && { $inc: { attempts: 1 } }) };
  const result = await windowsCollection(db).updateOne(
    { _id: pick._id, seq: pick.seq },
    { ...reset, $set: { ...reset.$set, seq: pick.seq + 1, state: 'queued', lease: null, updatedAt: now } },
  );
  return result.modifiedCount === 1 ? pick.seq + 1 : null;
}

/**
 * Takes the window's lease for one fetch invocation. A message whose seq is not the window's is
 * stale; a lease held by another live message means this one is a duplicate. The holder is the
 * queue message id, so a redelivery of the same message (after a crash) takes its lease back.
 */
export async function takeLease(db: Db, windowId: string, seq: number, holder: string, leaseMs: number, now: Date): Promise<WindowDoc | null> {
  return windowsCollection(db).findOneAndUpdate(
    {
      _id: windowId,
      seq,
      state: { $in: ['queued', 'fetching'] },
      $or: [{ lease: null }, { 'lease.until': { $lt: now } }, { 'lease.holder': holder }],
    },
    { $set: { state: 'fetching', lease: { holder, until: new Date(now.getTime() + leaseMs) }, updatedAt: now } },
    { returnDocument: 'after' },
  );
}

export interface PageRecord {
  checkpoint: Checkpoint;
  page: number;
  parts: number;
  event?: string;
}

/**
 * Moves the checkpoint on after a page's parts were sent, renewing the lease. False when the
 * lease or seq was lost (another chain took over): the caller must stop.
 */
export async function saveCheckpoint(db: Db, window: WindowDoc, holder: string, record: PageRecord, leaseMs: number, now: Date): Promise<boolean> {
  const result = await windowsCollection(db).updateOne(
    { _id: window._id, seq: window.seq, 'lease.holder': holder },
    {
      $set: {
        checkpoint: record.checkpoint,
        [`pageParts.${pageKey(record.page)}`]: record.parts,
        'lease.until': new Date(now.getTime() + leaseMs),
        updatedAt: now,
      },
      ...(record.event && { $push: { events: { $each: [`${now.toISOString()} ${record.event}`], $slice: -EVENTS_KEPT } } }),
    },
  );
  return result.matchedCount === 1;
}

/** Ends this invocation's part of the chain: releases the lease and moves `seq` on for the follow-up message. */
export async function handOff(db: Db, window: WindowDoc, holder: string, now: Date): Promise<boolean> {
  const result = await windowsCollection(db).updateOne(
    { _id: window._id, seq: window.seq, 'lease.holder': holder },
    { $set: { seq: window.seq + 1, lease: null, updatedAt: now } },
  );
  return result.matchedCount === 1;
}

/** Every slice is fetched: the window now waits only for its writes. Returns it as it is now, null if the lease was lost. */
export async function markFetched(db: Db, window: WindowDoc, holder: string, now: Date): Promise<WindowDoc | null> {
  return windowsCollection(db).findOneAndUpdate(
    { _id: window._id, seq: window.seq, 'lease.holder': holder },
    { $set: { state: 'fetched', lease: null, updatedAt: now } },
    { returnDocument: 'after' },
  );
}

/**
 * Records stored write parts, each a document of its own (deterministic id: a duplicate delivery
 * inserts nothing). Returns their windows as they are now, for the caller to close if complete.
 */
export async function recordWrittenParts(db: Db, parts: readonly { windowId: string; generation: number; key: string; releases: number }[], now: Date): Promise<WindowDoc[]> {
  if (parts.length === 0) return [];
  await insertNew(partsCollection(db), parts.map((part) => ({ _id: `${part.windowId}|${part.key}`, ...part, storedAt: now })));
  return windowsCollection(db).find({ _id: { $in: [...new Set(parts.map((part) => part.windowId))] } }).toArray();
}

interface WindowPartDoc {
  _id: string;
  windowId: string;
  generation: number;
  key: string;
  releases: number;
  storedAt: Date;
}

function partsCollection(db: Db) {
  return db.collection<WindowPartDoc>(COLLECTIONS.windowParts);
}

/** When the write consumer last stored a part (of any window); null if never. */
export async function lastPartStoredAt(db: Db): Promise<Date | null> {
  const [latest] = await partsCollection(db).find({}, { projection: { storedAt: 1 } }).sort({ storedAt: -1 }).limit(1).toArray();
  return latest?.storedAt ?? null;
}

/** The fetched windows of a source: those waiting for their writes. */
export async function listFetchedWindows(db: Db, source: SourceName): Promise<WindowDoc[]> {
  return windowsCollection(db).find({ kind: 'window', source, state: 'fetched' }).toArray();
}

/** The parts stored for this generation of a window. */
export async function readWrittenParts(db: Db, window: Pick<WindowDoc, '_id' | 'generation'>): Promise<WindowPartDoc[]> {
  return partsCollection(db).find({ windowId: window._id, generation: window.generation }).toArray();
}

/** Closes a fetched window with its totals; the caller decided it is complete (windows/isWindowComplete). */
export async function closeWindow(db: Db, window: Pick<WindowDoc, '_id' | 'generation'>, totals: { releasesWritten: number; quarantined: number }, now: Date): Promise<void> {
  await windowsCollection(db).updateOne(
    { _id: window._id, generation: window.generation, state: 'fetched' },
    { $set: { state: 'done', ...totals, doneAt: now, updatedAt: now, lastError: null } },
  );
}

/**
 * A window that failed for good: visible with its reason; the producer restarts it while attempts
 * remain. `chain`: only if that fetch chain still holds the window. False when nothing was marked.
 */
export async function markFailed(db: Db, windowId: string, reason: string, now: Date, chain?: { seq: number; holder: string }): Promise<boolean> {
  const result = await windowsCollection(db).updateOne(
    { _id: windowId, state: { $ne: 'done' }, ...(chain && { seq: chain.seq, 'lease.holder': chain.holder }) },
    {
      $set: { state: 'failed', lease: null, lastError: reason, updatedAt: now },
      $push: { events: { $each: [`${now.toISOString()} failed: ${reason}`], $slice: -EVENTS_KEPT } },
    },
  );
  return result.matchedCount === 1;
}
