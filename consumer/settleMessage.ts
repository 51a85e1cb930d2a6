import type { Db } from 'mongodb';
import * as v from 'valibot';
import { sendToDeadLetterQueue, type DeadLetterQueues } from './sendToDeadLetterQueue.ts';
import { errorText, PermanentError } from '../shared/errors.ts';
import { noteFailure } from '../shared/store/messageFailures.ts';
import { isMongoUnreachable } from '../shared/store/mongoUnreachable.ts';
import { backoffSeconds } from './backoff.ts';
import { FAILURE_RETRIES } from './retryBudget.ts';
import { waitForMongo } from './waitForMongo.ts';
import { describeIssues } from '../shared/valibot/describeIssues.ts';
import { MESSAGE_VERSION, type WorkQueueName } from '../shared/queue/messages.ts';

/**
 * Validates a message. One that cannot be read (bad shape, unknown schema version) is
 * dead-lettered at once with the reason and acked: null.
 */
export async function readMessage<S extends v.GenericSchema>(env: DeadLetterQueues, queue: WorkQueueName, schema: S, message: Message<unknown>): Promise<v.InferOutput<S> | null> {
  const parsed = v.safeParse(schema, message.body);
  if (parsed.success) return parsed.output;
  await sendToDeadLetterQueue(env, queue, message.body, unreadableReason(message.body, parsed.issues), message.attempts);
  message.ack();
  return null;
}

/**
 * Runs one message's work, then acks it. If the work failed: for a reason a retry cannot fix
 * (PermanentError), the message is dead-lettered at once; with MongoDB unreachable, it waits for
 * MongoDB (waitForMongo.ts); otherwise the failure is counted in `messageFailures` and the message
 * retried with a backoff, or dead-lettered with the reason once FAILURE_RETRIES are spent. A
 * failure MongoDB will not even note is not counted: the message waits as for an outage.
 */
export async function settle(env: DeadLetterQueues, db: Db, queue: WorkQueueName, message: Message<unknown>, work: () => Promise<void>): Promise<void> {
  try {
    await work();
    message.ack();
  } catch (error) {
    const reason = errorText(error);
    if (error instanceof PermanentError) return deadLetter(env, queue, message, reason);
    if (isMongoUnreachable(error)) return waitForMongo(queue, [message], error);
    let failures: number;
    try {
      failures = await noteFailure(db, queue, message, reason, new Date());
    } catch (noting) {
      return waitForMongo(queue, [message], noting);
    }
    if (failures > FAILURE_RETRIES[queue]) return deadLetter(env, queue, message, `retries exhausted (${failures} failures); last error: ${reason}`);
    console.warn(`${queue}: retrying ${message.id} (failure ${failures}, attempt ${message.attempts}): ${reason}`);
    message.retry({ delaySeconds: backoffSeconds(failures) });
  }
}

async function deadLetter(env: DeadLetterQueues, queue: WorkQueueName, message: Message<unknown>, reason: string): Promise<void> {
  console.error(`${queue}: dead-lettering ${message.id}: ${reason}`);
  await sendToDeadLetterQueue(env, queue, message.body, reason, message.attempts);
  message.ack();
}

function unreadableReason(body: unknown, issues: readonly v.BaseIssue<unknown>[]): string {
  const version = (body as { v?: unknown } | null)?.v;
  if (version !== MESSAGE_VERSION) return `unreadable message: schema version ${JSON.stringify(version)} is not ${MESSAGE_VERSION}`;
  return `unreadable message: ${describeIssues(issues)}`;
}
