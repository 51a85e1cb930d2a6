import type { Db } from 'mongodb';
import type { SourceName } from '../sources/sourceName.ts';
import { COLLECTIONS } from './db.ts';
import { insertNew } from './insertNew.ts';
import type { Checkpoint, WindowDoc } from '../windows/window.ts';
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
  /**
   * Slices left with a hole by a page that could not be read, and the windows holding them (none
   * is done). Counted in slices: how many releases they hold is unknown, since neither service
   * gives a total. Each window lists its holes in `checkpoint.holes`.
   */
  holes: { slices: number; windows: string[] };
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
      holes: { slices: 0, windows: [] },
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

/** What the summary is computed from: each window's state, span, end, releases stored and holes. */
export type WindowSummaryInput = Pick<WindowDoc, '_id' | 'state' | 'span' | 'to' | 'releasesWritten'> & { checkpoint: Pick<Checkpoint, 'holes'> };

export async function readSourceStatus(db: Db, source: SourceName): Promise<SourceStatusDoc | null> {
  return statusCollection(db).findOne({ _id: sourceStatusId(source) });
}

export async function readWindowSummaries(db: Db, source: SourceName): Promise<WindowSummaryInput[]> {
  return windowsCollection(db).find({ kind: 'window', source }, { projection: { state: 1, span: 1, to: 1, releasesWritten: 1, 'checkpoint.holes': 1 } }).toArray();
}

/** The fields of the summary that a producer run recomputes (producer/summarizeSource.ts). */
export type SourceSummary = Pick<SourceStatusDoc, 'status' | 'lastSyncedDate' | 'totalFetched' | 'lastRunAt' | 'lastRunFetched' | 'lastRunErrors' | 'windows' | 'holes'>;

export async function saveSourceSummary(db: Db, source: SourceName, summary: SourceSummary, now: Date): Promise<SourceStatusDoc | null> {
  return statusCollection(db).findOneAndUpdate({ _id: sourceStatusId(source) }, { $set: { ...summary, updatedAt: now } }, { returnDocument: 'after' });
}
