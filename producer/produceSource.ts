import type { Db } from 'mongodb';
import type { Config } from '../shared/config.ts';
import { firstCheckpoint } from '../shared/windows/advanceCheckpoint.ts';
import { closeWindowIfComplete } from '../shared/steps/closeWindowIfComplete.ts';
import { enqueueDueWindows } from '../shared/steps/enqueueDueWindows.ts';
import type { SourceAdapter } from '../shared/sources/source.ts';
import type { SourceName } from '../shared/sources/sourceName.ts';
import { ensureSourceStatus, moveCursor, readSourceStatus, readWindowSummaries, saveSourceSummary, type SourceStatusDoc } from '../shared/store/sourceStatus.ts';
import { listFetchedWindows, recordWindows, windowsCollection } from '../shared/store/windows.ts';
import { planDeltaWindow, planMonthWindows, startOfMonth } from '../shared/windows/planWindows.ts';
import { summarizeSource } from './summarizeSource.ts';

/** A delta window shorter than this waits for the next run (so a second run in the same hour plans nothing). */
const DELTA_MIN_MS = 15 * 60_000;

/**
 * One producer run for one source: record the monthly history windows and the next delta window
 * (idempotent: ids are deterministic and recorded windows are left alone), close fetched windows
 * whose parts are all stored, enqueue what is due, and refresh the source's summary.
 */
export async function produceSource(env: Env, config: Config, db: Db, source: SourceAdapter<SourceName>, now: Date): Promise<SourceStatusDoc | null> {
  const status = await ensureSourceStatus(db, source.name, source.startDate(config), startOfMonth(now), now);
  await recordWindows(db, planMonthWindows(source.name, source.startDate(config), status.historyEnd), (w) => firstCheckpoint(w, source.maxSliceMs), now);
  await planDelta(db, source, status, now);
  const swept = await sweepCompletedWindows(db, source, now);
  if (swept.length > 0) console.warn(`producer ${source.name}: closed ${swept.length} window(s) whose last part had been stored unseen: ${swept.join(', ')}`);
  await enqueueDueWindows(env, config, db, source.name, now);
  const previous = await readSourceStatus(db, source.name);
  if (!previous) return null;
  return saveSourceSummary(db, source.name, summarizeSource(await readWindowSummaries(db, source.name), previous, now), now);
}

/** Closes fetched windows whose last part was stored while nobody looked (a crash between storing it and closing). */
async function sweepCompletedWindows(db: Db, source: SourceAdapter<SourceName>, now: Date): Promise<string[]> {
  const closed: string[] = [];
  for (const window of await listFetchedWindows(db, source.name)) {
    if (await closeWindowIfComplete(db, window, now)) closed.push(window._id);
  }
  return closed;
}

/**
 * The delta window runs from the cursor to now. It is recorded before the cursor moves: if two
 * runs race, or one dies in between, the window's deterministic id makes the next run find the one
 * already recorded and move the cursor to its end.
 */
async function planDelta(db: Db, source: SourceAdapter<SourceName>, status: SourceStatusDoc, now: Date): Promise<void> {
  const delta = planDeltaWindow(source.name, status.cursor, now, DELTA_MIN_MS);
  if (!delta) return;
  await recordWindows(db, [delta], (w) => firstCheckpoint(w, source.maxSliceMs), now);
  const recorded = await windowsCollection(db).findOne({ _id: delta._id });
  if (recorded) await moveCursor(db, source.name, status.cursor, recorded.to, now);
}
