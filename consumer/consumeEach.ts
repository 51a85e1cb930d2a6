import type { Db } from 'mongodb';
import type * as v from 'valibot';
import type { WorkQueueName } from '../shared/queue/messages.ts';
import { readMessage, settle } from './settleMessage.ts';
import type { DeadLetterQueues } from './sendToDeadLetterQueue.ts';

/**
 * The loop of a work queue whose messages are handled each on its own: validate each message,
 * handle it, then ack, retry with a backoff, or dead-letter it (see settleMessage.ts). The messages
 * of a batch are handled at the same time, not one after another: a fetch message pages its window
 * for up to a minute, and a batch holding windows of several sources must keep every source asking
 * at its own budget, whatever number of invocations the platform runs at once.
 */
export async function consumeEach<S extends v.GenericSchema>(
  batch: MessageBatch<unknown>,
  env: DeadLetterQueues,
  db: Db,
  queue: WorkQueueName,
  schema: S,
  handle: (body: v.InferOutput<S>, message: Message<unknown>) => Promise<void>,
): Promise<void> {
  const handled = await Promise.allSettled(
    batch.messages.map(async (message) => {
      const body = await readMessage(env, queue, schema, message);
      if (body !== null) await settle(env, db, queue, message, () => handle(body, message));
    }),
  );
  // Only a dead-letter queue refusing a letter gets here; the invocation fails once every message
  // is done, so the platform retries what was left unsettled.
  const failed = handled.find((h): h is PromiseRejectedResult => h.status === 'rejected');
  if (failed) throw failed.reason;
}
