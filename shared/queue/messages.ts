import * as v from 'valibot';
import type { MappedRelease } from '../mapping/mappedRelease.ts';
import { SOURCE_NAMES } from '../sources/sourceName.ts';

/**
 * Every message the project puts on a queue, validated by the consumer before it acts. `v` is the
 * schema version: a consumer that meets a version it does not know dead-letters the message at
 * once with that reason, rather than burning retries on it.
 */
export const MESSAGE_VERSION = 1;
const version = v.literal(MESSAGE_VERSION);

/** Fetch the window `windowId`, if the window's chain is still at `seq` (see windows/window.ts). */
export const FetchMessageSchema = v.object({
  v: version,
  type: v.literal('fetch'),
  windowId: v.pipe(v.string(), v.nonEmpty()),
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type FetchMessage = v.InferOutput<typeof FetchMessageSchema>;

export const fetchMessage = (windowId: string, seq: number): FetchMessage => ({ v: MESSAGE_VERSION, type: 'fetch', windowId, seq });

const isoInstant = v.pipe(v.string(), v.isoTimestamp());

/**
 * A delta tick (windows/deltaTicks.ts): plan every source's next delta window as of `at` and
 * enqueue it. Sent delayed by the hourly cron; rides the fetch queue, whose consumer runs it.
 */
export const TickMessageSchema = v.object({
  v: version,
  type: v.literal('tick'),
  at: isoInstant,
});
export type TickMessage = v.InferOutput<typeof TickMessageSchema>;

export const tickMessage = (at: Date): TickMessage => ({ v: MESSAGE_VERSION, type: 'tick', at: at.toISOString() });

/** What the fetch queue carries: window fetches and delta ticks. */
export const FetchQueueMessageSchema = v.variant('type', [FetchMessageSchema, TickMessageSchema]);

const MappedBuyerSchema = v.looseObject({
  orgId: v.pipe(v.string(), v.nonEmpty()),
  name: v.string(),
});

/**
 * A mapped release as it travels (see mapping/mappedRelease.ts): the keys the writer relies on are
 * checked; the rest is mapping's to define, so the shape stays loose.
 */
const MappedReleaseSchema = v.pipe(v.object({
  contract: v.looseObject({
    _id: v.pipe(v.string(), v.nonEmpty()),
    source: v.picklist(SOURCE_NAMES),
    noticeId: v.pipe(v.string(), v.nonEmpty()),
    releaseId: v.pipe(v.string(), v.nonEmpty()),
    releaseDate: isoInstant,
    releaseOrder: v.pipe(v.string(), v.nonEmpty()),
    mappingVersion: v.pipe(v.number(), v.integer(), v.minValue(1)),
  }),
  buyer: v.nullable(MappedBuyerSchema),
  // Absent in messages queued before joint procurements were kept: those name one buyer.
  jointBuyers: v.optional(v.array(MappedBuyerSchema)),
}), v.transform((release) => release as unknown as MappedRelease));

/**
 * One part of one fetched page. A page's releases are split over as many parts as the 128 KB
 * message limit needs; a release too big for any message is parked in `stagedReleases` and only
 * its id travels (`staged`).
 */
export const WriteMessageSchema = v.object({
  v: version,
  type: v.literal('write'),
  windowId: v.pipe(v.string(), v.nonEmpty()),
  generation: v.pipe(v.number(), v.integer(), v.minValue(0)),
  page: v.pipe(v.number(), v.integer(), v.minValue(0)),
  part: v.pipe(v.number(), v.integer(), v.minValue(0)),
  releases: v.array(MappedReleaseSchema),
  staged: v.array(v.string()),
});
export type WriteMessage = v.InferOutput<typeof WriteMessageSchema>;

/**
 * Deliver a webhook subscription's matching changes (consumer/notify/). Without `subscription`:
 * the feed moved, every subscription is due (the consumer sends one message for each). The
 * message only says when to look: what is due is the feed after the subscription's stored cursor.
 */
export const NotifyMessageSchema = v.object({
  v: version,
  type: v.literal('notify'),
  subscription: v.optional(v.pipe(v.string(), v.nonEmpty())),
});
export type NotifyMessage = v.InferOutput<typeof NotifyMessageSchema>;

export const notifyMessage = (subscription?: string): NotifyMessage => ({ v: MESSAGE_VERSION, type: 'notify', ...(subscription !== undefined && { subscription }) });

export const QUEUE_NAMES = ['fetch', 'write', 'notify'] as const;
export type WorkQueueName = (typeof QUEUE_NAMES)[number];

/**
 * What a consumer puts on a dead-letter queue itself, so the reason travels with the body.
 * Cloudflare's own dead-lettering (retries exhausted) delivers the bare body instead.
 */
export const DeadLetterSchema = v.object({
  v: version,
  type: v.literal('dead'),
  queue: v.picklist(QUEUE_NAMES),
  body: v.unknown(),
  error: v.string(),
  attempts: v.number(),
});
export type DeadLetter = v.InferOutput<typeof DeadLetterSchema>;
