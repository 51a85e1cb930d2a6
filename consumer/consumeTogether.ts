import type { Db } from 'mongodb';
import type * as v from 'valibot';
import { errorText } from '../shared/errors.ts';
import type { WorkQueueName } from '../shared/queue/messages.ts';
import { isMongoUnreachable } from '../shared/store/mongoUnreachable.ts';
import { readMessage, settle } from './settleMessage.ts';
import type { DeadLetterQueues } from './sendToDeadLetterQueue.ts';
import { waitForMongo } from './waitForMongo.ts';

/**
 * The loop of a work queue whose messages are handled together: each message is validated on its
 * own (one that cannot be read is dead-lettered), the readable ones are handled in one call and
 * acked together. If that call fails, each is handled again alone, so a message that cannot be
 * handled is retried or dead-lettered on its own while the others go through; if MongoDB cannot be
 * reached, all wait for it at once instead (trying them one by one would only wait for it again).
 */
export async function consumeTogether<S extends v.GenericSchema>(
  batch: MessageBatch<unknown>,
  env: DeadLetterQueues,
  db: Db,
  queue: WorkQueueName,
  schema: S,
  handle: (bodies: v.InferOutput<S>[]) => Promise<void>,
): Promise<void> {
  const readable: { message: Message<unknown>; body: v.InferOutput<S> }[] = [];
  for (const message of batch.messages) {
    const body = await readMessage(env, queue, schema, message);
    if (body !== null) readable.push({ message, body });
  }
  if (readable.length > 1) {
    try {
      await handle(readable.map((r) => r.body));
      for (const { message } of readable) message.ack();
      return;
    } catch (error) {
      if (isMongoUnreachable(error)) return waitForMongo(queue, readable.map((r) => r.message), error);
      console.warn(`${queue}: a batch of ${readable.length} failed (${errorText(error)}): handling each message alone`);
    }
  }
  for (const { message, body } of readable) await settle(env, db, queue, message, () => handle([body]));
}
