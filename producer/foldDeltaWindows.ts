import type { Db } from 'mongodb';
import type { SourceName } from '../shared/sources/sourceName.ts';
import { listDoneDeltas, pruneFolds, readNewestFold, recordFold, removeFolded, type DeltaFoldDoc } from '../shared/store/deltaFolds.ts';
import { FOLD_AFTER_MS, planDeltaFold } from '../shared/windows/planDeltaFold.ts';

/** Folds kept for reading back (the last three hourly runs); the newest alone carries the totals. */
const FOLDS_KEPT = 3;

/**
 * Folds the source's finished delta windows into the next fold record and deletes them (see
 * shared/windows/planDeltaFold.ts). First finishes the newest fold, in case a crash cut it short
 * between recording it and deleting its windows. Returns the newest fold after this run.
 */
export async function foldDeltaWindows(db: Db, source: SourceName, now: Date): Promise<DeltaFoldDoc | null> {
  const newest = await readNewestFold(db, source);
  if (newest) await removeFolded(db, newest);
  const fold = planDeltaFold(newest, await listDoneDeltas(db, source), now, FOLD_AFTER_MS);
  if (!fold) return newest;
  // Recorded by another run meanwhile: that run deletes its windows, or the next run does.
  if (!(await recordFold(db, source, fold, now))) return readNewestFold(db, source);
  await removeFolded(db, fold);
  await pruneFolds(db, source, fold.seq - FOLDS_KEPT + 1);
  return readNewestFold(db, source);
}
