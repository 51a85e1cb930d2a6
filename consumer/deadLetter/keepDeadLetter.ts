import { MongoServerError, type Db } from 'mongodb';
import { errorText } from '../../shared/errors.ts';
import { DeadLetterSchema, type WorkQueueName } from '../../shared/queue/messages.ts';
import { storeDeadLetter } from '../../shared/store/deadLetters.ts';
import { lastFailure } from '../../shared/store/messageFailures.ts';
import { logSourceError } from '../../shared/store/sourceStatus.ts';
import { markFailed, windowsCollection } from '../../shared/store/windows.ts';
import * as v from 'valibot';

/**
 * Keeps a dead letter in `deadLetters` and marks its window failed with the reason (the producer
 * restarts failed windows while attempts remain). A bare body, dead-lettered by Cloudflare after
 * its retries ran out, takes its reason from the window's last recorded error. A body MongoDB
 * refuses to store as it is (a key starting with `$`, say) is kept as JSON text.
 */
export async function keepDeadLetter(db: Db, queue: WorkQueueName, raw: unknown, messageId: string, attempts: number): Promise<void> {
  const now = new Date();
  const wrapped = v.safeParse(DeadLetterSchema, raw);
  const body = wrapped.success ? wrapped.output.body : raw;
  const windowId = windowIdOf(body);
  const window = windowId ? await windowsCollection(db).findOne({ _id: windowId }) : null;
  const error = wrapped.success ? wrapped.output.error : `retries exhausted; last error: ${(await lastFailure(db, queue, body)) ?? 'not recorded'}`;
  const letter = { queue, body, error, attempts: wrapped.success ? wrapped.output.attempts : attempts, messageId };
  await storeDeadLetter(db, letter, now).catch(async (failure: unknown) => {
    if (!(failure instanceof MongoServerError && REFUSED_DOCUMENT.has(Number(failure.code)))) throw failure;
    // Retrying cannot store this body, and after the retries Cloudflare would drop it with the
    // rest of its batch: keep it as text, with why.
    await storeDeadLetter(db, { ...letter, body: { json: JSON.stringify(body) }, error: `${error}; kept as JSON text: MongoDB refused the body (${errorText(failure)})` }, now);
  });
  if (window) {
    await markFailed(db, window._id, `${queue} message dead-lettered: ${error}`, now);
    await logSourceError(db, window.source, `${window._id}: ${queue} message dead-lettered: ${error}`, now);
  }
}

/** MongoDB's answers for a document it will never store: BadValue, DollarPrefixedFieldName, EmptyFieldName, DottedFieldName, BSONObjectTooLarge. */
const REFUSED_DOCUMENT = new Set([2, 52, 56, 57, 10334]);

function windowIdOf(body: unknown): string | null {
  const id = (body as { windowId?: unknown } | null)?.windowId;
  return typeof id === 'string' ? id : null;
}
