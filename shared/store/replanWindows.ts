import type { Db } from 'mongodb';
import type { TimeRange } from '../sources/source.ts';
import type { SourceName } from '../sources/sourceName.ts';
import type { Checkpoint, WindowDoc } from '../windows/window.ts';
import { nothingDoneYet, windowsCollection } from './windows.ts';

/** A window starts at most this long before a range it overlaps: a month, or a delta (hours). */
const LONGEST_WINDOW_MS = 31 * 86_400_000;

export type ReplanPick = Pick<WindowDoc, '_id' | 'seq' | 'from' | 'to' | 'state'>;

/**
 * The windows of a source that overlap `range`, oldest first, at most `limit`. Bounded on the
 * `kind_source_from` index: only windows starting from a month before the range to its end are
 * looked at. (A delta window longer than a month, left by a month-long outage, that starts before
 * the range is not found: replan from its start.)
 */
export async function findWindowsOverlapping(db: Db, source: SourceName, range: TimeRange, limit: number): Promise<ReplanPick[]> {
  return windowsCollection(db)
    .find(
      { kind: 'window', source, from: { $gte: new Date(range.from.getTime() - LONGEST_WINDOW_MS), $lt: range.to }, to: { $gt: range.from } },
      { projection: { _id: 1, seq: 1, from: 1, to: 1, state: 1 } },
    )
    .sort({ from: 1 })
    .limit(limit)
    .toArray();
}

/**
 * Plans a window again: pending from its first slice, in a new generation (parts written for an
 * older one never count toward closing it) and at a new seq (any message of its running chain is
 * now stale and dropped), attempts back to 0. False if the window moved on meanwhile (its seq
 * changed): the caller reads it again.
 */
export async function replanWindow(db: Db, window: Pick<WindowDoc, '_id' | 'seq'>, restartAt: Checkpoint, now: Date): Promise<boolean> {
  const result = await windowsCollection(db).updateOne(
    { _id: window._id, seq: window.seq },
    {
      $set: {
        state: 'pending',
        seq: window.seq + 1,
        checkpoint: restartAt,
        ...nothingDoneYet(),
        updatedAt: now,
      },
      $inc: { generation: 1 },
      $push: { events: { $each: [`${now.toISOString()} planned again by an operator`], $slice: -50 } },
    },
  );
  return result.modifiedCount === 1;
}
