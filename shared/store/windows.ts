import type { Db } from 'mongodb';
import { firstCheckpoint } from '../paging/advanceCheckpoint.ts';
import type { SourceName } from '../sources/sourceName.ts';
import { sources } from '../sources/sources.ts';
import { isWindowComplete } from '../windows/isWindowComplete.ts';
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

/** Records planned windows; a window already recorded is left as it is (the ids are deterministic). */
export async function recordWindows(db: Db, planned: readonly PlannedWindow[], now: Date): Promise<number> {
  const docs: WindowDoc[] = planned.map((w) => ({
    ...w,
    kind: 'window',
    state: 'pending',
    seq: 0,
    generation: 0,
    checkpoint: firstCheckpoint(w, sources[w.source].maxSliceMs),
    pageParts: {},
    releasesWritten: 0,
    quarantined: 0,
    attempts: 0,
    lease: null,
    lastError: null,
    events: [],
    createdAt: now,
    updatedAt: now,
    doneAt: null,
  }));
  const existing = await insertNew(windowsCollection(db), docs);
  return docs.length - existing.size;
}

export async function listWindows(db: Db, source: SourceName): Promise<WindowPick[]> {
  return windowsCollection(db)
    .find({ kind: 'window', source }, { projection: { _id: 1, seq: 1, state: 1, span: 1, from: 1, attempts: 1, updatedAt: 1 } })
    .toArray();
}

/**
 * Claims a window for a new fetch chain by moving its `seq` on: any message of the old chain is
 * now stale. `restart` begins a new generation from the window's first slice; otherwise the chain
 * resumes from its checkpoint. Returns the new seq, or null if someone else claimed it first.
 */
export async function claimWindow(db: Db, pick: WindowPick, restart: boolean, now: Date): Promise<number | null> {
  const windows = windowsCollection(db);
  const current = await windows.findOne({ _id: pick._id });
  if (!current || current.seq !== pick.seq) return null;
  const reset = restart
    ? {
        generation: current.generation + 1,
        checkpoint: firstCheckpoint(current, sources[current.source].maxSliceMs),
        pageParts: {},
        releasesWritten: 0,
        attempts: current.attempts + 1,
      }
    : {};
  const result = await windows.updateOne(
    { _id: pick._id, seq: pick.seq },
    { $set: { ...reset, seq: pick.seq + 1, state: 'queued', lease: null, updatedAt: now } },
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
        [`pageParts.p${record.page}`]: record.parts,
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

/** Every slice is fetched: the window now waits only for its writes, and may already be complete. */
export async function markFetched(db: Db, window: WindowDoc, holder: string, now: Date): Promise<boolean> {
  const after = await windowsCollection(db).findOneAndUpdate(
    { _id: window._id, seq: window.seq, 'lease.holder': holder },
    { $set: { state: 'fetched', lease: null, updatedAt: now } },
    { returnDocument: 'after' },
  );
  if (after) await closeIfComplete(db, after, now);
  return after !== null;
}

/**
 * Records one stored write part as a document of its own (deterministic id: a duplicate delivery
 * inserts nothing), then closes the window if that was the last part it waited for.
 */
export async function recordWrittenPart(db: Db, part: { windowId: string; generation: number; key: string; releases: number }, now: Date): Promise<void> {
  await insertNew(partsCollection(db), [{ _id: `${part.windowId}|${part.key}`, ...part, storedAt: now }]);
  const window = await windowsCollection(db).findOne({ _id: part.windowId });
  if (window?.state === 'fetched' && window.generation === part.generation) await closeIfComplete(db, window, now);
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

/**
 * The producer's sweep: closes fetched windows whose last part was stored while nobody looked
 * (a crash between storing it and closing). Returns the ids it closed.
 */
export async function closeCompletedWindows(db: Db, source: SourceName, now: Date): Promise<string[]> {
  const fetched = await windowsCollection(db).find({ kind: 'window', source, state: 'fetched' }).toArray();
  const closed: string[] = [];
  for (const window of fetched) if (await closeIfComplete(db, window, now)) closed.push(window._id);
  return closed;
}

async function closeIfComplete(db: Db, window: WindowDoc, now: Date): Promise<boolean> {
  const parts = await partsCollection(db).find({ windowId: window._id, generation: window.generation }).toArray();
  if (!isWindowComplete(window, new Set(parts.map((p) => p.key)))) return false;
  const quarantined = await db.collection(COLLECTIONS.quarantine).countDocuments({ windowId: window._id });
  const releasesWritten = parts.reduce((sum, p) => sum + p.releases, 0);
  await windowsCollection(db).updateOne(
    { _id: window._id, generation: window.generation, state: 'fetched' },
    { $set: { state: 'done', releasesWritten, quarantined, doneAt: now, updatedAt: now, lastError: null } },
  );
  return true;
}

/** A window that failed for good: visible with its reason; the producer restarts it while attempts remain. */
export async function markFailed(db: Db, windowId: string, reason: string, now: Date): Promise<void> {
  await windowsCollection(db).updateOne(
    { _id: windowId, state: { $ne: 'done' } },
    {
      $set: { state: 'failed', lease: null, lastError: reason, updatedAt: now },
      $push: { events: { $each: [`${now.toISOString()} failed: ${reason}`], $slice: -EVENTS_KEPT } },
    },
  );
}
