import type { Db } from 'mongodb';
import type { ChangeKind } from './changes.ts';
import { COLLECTIONS } from './db.ts';

/**
 * A webhook subscription (docs/webhooks.md): matching changes of the feed are POSTed to `url`,
 * signed with `secret`, in cursor order; `cursor` is the feed's cursor delivered up to, moved only
 * after the receiver answered 2xx, by compare-and-set. The secret is kept because signing needs it,
 * and never leaves this collection: answers and logs show `publicView`.
 */
export interface WebhookDoc {
  _id: string;
  url: string;
  secret: string;
  filter: WebhookFilter;
  cursor: number;
  /** Changes delivered (2xx) so far. */
  delivered: number;
  /** Failed POSTs since the last delivery; 0 once one succeeds. */
  failures: number;
  lastError: string | null;
  lastDeliveredAt: Date | null;
  lastFailedAt: Date | null;
  createdAt: Date;
}

/** Which changes a subscription wants: every condition given must hold; none given, every change. */
export interface WebhookFilter {
  sources?: string[];
  kinds?: ChangeKind[];
  /** The contract has a CPV code starting with one of these (`45` a division, `4523` a class). */
  cpvPrefixes?: string[];
  /** The buyer's region or a delivery region is one of these (UK_REGIONS). */
  regions?: string[];
  /** The contract's value range overlaps [valueMin, valueMax]; a contract without a value does not match. */
  valueMin?: number;
  valueMax?: number;
}

export type WebhookView = Omit<WebhookDoc, 'secret'>;

export const webhooksCollection = (db: Db) => db.collection<WebhookDoc>(COLLECTIONS.webhooks);

/** A subscription as answers and logs may show it: everything but the secret. */
export function publicView({ secret: _, ...view }: WebhookDoc): WebhookView {
  return view;
}

export async function insertWebhook(db: Db, webhook: Pick<WebhookDoc, '_id' | 'url' | 'secret' | 'filter' | 'cursor'>, now: Date): Promise<WebhookDoc> {
  const doc: WebhookDoc = { ...webhook, delivered: 0, failures: 0, lastError: null, lastDeliveredAt: null, lastFailedAt: null, createdAt: now };
  await webhooksCollection(db).insertOne(doc);
  return doc;
}

export async function listWebhooks(db: Db): Promise<WebhookView[]> {
  return webhooksCollection(db).find({}, { projection: { secret: 0 } }).sort({ createdAt: 1 }).toArray();
}

export async function webhookIds(db: Db): Promise<string[]> {
  return (await webhooksCollection(db).find({}, { projection: { _id: 1 } }).toArray()).map((w) => w._id);
}

/**
 * Moves a subscription's cursor from `from` to `to`, `delivered` more changes delivered; false when
 * its cursor is no longer `from` (another delivery moved it: the caller stops, that one goes on).
 */
export async function advanceWebhook(db: Db, id: string, from: number, to: number, delivered: number, now: Date): Promise<boolean> {
  const set = delivered > 0 ? { cursor: to, failures: 0, lastError: null, lastDeliveredAt: now } : { cursor: to };
  const result = await webhooksCollection(db).updateOne({ _id: id, cursor: from }, { $set: set, $inc: { delivered } });
  return result.matchedCount === 1;
}

/** Notes a failed POST (its reason names no secret and no URL path: deliverWebhook.ts). */
export async function noteWebhookFailure(db: Db, id: string, reason: string, now: Date): Promise<void> {
  await webhooksCollection(db).updateOne({ _id: id }, { $set: { lastError: reason, lastFailedAt: now }, $inc: { failures: 1 } });
}

/** The feed's newest cursor (entries and batch markers alike), 0 while it is empty: where a new subscription starts. */
export async function newestCursor(db: Db): Promise<number> {
  const newest = await db.collection<{ cursor: number }>(COLLECTIONS.changes).find({ cursor: { $gt: 0 } }, { projection: { cursor: 1 } }).sort({ cursor: -1 }).limit(1).next();
  return newest?.cursor ?? 0;
}
