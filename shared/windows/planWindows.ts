import type { SourceName } from '../sources/sourceName.ts';
import type { WindowSpan } from './window.ts';
import type { TimeRange } from '../sources/source.ts';
import { ukLocalIsAmbiguous } from '../time/ukTime.ts';
import { longestReadingMs, unambiguousAtOrBefore } from './ukClockBounds.ts';

/** `Name` is any adapter's name: planning is pure, so a source need not be registered to be planned. */
export interface PlannedWindow<Name extends string = SourceName> extends TimeRange {
  _id: string;
  source: Name;
  span: WindowSpan;
}

/**
 * The history of a source as whole UTC months, from its start date up to `deltaOrigin` (the
 * first day of the month the pipeline first ran in); from there on delta windows take over.
 * Pure, so the producer can run it every hour: the same input gives the same ids.
 */
export function planMonthWindows<Name extends string>(source: Name, startDate: Date, deltaOrigin: Date): PlannedWindow<Name>[] {
  const windows: PlannedWindow<Name>[] = [];
  for (let from = startOfMonth(startDate); from < deltaOrigin; ) {
    const next = addMonths(from, 1);
    const to = next < deltaOrigin ? next : deltaOrigin;
    windows.push({ _id: `${source}:${from.toISOString().slice(0, 7)}`, source, span: 'month', from: maxDate(from, startDate), to });
    from = next;
  }
  return windows;
}

/**
 * The next delta window: it covers what was published since the last one ended (the source's
 * `cursor`) up to a minute before now, and reaches `DELTA_OVERLAP_MS` back before the cursor, so a
 * notice that shows up late, dated before the last window's end, is still met. Its id is the
 * cursor, so two planners that read the same cursor plan the same window. Null while the new part
 * is shorter than `minNewMs`: a duplicated or early tick then plans nothing. No bound falls in the
 * repeated autumn hour, which a service could read as either of two instants: the end moves back
 * out of it (the next window starts from there), the start moves back further (more overlap).
 */
export function planDeltaWindow<Name extends string>(source: Name, cursor: Date, now: Date, minNewMs: number): PlannedWindow<Name> | null {
  const to = unambiguousAtOrBefore(new Date(now.getTime() - DELTA_LAG_MS));
  if (to.getTime() - cursor.getTime() < minNewMs) return null;
  const from = unambiguousAtOrBefore(new Date(cursor.getTime() - DELTA_OVERLAP_MS));
  return { _id: `${source}:delta:${cursor.toISOString()}`, source, span: 'delta', from, to };
}

/** A delta stops this far short of now: what is published in the last seconds comes with the next tick. */
export const DELTA_LAG_MS = 60_000;
/** How far each delta window reaches back over the previous one, for notices indexed late. */
export const DELTA_OVERLAP_MS = 15 * 60_000;

const HOUR = 3_600_000;

/**
 * Splits a range into consecutive slices of at most `maxSliceMs` as the service may read them
 * (./ukClockBounds.ts): on a clock-change night a slice is cut back by whole hours until its end
 * names one instant and no reading of it is longer. A window's own end cannot move (the windows
 * planned here never end in the repeated hour), so only its reading is checked.
 */
export function nextSlice(window: TimeRange, after: Date, maxSliceMs: number): TimeRange | null {
  if (after >= window.to) return null;
  const longest = Math.min(after.getTime() + maxSliceMs, window.to.getTime());
  for (let end = longest; end > after.getTime(); end -= HOUR) {
    const slice = { from: after, to: new Date(end) };
    const endNamesOneInstant = end === window.to.getTime() || !ukLocalIsAmbiguous(slice.to);
    if (endNamesOneInstant && longestReadingMs(slice) <= maxSliceMs) return slice;
  }
  // Only slices shorter than about three hours (the repeated hour and the one before it take two
  // steps) can find no such end: cut plainly rather than stall.
  return { from: after, to: new Date(longest) };
}

export function startOfMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

function addMonths(date: Date, months: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
}

function maxDate(a: Date, b: Date): Date {
  return a > b ? a : b;
}
