import { readConfig } from '../../shared/config.ts';
import { mongoFailureText } from '../../shared/store/mongoUnreachable.ts';
import type { WorkQueueName } from '../../shared/queue/messages.ts';
import { deadLetterQueueOf, queueBinding } from '../../shared/queue/queues.ts';
import { withDb } from '../../shared/store/db.ts';
import { outageDelaySeconds } from '../backoff.ts';
import { DEAD_LETTER_MAX_RETRIES } from '../retryBudget.ts';
import { keepDeadLetter } from './keepDeadLetter.ts';

/**
 * `fetch-dlq` and `write-dlq`: keeps each dead letter in `deadLetters` and acks it only once
 * stored. Any body is accepted: what reaches a dead-letter queue is by definition not trusted.
 * A letter that cannot be stored (MongoDB unreachable, or refusing) is held: retried with the
 * outage delay, and on its last delivery, where Cloudflare would delete it, sent to its queue again.
 */
export async function consumeDeadLetterBatch(batch: MessageBatch<unknown>, env: Env, queue: WorkQueueName): Promise<void> {
  const config = readConfig(env);
  let kept = 0;
  try {
    await withDb(config, async (db) => {
      for (const message of batch.messages) {
        await keepDeadLetter(db, queue, message.body, message.id, message.attempts);
        message.ack();
        kept++;
      }
    });
  } catch (error) {
    const held = batch.messages.slice(kept);
    console.error(`${deadLetterQueueOf(queue)}: could not store dead letters, holding ${held.length}: ${mongoFailureText(error)}`);
    for (const message of held) await hold(env, queue, message);
  }
}

async function hold(env: Env, queue: WorkQueueName, message: Message<unknown>): Promise<void> {
  if (message.attempts <= DEAD_LETTER_MAX_RETRIES) return message.retry({ delaySeconds: outageDelaySeconds(message.attempts) });
  await queueBinding(env, deadLetterQueueOf(queue)).send(message.body, { contentType: 'json', delaySeconds: outageDelaySeconds(message.attempts) });
  message.ack();
}
