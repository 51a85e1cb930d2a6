import type { Db } from 'mongodb';
import { firstCheckpoint } from '../windows/advanceCheckpoint.ts';
import { DELTA_MIN_NEW_MS } from '../windows/deltaTicks.ts';
import { planDeltaWindow } from '../windows/planWindows.ts';
import type { SourceAdapter } from '../sources/source.ts';
import type { SourceName } from '../sources/sourceName.ts';
import { moveCursor, readSourceStatus } from '../store/sourceStatus.ts';
import { recordWindows, windowsCollection } from '../store/windows.ts';

/**
 * Plans the source's next delta window (the hourly cron and each tick between: deltaTicks.ts). It
 * is recorded before the cursor moves: if two planners race, or one dies in between, the window's
 * id (the cursor it starts from) makes the next find the one already recorded and move the cursor
 * to its end, so no stretch of time is skipped and none is planned twice. Returns the window's id.
 */
export async function planDelta(db: Db, source: SourceAdapter<SourceName>, now: Date): Promise<string | null> {
  const status = await readSourceStatus(db, source.name);
  if (!status) return null;
  const delta = planDeltaWindow(source.name, status.cursor, now, DELTA_MIN_NEW_MS);
  if (!delta) return null;
  await recordWindows(db, [delta], (w) => firstCheckpoint(w, source.maxSliceMs), now);
  const recorded = await windowsCollection(db).findOne({ _id: delta._id }, { projection: { to: 1 } });
  if (recorded) await moveCursor(db, source.name, status.cursor, recorded.to, now);
  return delta._id;
}
