import type { Db } from 'mongodb';
import { readChanges, type Change } from '../../shared/changes/readChanges.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { advanceWebhook, noteWebhookFailure, type WebhookDoc } from '../../shared/store/webhooks.ts';
import { contractsOf, matchesFilter, type FilterFields } from './matchesFilter.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';

/** Feed documents read per page, pages and POSTs per message: then the message sends itself again. */
export const DELIVERY_BOUNDS = { pageSize: 500, pages: 10, deliveries: 50 };
/** A receiver that has not answered by then counts as failed. */
const POST_TIMEOUT_MS = 10_000;

/** The contract fields a delivery carries beside its entry, and the filter reads. */
const CONTRACT_FIELDS = ['source', 'ocid', 'noticeId', 'title', 'status', 'cpvCodes', 'buyerName', 'buyerRegion', 'deliveryRegions', 'valueMin', 'valueMax', 'currency', 'deadlineDate', 'sourceUrl'];

/** What a receiver gets: `id` is the idempotency key (subscription and entry), the same on every retry. */
export interface Delivery {
  id: string;
  subscription: string;
  change: Change;
  /** The notice's contract as stored now (an entry about a procurement as a whole has none). */
  contract?: Record<string, unknown>;
}

export type DeliveryOutcome =
  /** Nothing matching left to read for now. */
  | 'caught up'
  /** A bound was reached: send the message again. */
  | 'more'
  /** Stopped at a batch still being written (shared/changes/readableChanges.ts): look again later. */
  | 'waiting'
  /** Another delivery moved the cursor first: it goes on. */
  | 'overtaken';

export const deliveryKey = (subscription: string, changeId: string): string => `${subscription}:${changeId}`;

/**
 * Delivers a subscription's matching changes after its cursor, through the reader GET /changes uses
 * (so it never passes a batch still being written), one POST at a time in cursor order. The cursor
 * moves only after a 2xx, by compare-and-set: at-least-once on the wire (a crash between the 2xx
 * and the save sends that change again, under the same `id`), exactly once for a receiver that
 * drops an `id` it has seen. Past entries the filter leaves out, it moves once per page. A failed
 * POST is noted on the subscription and thrown: the message is retried with a backoff.
 */
export async function deliverWebhook(db: Db, webhook: WebhookDoc, now: () => Date, post: typeof fetch = fetch, bounds = DELIVERY_BOUNDS): Promise<{ outcome: DeliveryOutcome; delivered: number }> {
  let cursor = webhook.cursor;
  let delivered = 0;
  const { sources, kinds } = webhook.filter;
  for (let pages = 0; pages < bounds.pages; pages++) {
    const page = await readChanges(db, { after: cursor, limit: bounds.pageSize, ...(sources && { sources }), ...(kinds && { kinds }) }, now());
    if (page.expired) {
      // Entries after the cursor may have expired: go on from the oldest kept, and say so.
      if (!(await advanceWebhook(db, webhook._id, cursor, 0, 0, now()))) return { outcome: 'overtaken', delivered };
      await noteWebhookFailure(db, webhook._id, `cursor ${cursor} older than the feed keeps: changes before ${page.oldest} may not have been delivered`, now());
      cursor = 0;
      continue;
    }
    const contracts = await contractsOfPage(db, page.changes);
    for (const change of page.changes) {
      const about = contractsOf(change, contracts);
      if (!matchesFilter(webhook.filter, change, about)) continue;
      if (delivered >= bounds.deliveries) return { outcome: 'more', delivered };
      const contract = change.noticeId === undefined ? undefined : about[0];
      await postDelivery(db, webhook, { id: deliveryKey(webhook._id, change.id), subscription: webhook._id, change, ...(contract && { contract: contract as unknown as Record<string, unknown> }) }, now, post);
      if (!(await advanceWebhook(db, webhook._id, cursor, change.cursor, 1, now()))) return { outcome: 'overtaken', delivered };
      cursor = change.cursor;
      delivered++;
    }
    if (page.next > cursor) {
      if (!(await advanceWebhook(db, webhook._id, cursor, page.next, 0, now()))) return { outcome: 'overtaken', delivered };
      cursor = page.next;
    }
    if (page.waitingOn !== undefined) return { outcome: 'waiting', delivered };
    if (page.caughtUp) return { outcome: 'caught up', delivered };
  }
  return { outcome: 'more', delivered };
}

async function postDelivery(db: Db, webhook: WebhookDoc, delivery: Delivery, now: () => Date, post: typeof fetch): Promise<void> {
  const body = JSON.stringify(delivery);
  let failure: string | null = null;
  try {
    const response = await post(webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': delivery.id, [SIGNATURE_HEADER]: await signatureHeader(webhook.secret, body, now()) },
      body,
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) failure = `answered ${response.status}`;
  } catch (error) {
    failure = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${POST_TIMEOUT_MS / 1000} s` : 'unreachable';
  }
  if (failure === null) return;
  // Only the host: a receiver's URL may carry a token in its path or query.
  const reason = `POST to ${new URL(webhook.url).host} ${failure} (change ${delivery.change.cursor})`;
  await noteWebhookFailure(db, webhook._id, reason, now());
  throw new Error(`webhook ${webhook._id}: ${reason}`);
}

/** The contracts of the page's procurements, by `{source, ocid}` (index source_ocid): one read. */
async function contractsOfPage(db: Db, changes: readonly Change[]): Promise<FilterFields[]> {
  if (changes.length === 0) return [];
  const bySource = new Map<string, Set<string>>();
  for (const change of changes) bySource.set(change.source, (bySource.get(change.source) ?? new Set()).add(change.ocid));
  const projection = Object.fromEntries(CONTRACT_FIELDS.map((field) => [field, 1]));
  return db
    .collection<FilterFields>(COLLECTIONS.contracts)
    .find({ $or: [...bySource].map(([source, ocids]) => ({ source, ocid: { $in: [...ocids] } })) }, { projection })
    .toArray();
}
