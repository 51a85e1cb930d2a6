import type { TimeRange } from '../sources/source.ts';
import type { Checkpoint, Hole } from './window.ts';
import { nextSlice } from './planWindows.ts';
import { splitPoint, unambiguousAtOrAfter } from './ukClockBounds.ts';

/** What one page gave: how many releases, the service's `links.next` (null on the last page) and
 * the oldest release `date` on it (null when none could be dated). */
export interface PageOutcome {
  releases: number;
  nextUrl: string | null;
  oldest: Date | null;
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
    resumeAt: null,
    pages: 0,
    releasesFetched: 0,
    holes: [],
    complete: slice === null,
  };
}

/**
 * The checkpoint after a page has been fetched and its releases handed to the write queue.
 * Written to syncJobs only after that hand-off, so a crash repeats at most that one page, and
 * the cursor never moves back.
 *
 * A full page without `links.next` is what a slice of exactly `limit` releases looks like, and a
 * known FTS defect (the link went missing mid-window for weeks in 2026): asking the same page
 * again gives nothing new either way. Pages come newest first by `date`, so the rest of the slice
 * is at or below the page's oldest release: the slice goes on below it, with a new first request.
 * Only when that moves nothing is the slice halved, or, too short to halve, accepted as is.
 */
export function advanceCheckpoint(current: Checkpoint, window: TimeRange, page: PageOutcome, limit: number, maxSliceMs: number): Advance {
  const counted = { ...current, pages: current.pages + 1, releasesFetched: current.releasesFetched + page.releases };
  if (page.nextUrl) return { checkpoint: { ...counted, nextUrl: page.nextUrl } };
  if (page.releases < limit) return moveToNextSlice(counted, window, maxSliceMs);

  const slice = `${current.sliceFrom.toISOString()}..${current.sliceTo.toISOString()}`;
  const full = `full page (${page.releases}) without links.next in slice ${slice}`;
  const below = page.oldest ? boundAbove(page.oldest) : null;
  if (page.oldest && below && below < current.sliceTo) {
    return {
      // Where the slice really ends is kept: once below the page is paged, the chain goes on from there.
      checkpoint: { ...counted, sliceTo: below, nextUrl: null, resumeAt: current.resumeAt ?? current.sliceTo },
      event: `${full}: continuing below its oldest release (${page.oldest.toISOString()}), slice now ${current.sliceFrom.toISOString()}..${below.toISOString()}`,
    };
  }
  const stuck = `${full}, nothing to continue below (${page.oldest ? `its oldest release, ${page.oldest.toISOString()}, gives no earlier bound` : 'no release on it dated'})`;
  const length = current.sliceTo.getTime() - current.sliceFrom.getTime();
  if (length / 2 >= MIN_SLICE_MS) {
    // About half; never in the repeated autumn hour, where FTS could read the bound two ways. The
    // rest of the slice is not known to be seen, so the next slice starts at the split point.
    const sliceTo = splitPoint({ from: current.sliceFrom, to: current.sliceTo });
    return { checkpoint: { ...counted, sliceTo, nextUrl: null, resumeAt: null }, event: `${stuck}: split at ${sliceTo.toISOString()}` };
  }
  return moveToNextSlice(counted, window, maxSliceMs, `${stuck}, too short to split: accepted as is`);
}

/**
 * The exclusive bound just above a release: bounds are sent to the second, so its second plus one
 * (releases in that second are asked again: harmless, writes are idempotent; none is skipped),
 * moved later out of the repeated autumn hour, where FTS could read it as the earlier instant.
 */
function boundAbove(release: Date): Date {
  return unambiguousAtOrAfter(new Date(Math.floor(release.getTime() / 1000) * 1000 + 1000));
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

/** The procurement a walk asks through the record endpoint next: only once every slice is asked for. */
export function nextRecord(checkpoint: Pick<Checkpoint, 'complete' | 'records'>): string | null {
  return checkpoint.complete ? (checkpoint.records?.[0] ?? null) : null;
}

/** A record request answered (or skipped, `releases` 0): counted as a page, its procurement off the sample. */
export function recordAsked(current: Checkpoint, releases: number): Checkpoint {
  return { ...current, pages: current.pages + 1, releasesFetched: current.releasesFetched + releases, records: (current.records ?? []).slice(1) };
}

/** The slice is finished: go on with the next, from where the slice really ended if it was narrowed. */
export function moveToNextSlice(current: Checkpoint, window: TimeRange, maxSliceMs: number, event?: string): Advance {
  const slice = nextSlice(window, current.resumeAt ?? current.sliceTo, maxSliceMs);
  const checkpoint: Checkpoint = slice
    ? { ...current, sliceFrom: slice.from, sliceTo: slice.to, nextUrl: null, resumeAt: null }
    : { ...current, nextUrl: null, resumeAt: null, complete: true };
  return event ? { checkpoint, event } : { checkpoint };
}
