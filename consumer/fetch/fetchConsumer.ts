import { readConfig } from '../../shared/config.ts';
import { fetchWindow, type BatchClock } from './fetchWindow.ts';
import { consumeEach } from '../consumeEach.ts';
import { FetchMessageSchema } from '../../shared/queue/messages.ts';
import { withDb } from '../../shared/store/db.ts';

/**
 * Workers let an invocation hold six connections at once. A batch holds at most max_batch_size (4)
 * windows, each asking upstream on one connection at a time: two are left for MongoDB.
 */
const MONGODB_SOCKETS = 2;

/**
 * `fetch` queue: each message pages one window for a while (see fetchWindow.ts), every window of
 * the batch at once, each inside its own source's budget (the RateGate spaces the requests), all
 * handing on together (see BatchClock).
 */
export async function consumeFetchBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = readConfig(env);
  const clock: BatchClock = { handOnAt: Date.now() + config.FETCH_INVOCATION_SECONDS * 1000 };
  await withDb(
    config,
    (db) =>
      consumeEach(batch, env, db, 'fetch', FetchMessageSchema, async (message, queued) => {
        const outcome = await fetchWindow(env, config, db, message, queued.id, clock);
        console.log(`fetch ${message.windowId}#${message.seq}: ${JSON.stringify(outcome)}`);
      }),
    MONGODB_SOCKETS,
  );
}
