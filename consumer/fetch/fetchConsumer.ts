import { readConfig } from '../../shared/config.ts';
import { fetchWindow } from './fetchWindow.ts';
import { consumeEach } from '../consumeEach.ts';
import { FetchQueueMessageSchema } from '../../shared/queue/messages.ts';
import { withDb } from '../../shared/store/db.ts';
import { runDeltaTick } from '../tick/runDeltaTick.ts';

/** `fetch` queue: each message pages one window for a while (see fetchWindow.ts), or is a delta tick (runDeltaTick.ts). */
export async function consumeFetchBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = readConfig(env);
  await withDb(config, (db) =>
    consumeEach(
      batch,
      env,
      db,
      'fetch',
      FetchQueueMessageSchema,
      async (message, queued) => {
        if (message.type === 'tick') {
          console.log(`tick ${message.at}: planned ${JSON.stringify(await runDeltaTick(env, config, db, message))}`);
          return;
        }
        const outcome = await fetchWindow(env, config, db, message, queued.id);
        console.log(`fetch ${message.windowId}#${message.seq}: ${JSON.stringify(outcome)}`);
      },
    ),
  );
}
