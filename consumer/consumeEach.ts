import type { Db } from 'mongodb';
import type * as v from 'valibot';
import type { WorkQueueName } from '../shared/queue/messages.ts';
import { readMessage, settle } from './settleMessage.ts';
import type { DeadLetterQueues } from './sendToDeadLetterQueue.ts';

/**
 * The loop of a work queue whose messages are handled one by one: validate each message, handle
 * it, then ack, retry with a backoff, or dead-letter (see settleMessage.ts).
 */
export async function consumeEach<S extends v.GenericSchema>(
  batch: MessageBatch<unknown>,
  env: DeadLetterQueues,
  db: Db,
  queue: WorkQueueName,
  schema: S,
  handle: (body: v.InferOutput<S>, message: Message<unknown>) => Promise<void>,
): Promise<void> {
  for (const message of batch.messages) {
    const body = await readMessage(env, queue, schema, message);
    if (body !== null) await settle(env, db, queue, message, () => handle(body, message));
  }
}
