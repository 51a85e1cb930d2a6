import type { Db } from 'mongodb';
import type { SourceAdapter } from '../shared/sources/source.ts';
import type { SourceName } from '../shared/sources/sourceName.ts';
import { moveCursor, readSourceStatus } from '../shared/store/sourceStatus.ts';
import { recordWindows } from '../shared/store/windows.ts';
import { firstCheckpoint } from '../shared/windows/advanceCheckpoint.ts';
import { planMonthRereads } from '../shared/windows/monthRereads.ts';

/**
 * A whole-month source's deltas (shared/windows/monthRereads.ts): records this hour's re-reads,
 * then moves the cursor to now, so that reconciliation's months reach up to what the re-reads
 * cover, as they do for a source whose deltas follow the cursor. Idempotent within the hour.
 */
export async function rereadMonths(db: Db, source: SourceAdapter<SourceName>, now: Date): Promise<void> {
  const status = await readSourceStatus(db, source.name);
  if (!status) return;
  const windows = planMonthRereads(source.name, now);
  await recordWindows(db, windows, (w) => firstCheckpoint(w, source.maxSliceMs), now);
  if (now > status.cursor) await moveCursor(db, source.name, status.cursor, now, now);
}
