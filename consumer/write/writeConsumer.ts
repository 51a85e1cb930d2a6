import { readConfig } from '../../shared/config.ts';
import { storeWriteBatch } from './storeWriteBatch.ts';
import { consumeTogether } from '../consumeTogether.ts';
import { WriteMessageSchema } from '../../shared/queue/messages.ts';
import { withDb } from '../../shared/store/db.ts';
import { waitingForMongo } from '../waitForMongo.ts';

/**
 * `write` queue: each message is one part of one page; a batch of them is stored together (see
 * storeWriteBatch.ts). With MongoDB unreachable the batch waits for it (waitForMongo.ts).
 */
export async function consumeWriteBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = readConfig(env);
  await waitingForMongo('write', batch, () =>
    withDb(config, (db) =>
      consumeTogether(batch, env, db, 'write', WriteMessageSchema, async (messages) => {
        const counts = await storeWriteBatch(db, config, messages);
        console.log(`write: ${messages.length} parts, ${JSON.stringify(counts)}`);
      }),
    ),
  );
}
