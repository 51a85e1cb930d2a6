import type { WindowPick } from './pickWindowsToFetch.ts';
import { planMonthWindows, type PlannedWindow } from './planWindows.ts';
import { unambiguousAtOrBefore } from './ukClockBounds.ts';
import type { Verification, WindowDoc } from './window.ts';

/**
 * Continuous reconciliation, the pure part: the history is walked again and again, a month at a
 * time, by one `reconcile` window per month (id `<source>:reconcile:<YYYY-MM>`) that is started
 * anew for each pass. Only once the backfill is done, and one walk per source at a time, so it
 * takes only the budget the deltas and the backfill leave (docs/design.md, Reconciliation).
 */

/**
 * The months a pass walks: every UTC month from the source's start date up to what the deltas
 * have walked (`cursor`, the source's), those months included, but the last `RECENT_LEFT_MS`
 * (ending on a whole hour, out of the repeated autumn hour), as reconcile windows. Pure; the
 * running month keeps its id while its end grows.
 */
export function reconcileTargets<Name extends string>(source: Name, startDate: Date, cursor: Date): PlannedWindow<Name>[] {
  const end = unambiguousAtOrBefore(new Date(Math.floor((cursor.getTime() - RECENT_LEFT_MS) / HOUR) * HOUR));
  return planMonthWindows(source, startDate, end).map((month) => ({ ...month, _id: `${source}:reconcile:${month._id.slice(source.length + 1)}`, span: 'reconcile' }));
}

/** The last hour is the deltas' alone: they walk it every five minutes. */
const RECENT_LEFT_MS = 3_600_000;
const HOUR = 3_600_000;

/** What the planner reads of a recorded reconcile window. */
export type RecordedWalk = Pick<WindowDoc, '_id' | 'seq' | 'state' | 'from' | 'to' | 'attempts'> & { verification?: Pick<Verification, 'passes' | 'verifiedAt'> };

export type NextWalk =
  /** A month never walked: record its window. */
  | { kind: 'plan'; window: PlannedWindow }
  /** A month walked before (or given up on): start its window again, as a new generation, over the month as it is now (`target`). */
  | { kind: 'restart'; window: RecordedWalk; target: PlannedWindow };

/**
 * Whether a walk may start now: not while a month of the history is still open (deltas first,
 * then the backfill, then reconciliation), nor while a walk is open (one at a time per source). A
 * window that failed with no attempts left blocks nothing: it stays failed, visible.
 */
export function mayStartWalk(open: readonly Pick<WindowPick, 'span' | 'state' | 'attempts'>[], maxAttempts: number): boolean {
  return !open.some((w) => w.span !== 'delta' && !(w.state === 'failed' && w.attempts >= maxAttempts));
}

/**
 * The month to walk next: the one walked fewest times, then the one verified longest ago (never
 * first), then the oldest; so a pass goes through the history in order, and a month that joins
 * the history since the last pass is walked first. A walk given up on (failed, no attempts left)
 * counts as walked in this pass, so one month the service cannot serve does not hold the pass.
 * Null when no month is due (no history yet).
 */
export function nextWalk(targets: readonly PlannedWindow[], recorded: readonly RecordedWalk[], maxAttempts: number): NextWalk | null {
  const byId = new Map(recorded.map((w) => [w._id, w]));
  const candidates = targets.map((target) => {
    const walk = byId.get(target._id);
    const givenUp = walk?.state === 'failed' && walk.attempts >= maxAttempts;
    return { target, walk, passes: (walk?.verification?.passes ?? 0) + (givenUp ? 1 : 0), verifiedAt: walk?.verification?.verifiedAt.getTime() ?? -Infinity };
  });
  candidates.sort((a, b) => a.passes - b.passes || a.verifiedAt - b.verifiedAt || a.target.from.getTime() - b.target.from.getTime());
  const first = candidates[0];
  if (!first) return null;
  return first.walk ? { kind: 'restart', window: first.walk, target: first.target } : { kind: 'plan', window: first.target };
}
