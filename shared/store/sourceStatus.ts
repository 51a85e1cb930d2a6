import type { Db } from 'mongodb';
import type { SourceName } from '../sources/sourceName.ts';
import { COLLECTIONS } from './db.ts';
import { insertNew } from './insertNew.ts';
import { windowsCollection } from './windows.ts';

/**
 * The `syncJobs` document of kind 'source': one per source, with the fields the search
 * application reads. `cursor` is where the next delta window starts; `lastSyncedDate` is the end of
 * the newest closed delta window, i.e. how fresh the copy is.
 */
export interface SourceStatusDoc {
  _id: string;
  kind: 'source';
  source: SourceName;
  status: 'backfilling' | 'syncing' | 'error';
  cursor: Date;
  backfillStartDate: Date;
  /** Where the monthly history ends and delta windows begin: the month of the first run. */
  historyEnd: Date;
  lastSyncedDate: Date | null;
  totalFetched: number;
  lastRunAt: Date | null;
  lastRunFetched: number;
  lastRunErrors: number;
  errorLog: { at: Date; message: string }[];
  /** Beyond the application's fields: windows by state, for progress and alerts. */
  windows: Record<string, number>;
  createdAt: Date;
  updatedAt: Date;
}

const ERROR_LOG_KEPT = 100;

function statusCollection(db: Db) {
  return db.collection<SourceStatusDoc>(COLLECTIONS.syncJobs);
}

export const sourceStatusId = (source: SourceName): string => `source:${source}`;

/** Creates the source's document on first sight; the delta cursor starts at the month of that first run. */
export async function ensureSourceStatus(db: Db, source: SourceName, backfillStartDate: Date, deltaOrigin: Date, now: Date): Promise<SourceStatusDoc> {
  await insertNew(statusCollection(db), [
    {
      _id: sourceStatusId(source),
      kind: 'source',
      source,
      status: 'backfilling',
      cursor: deltaOrigin,
      backfillStartDate,
      historyEnd: deltaOrigin,
      lastSyncedDate: null,
      totalFetched: 0,
      lastRunAt: null,
      lastRunFetched: 0,
      lastRunErrors: 0,
      errorLog: [],
      windows: {},
      createdAt: now,
      updatedAt: now,
    },
  ]);
  const doc = await statusCollection(db).findOne({ _id: sourceStatusId(source) });
  if (!doc) throw new Error(`syncJobs: could not create the status of ${source}`);
  return doc;
}

/** Moves the delta cursor from `from` to `to` only if no other producer moved it first. */
export async function moveCursor(db: Db, source: SourceName, from: Date, to: Date, now: Date): Promise<void> {
  await statusCollection(db).updateOne({ _id: sourceStatusId(source), cursor: from }, { $set: { cursor: to, updatedAt: now } });
}

/** Appends to the source's error log, keeping the last 100. */
export async function logSourceError(db: Db, source: SourceName, message: string, now: Date): Promise<void> {
  await statusCollection(db).updateOne(
    { _id: sourceStatusId(source) },
    { $push: { errorLog: { $each: [{ at: now, message }], $slice: -ERROR_LOG_KEPT } }, $set: { updatedAt: now } },
  );
}

/**
 * Recomputes the summary from the window documents (the truth), once per producer run:
 * status, totals, freshness, and what happened since the previous run.
 */
export async function refreshSourceStatus(db: Db, source: SourceName, now: Date): Promise<SourceStatusDoc | null> {
  const previous = await statusCollection(db).findOne({ _id: sourceStatusId(source) });
  if (!previous) return null;
  const windows = await windowsCollection(db)
    .find({ kind: 'window', source }, { projection: { state: 1, span: 1, to: 1, releasesWritten: 1, attempts: 1 } })
    .toArray();
  const byState: Record<string, number> = {};
  for (const w of windows) byState[w.state] = (byState[w.state] ?? 0) + 1;
  const totalFetched = windows.reduce((sum, w) => sum + (w.releasesWritten ?? 0), 0);
  const lastSynced = windows
    .filter((w) => w.span === 'delta' && w.state === 'done')
    .reduce<Date | null>((latest, w) => (latest && latest > w.to ? latest : w.to), null);
  const backfilling = windows.some((w) => w.span === 'month' && w.state !== 'done');
  const stuck = windows.some((w) => w.state === 'failed');
  const since = previous.lastRunAt ?? previous.createdAt;
  return statusCollection(db).findOneAndUpdate(
    { _id: sourceStatusId(source) },
    {
      $set: {
        status: stuck ? 'error' : backfilling ? 'backfilling' : 'syncing',
        lastSyncedDate: lastSynced,
        totalFetched,
        lastRunAt: now,
        lastRunFetched: Math.max(0, totalFetched - previous.totalFetched),
        lastRunErrors: (previous.errorLog ?? []).filter((entry) => entry.at > since).length,
        windows: byState,
        updatedAt: now,
      },
    },
    { returnDocument: 'after' },
  );
}
