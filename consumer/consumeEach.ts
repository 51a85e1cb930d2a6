import type { Db } from 'mongodb';
import * as v from 'valibot';
import { sendToDeadLetterQueue } from './sendToDeadLetterQueue.ts';
import { errorText, PermanentError } from '../shared/errors.ts';
import { noteFailure } from '../shared/store/messageFailures.ts';
import { backoffSeconds } from './backoff.ts';
import { describeIssues } from '../shared/valibot/describeIssues.ts';
import { MESSAGE_VERSION, type WorkQueueName } from '../shared/queue/messages.ts';

/**
 * The one loop of every work queue: validate each message, handle it, then ack, retry with a
 * backoff, or dead-letter. A message that cannot be read (bad shape, unknown schema version) or
 * that failed for a reason a retry cannot fix goes to the dead-letter queue at once, with its
 * reason; anything else is retried, and Cloudflare dead-letters it when max_retries run out.
 */
export async function consumeEach<S extends v.GenericSchema>(
  batch: MessageBatch<unknown>,
  env: Env,
  db: Db,
  queue: WorkQueueName,
  schema: S,
  handle: (body: v.InferOutput<S>, message: Message<unknown>) => Promise<void>,
): Promise<void> {
  for (const message of batch.messages) {
    const parsed = v.safeParse(schema, message.body);
    if (!parsed.success) {
      await sendToDeadLetterQueue(env, queue, message.body, unreadableReason(message.body, parsed.issues), message.attempts);
      message.ack();
      continue;
    }
    try {
      await handle(parsed.output, message);
      message.ack();
    } catch (error) {
      const reason = errorText(error);
      if (error instanceof PermanentError) {
        console.error(`${queue}: dead-lettering ${message.id}: ${reason}`);
        await sendToDeadLetterQueue(env, queue, message.body, reason, message.attempts);
        message.ack();
        continue;
      }
      console.warn(`${queue}: retrying ${message.id} (attempt ${message.attempts}): ${reason}`);
      // Best effort: with MongoDB down there is nowhere to note it, and the retry matters more.
      await noteFailure(db, queue, message.body, reason, message.attempts, new Date()).catch(() => {});
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}

function unreadableReason(body: unknown, issues: readonly v.BaseIssue<unknown>[]): string {
  const version = (body as { v?: unknown } | null)?.v;
  if (version !== MESSAGE_VERSION) return `unreadable message: schema version ${JSON.stringify(version)} is not ${MESSAGE_VERSION}`;
  return `unreadable message: ${describeIssues(issues)}`;
}
