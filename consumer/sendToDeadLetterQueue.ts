import { MESSAGE_VERSION, type DeadLetter, type WorkQueueName } from '../shared/queue/messages.ts';
import { deadLetterQueueOf, queueBinding } from '../shared/queue/queues.ts';

/** What sending to the dead-letter queues needs of the Worker's env. */
export type DeadLetterQueues = Pick<Env, 'FETCH_DLQ' | 'WRITE_DLQ' | 'NOTIFY_DLQ'>;

/** Sends a message to its dead-letter queue now, with the reason (no retries burned on it). */
export async function sendToDeadLetterQueue(env: DeadLetterQueues, queue: WorkQueueName, body: unknown, error: string, attempts: number): Promise<void> {
  const letter: DeadLetter = { v: MESSAGE_VERSION, type: 'dead', queue, body, error, attempts };
  await queueBinding(env, deadLetterQueueOf(queue)).send(letter, { contentType: 'json' });
}
