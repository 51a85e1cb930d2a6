import type { Db } from 'mongodb';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { FeedDoc } from '../../shared/store/changes.ts';
import { newestCursor, webhooksCollection } from '../../shared/store/webhooks.ts';

/** Entries counted behind a subscription at most: past it the page says "more than". */
export const LAG_COUNT_CAP = 10_000;

/** The change feed and its webhook subscriptions, as the status shows them. */
export interface FeedStatus {
  newestCursor: number;
  webhooks: {
    id: string;
    /** The receiver's host only: its URL's path or query may hold a token. */
    host: string;
    cursor: number;
    /** Entries after its cursor, its filter not applied (at most LAG_COUNT_CAP + 1). */
    entriesBehind: number;
    /** When the oldest entry after its cursor was appended: how far behind it is in time (null: caught up). */
    behindSince: Date | null;
    delivered: number;
    failures: number;
    lastError: string | null;
    lastDeliveredAt: Date | null;
  }[];
}

/** Bounded reads: the newest cursor, then per subscription a capped count and one entry by the cursor index. */
export async function readFeedStatus(db: Db): Promise<FeedStatus> {
  const feed = db.collection<FeedDoc>(COLLECTIONS.changes);
  const [newest, webhooks] = await Promise.all([newestCursor(db), webhooksCollection(db).find({}, { projection: { secret: 0 } }).sort({ createdAt: 1 }).toArray()]);
  return {
    newestCursor: newest,
    webhooks: await Promise.all(
      webhooks.map(async (w) => {
        const behind = { cursor: { $gt: w.cursor }, kind: { $ne: 'batch' as const } };
        const [entriesBehind, oldest] = await Promise.all([feed.countDocuments(behind, { limit: LAG_COUNT_CAP + 1 }), feed.find(behind, { projection: { at: 1 } }).sort({ cursor: 1 }).limit(1).next()]);
        return { id: w._id, host: new URL(w.url).host, cursor: w.cursor, entriesBehind, behindSince: oldest?.at ?? null, delivered: w.delivered, failures: w.failures, lastError: w.lastError, lastDeliveredAt: w.lastDeliveredAt };
      }),
    ),
  };
}
