import { readConfig } from '../../shared/config.ts';
import { storeWriteBatch } from './storeWriteBatch.ts';
import { consumeTogether } from '../consumeTogether.ts';
import { errorText } from '../../shared/errors.ts';
import { notifyMessage, WriteMessageSchema } from '../../shared/queue/messages.ts';
import { queueBinding } from '../../shared/queue/queues.ts';
import { withDb } from '../../shared/store/db.ts';
import { waitingForMongo } from '../waitForMongo.ts';

/**
 * `write` queue: each message is one part of one page; a batch of them is stored together (see
 * storeWriteBatch.ts). With MongoDB unreachable the batch waits for it (waitForMongo.ts). A batch
 * that stored something tells the notify queue the feed moved (webhooks).
 */
export async function consumeWriteBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = readConfig(env);
  await waitingForMongo('write', batch, () =>
    withDb(config, (db) =>
      consumeTogether(batch, env, db, 'write', WriteMessageSchema, async (messages) => {
        const counts = await storeWriteBatch(db, config, messages);
        console.log(`write: ${messages.length} parts, ${JSON.stringify(counts)}`);
        if (counts.inserted + counts.updated > 0) await sayFeedMoved(env);
      }),
    ),
  );
}

/** One message, whatever the subscriptions; failing to send it fails no write (the cron's message catches up). */
async function sayFeedMoved(env: Env): Promise<void> {
  try {
    await queueBinding(env, 'notify').send(notifyMessage(), { contentType: 'json' });
  } catch (error) {
    console.error(`write: the notify queue refused the feed's message (webhooks catch up at the next cron): ${errorText(error)}`);
  }
}
