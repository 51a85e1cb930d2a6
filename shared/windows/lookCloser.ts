import type { TimeRange } from '../sources/source.ts';
import type { PlannedWindow } from './planWindows.ts';
import { splitPoint } from './ukClockBounds.ts';
import type { WindowDoc } from './window.ts';

/** A closer look is not cut below an hour: a slice shorter than two is not halved. */
export const MIN_CLOSER_MS = 3_600_000;

/** The walk a window's findings belong to: a closer look's is the walk it looks closer for. */
export function walkOf(window: Pick<WindowDoc, '_id' | 'generation' | 'closerOf'>): { walkId: string; generation: number } {
  return window.closerOf ?? { walkId: window._id, generation: window.generation };
}

/**
 * Where slicing may hide releases, look closer: a slice whose walk found notices the copy did not
 * hold (`newlyMissing`, not already found in this pass) is walked again as its two halves, each a
 * reconcile window of its own (`closerOf` the walk), down to an hour; their findings keep their
 * own, shorter slice bounds, so a loss that only long windows show has its shape recorded. Pure.
 */
export function closerLooks(window: Pick<WindowDoc, '_id' | 'generation' | 'closerOf' | 'source'>, slice: TimeRange, newlyMissing: number): (PlannedWindow & Pick<WindowDoc, 'closerOf'>)[] {
  if (newlyMissing === 0 || slice.to.getTime() - slice.from.getTime() < 2 * MIN_CLOSER_MS) return [];
  const middle = splitPoint(slice);
  const walk = walkOf(window);
  return [
    { from: slice.from, to: middle },
    { from: middle, to: slice.to },
  ].map((half) => ({ _id: `${walk.walkId}#${walk.generation}:${half.from.toISOString()}..${half.to.toISOString()}`, source: window.source, span: 'reconcile', ...half, closerOf: walk }));
}
