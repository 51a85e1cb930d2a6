import { errorText } from '../shared/errors.ts';
import type { QueueName } from '../shared/queue/queues.ts';
import { isMongoUnreachable, mongoAwayText } from '../shared/store/mongoUnreachable.ts';
import { outageDelaySeconds } from './backoff.ts';

/**
 * MongoDB cannot be reached, or refuses the login, which is no message's fault: each of `messages`
 * waits for it, retried with the outage delay (growing with its deliveries: consumer/backoff.ts).
 * Nothing is noted and nothing dead-lettered; wrangler.toml's max_retries leaves room for an hour
 * of it (retryBudget.ts).
 */
export function waitForMongo(queue: QueueName, messages: readonly Message<unknown>[], error: unknown): void {
  const delays = messages.map((message) => outageDelaySeconds(message.attempts));
  // Unreachable or refusing the login, or failing to note a failure: the line says which.
  console.warn(`${queue}: ${mongoAwayText(error) ?? 'MongoDB failing'}, ${messages.length} message(s) wait for it (again in ${delays.join(', ')} s): ${errorText(error)}`);
  messages.forEach((message, i) => message.retry({ delaySeconds: delays[i] }));
}

/** Runs a batch's work; if MongoDB cannot be reached for it (connecting, say), the whole batch waits for MongoDB instead of failing. */
export async function waitingForMongo(queue: QueueName, batch: MessageBatch<unknown>, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!isMongoUnreachable(error)) throw error;
    waitForMongo(queue, batch.messages, error);
  }
}
