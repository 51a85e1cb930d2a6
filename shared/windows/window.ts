import type { SourceName } from '../sources/sourceName.ts';

/**
 * A window is one date range of one source, fetched and written as a unit. `syncJobs` holds one
 * document per window (kind 'window') beside one per source (kind 'source').
 *
 * Life of a window:  pending → queued → fetching → fetched → done
 *                                   ↘ failed (reason in lastError; the producer restarts it)
 * A window whose chain met a page it could not read ends failed, never done (checkpoint.holes).
 * - `seq` fences the fetch chain: a fetch message is obeyed only if its seq equals the window's,
 *   so a duplicate, a stale redelivery or a superseded chain is recognised and dropped.
 * - `generation` counts fresh starts: write-part keys carry it, so parts written for an older
 *   attempt never count toward closing a newer one.
 * - One writer at a time: while fetching, only the lease holder updates the window; stored write
 *   parts are separate documents (`windowParts`), so the write consumer never races it. (FerretDB,
 *   the local stand-in, loses one of two concurrent updates to a document; MongoDB does not.)
 */
export type WindowState = 'pending' | 'queued' | 'fetching' | 'fetched' | 'done' | 'failed';

export interface WindowDoc {
  _id: string;
  kind: 'window';
  source: SourceName;
  /**
   * `month` windows split the history; `delta` windows follow it hourly; a `reconcile` window walks
   * one month again with spare budget, once per pass (windows/reconciliation.ts).
   */
  span: WindowSpan;
  from: Date;
  to: Date;
  state: WindowState;
  seq: number;
  generation: number;
  checkpoint: Checkpoint;
  /** Write messages sent per page of the current generation: `{ p0: 2, p1: 1 }`. */
  pageParts: Record<string, number>;
  /** Releases stored, summed from the window's parts when it closes (parts live in `windowParts`). */
  releasesWritten: number;
  quarantined: number;
  attempts: number;
  lease: { holder: string; until: Date } | null;
  lastError: string | null;
  events: string[];
  createdAt: Date;
  updatedAt: Date;
  doneAt: Date | null;
  /** A reconcile window's last finished walk (absent before its first). */
  verification?: Verification;
  /** A closer look at a slice of that walk's pass, which found notices the copy lacked (windows/lookCloser.ts). */
  closerOf?: { walkId: string; generation: number };
}

export type WindowSpan = 'month' | 'delta' | 'reconcile';

/**
 * What a reconcile window's latest walk of its month found. `passes` counts the walks finished
 * (the window's generation + 1), so the pass that walks it next is `passes + 1`.
 */
export interface Verification {
  passes: number;
  /** The window's generation that walked it: recorded once per walk, whoever closes the window. */
  generation: number;
  verifiedAt: Date;
  pages: number;
  releases: number;
  /** Findings of the walk by kind (store/reconciliation.ts keeps each one). */
  missing: number;
  newer: number;
}

/** Where the fetch chain of a window stands; moved forward only by `advanceCheckpoint`. */
export interface Checkpoint {
  /** The slice being paged: at most the source's `maxSliceMs`. */
  sliceFrom: Date;
  sliceTo: Date;
  /** The next page to request inside the slice; null = the slice's first page. */
  nextUrl: string | null;
  /** Pages fetched in this generation, so also the index of the next page. */
  pages: number;
  releasesFetched: number;
  /**
   * Where the slice really ends when `sliceTo` was moved down below a full page without
   * `links.next`; the next slice starts here. Null otherwise (absent in checkpoints stored before it).
   */
  resumeAt?: Date | null;
  /** Pages of this generation that could not be read, each leaving the rest of its slice unfetched. */
  holes: Hole[];
  /** All slices asked for: the window waits only for its writes, unless it has holes. */
  complete: boolean;
  /**
   * A reconciliation walk's sample of stored procurements (ocids) still to be asked through the
   * source's record endpoint, drawn once every slice is asked for (absent: not drawn yet; empty: done).
   */
  records?: string[];
}

/**
 * A page that could not be read, even after its retries (its raw text is in `quarantine`). Without
 * it there is no `links.next`, so the releases on it and on the rest of its slice were not fetched.
 * How many they are is not known: neither service gives a total.
 */
export interface Hole {
  sliceFrom: Date;
  sliceTo: Date;
  /** The page's index in this generation (the key of its `pageParts`) and its URL. */
  page: number;
  pageUrl: string;
  reason: string;
}
