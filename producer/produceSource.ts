import type { Db } from 'mongodb';
import type { Config } from '../shared/config.ts';
import { firstCheckpoint } from '../shared/windows/advanceCheckpoint.ts';
import { closeWindowIfComplete } from '../shared/steps/closeWindowIfComplete.ts';
import { enqueueDueWindows } from '../shared/steps/enqueueDueWindows.ts';
import type { SourceAdapter } from '../shared/sources/source.ts';
import type { SourceName } from '../shared/sources/sourceName.ts';
import { planDelta } from '../shared/steps/planDelta.ts';
import { ensureSourceStatus, readSourceStatus, readWindowSummaries, saveSourceSummary, type SourceStatusDoc } from '../shared/store/sourceStatus.ts';
import { listFetchedWindows, recordWindows } from '../shared/store/windows.ts';
import { planMonthWindows, startOfMonth } from '../shared/windows/planWindows.ts';
import { foldDeltaWindows } from './foldDeltaWindows.ts';
import { rereadMonths } from './rereadMonths.ts';
import { summarizeSource } from './summarizeSource.ts';

/**
 * One producer run for one source: record the monthly history windows and the next delta window,
 * or a whole-month source's re-reads of its recent months for this hour (idempotent: ids are
 * deterministic and recorded windows are left alone), close fetched windows
 * whose parts are all stored, enqueue what is due, fold finished delta windows away, and refresh
 * the source's summary.
 */
export async function produceSource(env: Env, config: Config, db: Db, source: SourceAdapter<SourceName>, now: Date): Promise<SourceStatusDoc | null> {
  const status = await ensureSourceStatus(db, source.name, source.startDate(config), startOfMonth(now), now);
  await recordWindows(db, planMonthWindows(source.name, source.startDate(config), status.historyEnd), (w) => firstCheckpoint(w, source.maxSliceMs), now);
  // A source without an updated filter reads its recent months again instead (rereadMonths.ts).
  if (source.wholeMonths) await rereadMonths(db, source, now);
  else await planDelta(db, source, now);
  const swept = await sweepCompletedWindows(db, source, now);
  if (swept.length > 0) console.warn(`producer ${source.name}: closed ${swept.length} window(s) whose last part had been stored unseen: ${swept.join(', ')}`);
  await enqueueDueWindows(env, config, db, source.name, now);
  const fold = await foldDeltaWindows(db, source.name, now);
  const previous = await readSourceStatus(db, source.name);
  if (!previous) return null;
  return saveSourceSummary(db, source.name, summarizeSource(await readWindowSummaries(db, source.name), fold, previous, now), now);
}

/** Closes fetched windows whose last part was stored while nobody looked (a crash between storing it and closing). */
async function sweepCompletedWindows(db: Db, source: SourceAdapter<SourceName>, now: Date): Promise<string[]> {
  const closed: string[] = [];
  for (const window of await listFetchedWindows(db, source.name)) {
    if (await closeWindowIfComplete(db, window, now)) closed.push(window._id);
  }
  return closed;
}
