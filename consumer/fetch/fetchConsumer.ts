import { readConfig } from '../../shared/config.ts';
import { fetchWindow } from './fetchWindow.ts';
import { consumeEach } from '../consumeEach.ts';
import { FetchMessageSchema } from '../../shared/queue/messages.ts';
import { withDb } from '../../shared/store/db.ts';

/** `fetch` queue: each message pages one window for a while (see fetchWindow.ts). */
export async function consumeFetchBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = readConfig(env);
  await withDb(config, (db) =>
    consumeEach(
      batch,
      env,
      db,
      'fetch',
      FetchMessageSchema,
      async (message, queued) => {
        const outcome = await fetchWindow(env, config, db, message, queued.id);
        console.log(`fetch ${message.windowId}#${message.seq}: ${JSON.stringify(outcome)}`);
      },
    ),
  );
}
