import type { Db } from 'mongodb';
import * as v from 'valibot';
import { sendToDeadLetterQueue, type DeadLetterQueues } from './sendToDeadLetterQueue.ts';
import { errorText, PermanentError } from '../shared/errors.ts';
import { noteFailure } from '../shared/store/messageFailures.ts';
import { backoffSeconds } from './backoff.ts';
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
 * Runs one message's work, then acks it, or dead-letters it at once when it failed for a reason a
 * retry cannot fix (PermanentError), or retries it with a backoff (Cloudflare dead-letters it when
 * max_retries run out; the reason is noted for then).
 */
export async function settle(env: DeadLetterQueues, db: Db, queue: WorkQueueName, message: Message<unknown>, work: () => Promise<void>): Promise<void> {
  try {
    await work();
    message.ack();
  } catch (error) {
    const reason = errorText(error);
    if (error instanceof PermanentError) {
      console.error(`${queue}: dead-lettering ${message.id}: ${reason}`);
      await sendToDeadLetterQueue(env, queue, message.body, reason, message.attempts);
      message.ack();
      return;
    }
    console.warn(`${queue}: retrying ${message.id} (attempt ${message.attempts}): ${reason}`);
    // Best effort: with MongoDB down there is nowhere to note it, and the retry matters more.
    await noteFailure(db, queue, message.body, reason, message.attempts, new Date()).catch(() => {});
    message.retry({ delaySeconds: backoffSeconds(message.attempts) });
  }
}

function unreadableReason(body: unknown, issues: readonly v.BaseIssue<unknown>[]): string {
  const version = (body as { v?: unknown } | null)?.v;
  if (version !== MESSAGE_VERSION) return `unreadable message: schema version ${JSON.stringify(version)} is not ${MESSAGE_VERSION}`;
  return `unreadable message: ${describeIssues(issues)}`;
}
