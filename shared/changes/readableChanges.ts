import { batchOf, isMarkerCursor, SETTLE_MS, type FeedDoc } from '../store/changes.ts';

export interface Readable {
  /** The feed's documents a reader may pass, in cursor order (batch markers among them). */
  readable: FeedDoc[];
  /** The batch the reader stopped at: still being written, or missing and not yet old enough to pass over. */
  waitingOn?: number;
}

/**
 * How far a reader after `after` may go in `rows` (the feed after it, in cursor order) without ever
 * missing an entry stored later. Batches take their numbers in order and write all their entries,
 * then their marker, in one command within SETTLE_MS/2 of taking the number, or never
 * (store/changes.ts appendChanges). So a reader passes a batch when its marker is there
 * (`marked`: markers found apart, for a batch the page cut short), or once it took its number
 * SETTLE_MS ago (a writer cut off mid-command); and passes over a number with nothing stored
 * (a writer that died, or gave up, before writing) once a later batch is that old. It stops at the
 * first batch it may not pass: what that batch writes later has a cursor above where it stopped. Pure.
 */
export function readableChanges(rows: readonly FeedDoc[], after: number, now: Date, marked: ReadonlySet<number>): Readable {
  const settled = (at: Date) => now.getTime() - at.getTime() >= SETTLE_MS;
  // A reader in the middle of a batch (a page ended there) goes on in it; after its marker, at the next.
  let expected = after === 0 ? 1 : isMarkerCursor(after) ? batchOf(after) + 1 : batchOf(after);
  const readable: FeedDoc[] = [];
  for (const group of byBatch(rows)) {
    if (group.batch > expected && !settled(group.at)) return { readable, waitingOn: expected };
    const complete = group.rows.some((row) => row.kind === 'batch') || marked.has(group.batch) || settled(group.at);
    if (!complete) return { readable, waitingOn: group.batch };
    readable.push(...group.rows);
    expected = group.batch + 1;
  }
  return { readable };
}

/** The batches of the rows without their marker among them, which readableChanges would wait on unless it is stored. */
export function batchesToCheck(rows: readonly FeedDoc[]): number[] {
  return byBatch(rows).filter((group) => !group.rows.some((row) => row.kind === 'batch')).map((group) => group.batch);
}

function byBatch(rows: readonly FeedDoc[]): { batch: number; at: Date; rows: FeedDoc[] }[] {
  const groups: { batch: number; at: Date; rows: FeedDoc[] }[] = [];
  for (const row of rows) {
    const batch = batchOf(row.cursor);
    const last = groups.at(-1);
    if (last?.batch === batch) last.rows.push(row);
    else groups.push({ batch, at: row.at, rows: [row] });
  }
  return groups;
}
