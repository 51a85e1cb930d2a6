import { readConfig } from '../../shared/config.ts';
import { keepDeadLetter } from './keepDeadLetter.ts';
import { backoffSeconds } from '../backoff.ts';
import type { WorkQueueName } from '../../shared/queue/messages.ts';
import { withDb } from '../../shared/store/db.ts';

/**
 * `fetch-dlq` and `write-dlq`: keeps each dead letter in `deadLetters` and acks it only once
 * stored. Any body is accepted: what reaches a dead-letter queue is by definition not trusted.
 * If MongoDB is down, the letter waits on its queue (retried with a backoff) rather than being lost.
 */
export async function consumeDeadLetterBatch(batch: MessageBatch<unknown>, env: Env, queue: WorkQueueName): Promise<void> {
  const config = readConfig(env);
  try {
    await withDb(config, async (db) => {
      for (const message of batch.messages) {
        await keepDeadLetter(db, queue, message.body, message.id, message.attempts);
        message.ack();
      }
    });
  } catch (error) {
    console.error(`${queue}-dlq: could not store dead letters, retrying: ${String(error)}`);
    batch.retryAll({ delaySeconds: backoffSeconds(batch.messages[0]?.attempts ?? 1) });
  }
}
