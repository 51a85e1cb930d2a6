import type { Db } from 'mongodb';
import { batchMarkerId, batchOf, type ChangeDoc, type ChangeKind, type FeedDoc } from '../store/changes.ts';
import { COLLECTIONS } from '../store/db.ts';
import { sideBySide } from '../store/sideBySide.ts';
import { batchesToCheck, readableChanges } from './readableChanges.ts';

export interface ChangesQuery {
  /** The cursor of the last entry read (0: from the oldest kept). */
  after: number;
  limit: number;
  sources?: readonly string[];
  kinds?: readonly ChangeKind[];
}

/** An entry as GET /changes answers it. */
export type Change = Omit<ChangeDoc, '_id'> & { id: string };

export type ChangesPage =
  | {
      expired: false;
      changes: Change[];
      /** Where to read on from: the last cursor passed (past entries the filters left out too), or `after` when none was. */
      next: number;
      /** Nothing readable after `next` for now. */
      caughtUp: boolean;
      /** The batch the page stopped at, still being written (readableChanges.ts). */
      waitingOn?: number;
    }
  | { expired: true; oldest: number | null };

/**
 * A page of the change feed after `query.after`: up to `limit` of the feed's documents in cursor
 * order (entries and batch markers), cut where a reader could miss an entry stored later
 * (readableChanges.ts), then filtered. A cursor whose entry has expired, older than the oldest
 * kept, is answered `expired`: the entries after it may be gone.
 */
export async function readChanges(db: Db, query: ChangesQuery, now: Date): Promise<ChangesPage> {
  const feed = db.collection<FeedDoc>(COLLECTIONS.changes);
  if (query.after > 0) {
    const [atCursor, oldest] = await sideBySide(
      feed.findOne({ cursor: query.after }, { projection: { _id: 1 } }),
      feed.find({ cursor: { $gt: 0 } }, { projection: { cursor: 1 } }).sort({ cursor: 1 }).limit(1).next(),
    );
    if (!atCursor && (!oldest || query.after < oldest.cursor)) return { expired: true, oldest: oldest?.cursor ?? null };
  }
  const rows = await feed.find({ cursor: { $gt: query.after } }).sort({ cursor: 1 }).limit(query.limit).toArray();
  const toCheck = batchesToCheck(rows);
  const markers = toCheck.length === 0 ? [] : await feed.find({ _id: { $in: toCheck.map(batchMarkerId) } }, { projection: { cursor: 1 } }).toArray();
  const { readable, waitingOn } = readableChanges(rows, query.after, now, new Set(markers.map((m) => batchOf(m.cursor))));
  const changes = readable
    .filter((row): row is ChangeDoc => row.kind !== 'batch')
    .filter((row) => (!query.sources || query.sources.includes(row.source)) && (!query.kinds || query.kinds.includes(row.kind)))
    .map(({ _id, ...entry }) => ({ id: _id, ...entry }));
  return {
    expired: false,
    changes,
    next: readable.at(-1)?.cursor ?? query.after,
    caughtUp: readable.length === rows.length && rows.length < query.limit,
    ...(waitingOn !== undefined && { waitingOn }),
  };
}
