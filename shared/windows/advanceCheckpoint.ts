import type { TimeRange } from '../sources/source.ts';
import type { Checkpoint, Hole } from './window.ts';
import { nextSlice } from './planWindows.ts';
import { splitPoint } from './ukClockBounds.ts';

/** What one page gave: how many releases and the service's `links.next` (null on the last page). */
export interface PageOutcome {
  releases: number;
  nextUrl: string | null;
}

export interface Advance {
  checkpoint: Checkpoint;
  /** Something worth recording on the window (a defect met and how it was handled). */
  event?: string;
}

/** A slice is not split below this: the defect is then accepted and recorded. */
export const MIN_SLICE_MS = 15 * 60_000;

export function firstCheckpoint(window: TimeRange, maxSliceMs: number): Checkpoint {
  const slice = nextSlice(window, window.from, maxSliceMs);
  return {
    sliceFrom: window.from,
    sliceTo: slice ? slice.to : window.to,
    nextUrl: null,
    pages: 0,
    releasesFetched: 0,
    suspiciousRetries: 0,
    holes: [],
    complete: slice === null,
  };
}

/**
 * The checkpoint after a page has been fetched and its releases handed to the write queue.
 * Written to syncJobs only after that hand-off, so a crash repeats at most that one page, and
 * the cursor never moves back. A full page without `links.next` is a known FTS defect (the link
 * went missing mid-window for weeks in 2026): ask again once, then halve the slice.
 */
export function advanceCheckpoint(current: Checkpoint, window: TimeRange, page: PageOutcome, limit: number, maxSliceMs: number): Advance {
  const counted = { ...current, pages: current.pages + 1, releasesFetched: current.releasesFetched + page.releases };
  if (page.nextUrl) return { checkpoint: { ...counted, nextUrl: page.nextUrl, suspiciousRetries: 0 } };

  const slice = `${current.sliceFrom.toISOString()}..${current.sliceTo.toISOString()}`;
  if (page.releases >= limit) {
    if (current.suspiciousRetries === 0) {
      return {
        checkpoint: { ...counted, suspiciousRetries: 1 },
        event: `full page (${page.releases}) without links.next in slice ${slice}: asking again`,
      };
    }
    const length = current.sliceTo.getTime() - current.sliceFrom.getTime();
    if (length / 2 >= MIN_SLICE_MS) {
      // About half; never in the repeated autumn hour, where FTS could read the bound two ways.
      const sliceTo = splitPoint({ from: current.sliceFrom, to: current.sliceTo });
      return {
        checkpoint: { ...counted, sliceTo, nextUrl: null, suspiciousRetries: 0 },
        event: `full page without links.next again in slice ${slice}: split at ${sliceTo.toISOString()}`,
      };
    }
    return moveToNextSlice(counted, window, maxSliceMs, `full page without links.next in ${slice}, too short to split: accepted as is`);
  }
  return moveToNextSlice(counted, window, maxSliceMs);
}

/**
 * A page that could not be read, even after its retries. Without it there is no `links.next`, so
 * the rest of its slice cannot be reached: that is recorded as a hole, and the chain goes on with
 * the next slice, so the rest of the window is still fetched. The window then ends failed, not
 * done (endOfChain), and the producer starts it again while attempts remain.
 */
export function recordHole(current: Checkpoint, window: TimeRange, page: { url: string; reason: string }, maxSliceMs: number): Advance {
  const hole: Hole = { sliceFrom: current.sliceFrom, sliceTo: current.sliceTo, page: current.pages, pageUrl: page.url, reason: page.reason };
  const counted = { ...current, pages: current.pages + 1, holes: [...current.holes, hole] };
  return moveToNextSlice(counted, window, maxSliceMs, `unreadable page (${page.reason}), a hole: ${describeHole(hole)}: ${page.url}`);
}

export type ChainEnd = { state: 'fetched' } | { state: 'failed'; reason: string };

/**
 * How a fetch chain ends once every slice was asked for: `fetched` (the window then waits for its
 * writes), or `failed` while a hole is open, with a reason naming each hole. A hole is never closed
 * over: failed, the window is started again while attempts remain, then stays failed, visible.
 */
export function endOfChain(checkpoint: Pick<Checkpoint, 'holes'>): ChainEnd {
  const { holes } = checkpoint;
  if (holes.length === 0) return { state: 'fetched' };
  const what = holes.length === 1 ? 'an unreadable page left a hole' : `${holes.length} unreadable pages left holes`;
  const named = holes.slice(0, HOLES_NAMED).map((h) => `${describeHole(h)}: ${h.reason}`);
  if (holes.length > HOLES_NAMED) named.push(`${holes.length - HOLES_NAMED} more in checkpoint.holes`);
  return { state: 'failed', reason: `${what}: ${named.join('; ')}` };
}

/** Holes a failure reason names; the window's checkpoint keeps them all. */
const HOLES_NAMED = 3;

/** Says what is known: which slice, from which page; not how many releases (no total is given). */
function describeHole(hole: Hole): string {
  return `slice ${hole.sliceFrom.toISOString()}..${hole.sliceTo.toISOString()} not fetched from page ${hole.page} on (how many releases is unknown)`;
}

/** The slice is finished: go on with the next. */
export function moveToNextSlice(current: Checkpoint, window: TimeRange, maxSliceMs: number, event?: string): Advance {
  const slice = nextSlice(window, current.sliceTo, maxSliceMs);
  const checkpoint: Checkpoint = slice
    ? { ...current, sliceFrom: slice.from, sliceTo: slice.to, nextUrl: null, suspiciousRetries: 0 }
    : { ...current, nextUrl: null, suspiciousRetries: 0, complete: true };
  return event ? { checkpoint, event } : { checkpoint };
}
