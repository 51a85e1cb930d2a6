import { readConfig } from '../../shared/config.ts';
import { storeWritePart } from './storeWritePart.ts';
import { consumeEach } from '../consumeEach.ts';
import { WriteMessageSchema } from '../../shared/queue/messages.ts';
import { withDb } from '../../shared/store/db.ts';

/** `write` queue: each message is one part of one page, stored idempotently (see storeWritePart.ts). */
export async function consumeWriteBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = readConfig(env);
  await withDb(config, (db) =>
    consumeEach(
      batch,
      env,
      db,
      'write',
      WriteMessageSchema,
      async (message) => {
        await storeWritePart(db, config, message);
      },
    ),
  );
}
