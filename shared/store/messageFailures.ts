import type { Db } from 'mongodb';
import type { WorkQueueName } from '../queue/messages.ts';
import { COLLECTIONS } from './db.ts';
import { hashId } from './hashId.ts';

/**
 * The last error of each message that failed an attempt, keyed by queue and body (the same key a
 * dead letter gets). When Cloudflare dead-letters a message after its retries, the bare body
 * arrives on the dead-letter queue without a reason; this is where the reason is found.
 */
export const messageKey = (queue: WorkQueueName, body: unknown): string => hashId(`${queue}|${JSON.stringify(body)}`);

export async function noteFailure(db: Db, queue: WorkQueueName, body: unknown, error: string, attempts: number, now: Date): Promise<void> {
  await db
    .collection<{ _id: string }>(COLLECTIONS.messageFailures)
    .updateOne({ _id: messageKey(queue, body) }, { $set: { queue, error, attempts, at: now } }, { upsert: true });
}

export async function lastFailure(db: Db, queue: WorkQueueName, body: unknown): Promise<string | null> {
  const doc = await db.collection<{ _id: string; error: string }>(COLLECTIONS.messageFailures).findOne({ _id: messageKey(queue, body) });
  return doc?.error ?? null;
}
