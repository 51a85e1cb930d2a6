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

interface FailureDoc {
  _id: string;
  queue: WorkQueueName;
  error: string;
  attempts: number;
  at: Date;
  /** The Cloudflare message whose failures `failures` counts: a replayed or repeated body is another message. */
  messageId: string;
  failures: number;
}

const failuresOf = (db: Db) => db.collection<FailureDoc>(COLLECTIONS.messageFailures);

/**
 * Notes a failed attempt of a delivered message and returns how many of its deliveries have failed
 * so far. Not its `attempts`: those also count the deliveries that found MongoDB unreachable.
 */
export async function noteFailure(db: Db, queue: WorkQueueName, message: Pick<Message, 'id' | 'body' | 'attempts'>, error: string, now: Date): Promise<number> {
  const failures = failuresOf(db);
  const _id = messageKey(queue, message.body);
  const noted = { queue, error, attempts: message.attempts, at: now };
  const counted = await failures.findOneAndUpdate({ _id, messageId: message.id }, { $set: noted, $inc: { failures: 1 } }, { returnDocument: 'after' });
  if (counted) return counted.failures;
  await failures.replaceOne({ _id }, { ...noted, messageId: message.id, failures: 1 }, { upsert: true });
  return 1;
}

export async function lastFailure(db: Db, queue: WorkQueueName, body: unknown): Promise<string | null> {
  const doc = await failuresOf(db).findOne({ _id: messageKey(queue, body) });
  return doc?.error ?? null;
}
