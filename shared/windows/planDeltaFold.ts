import type { WindowDoc } from './window.ts';

/**
 * Delta windows come every five minutes (deltaTicks.ts), 105,000 a year per source: finished ones
 * are folded away so `syncJobs` stays small. A fold is a record of its own (kind 'deltaFold') that
 * carries the running totals of every delta window folded so far and names the windows it folded,
 * which are then deleted. Folds are numbered: the unique id of fold n+1 decides which of two
 * racing producers folds (the other does nothing), and a crash between recording a fold and
 * deleting its windows is finished by the next run, which deletes what the newest fold names.
 */
export interface DeltaFold {
  seq: number;
  /** The windows this fold takes in (deleted once it is recorded). */
  folded: string[];
  /** Running totals over every fold up to this one. */
  windows: number;
  releasesWritten: number;
  quarantined: number;
  /** The end of the newest delta window folded: the copy is at least this fresh. */
  to: Date;
}

export type FoldCandidate = Pick<WindowDoc, '_id' | 'state' | 'span' | 'to' | 'releasesWritten' | 'quarantined'>;

/**
 * A done delta window stays visible until it ended this long ago (on the planners' clock, which
 * set its end), so a late duplicate of its fetch message still finds it (and is ignored as stale)
 * and the last hour can be read window by window.
 */
export const FOLD_AFTER_MS = 60 * 60_000;

/**
 * The next fold: every done delta window that ended at least `foldAfterMs` ago, on top of the previous fold's
 * totals; null when there is none. Windows not done (in flight, failed) are never folded: they stay
 * visible and are retried as any window.
 */
export function planDeltaFold(previous: DeltaFold | null, windows: readonly FoldCandidate[], now: Date, foldAfterMs: number): DeltaFold | null {
  const ready = windows.filter((w) => w.span === 'delta' && w.state === 'done' && now.getTime() - w.to.getTime() >= foldAfterMs);
  if (ready.length === 0) return null;
  const newestEnd = Math.max(previous?.to.getTime() ?? 0, ...ready.map((w) => w.to.getTime()));
  return {
    seq: (previous?.seq ?? 0) + 1,
    folded: ready.map((w) => w._id),
    windows: (previous?.windows ?? 0) + ready.length,
    releasesWritten: (previous?.releasesWritten ?? 0) + ready.reduce((sum, w) => sum + w.releasesWritten, 0),
    quarantined: (previous?.quarantined ?? 0) + ready.reduce((sum, w) => sum + w.quarantined, 0),
    to: new Date(newestEnd),
  };
}
