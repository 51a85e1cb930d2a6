import { readConfig } from '../../shared/config.ts';
import { fetchWindow } from './fetchWindow.ts';
import { startBatchClock } from './batchClock.ts';
import { consumeEach } from '../consumeEach.ts';
import { FetchQueueMessageSchema } from '../../shared/queue/messages.ts';
import { withDb } from '../../shared/store/db.ts';
import { runDeltaTick } from '../tick/runDeltaTick.ts';
import { waitingForMongo } from '../waitForMongo.ts';

/**
 * Workers let an invocation hold six connections at once (docs/workers-limits.md, Connections).
 * A batch holds up to max_batch_size (4) windows of both sources; the RateGate spaces each source's
 * requests, so about one request per source is in flight; the replica set's monitors take three.
 * One pooled socket is left for MongoDB: a window's MongoDB work is a few small reads and writes.
 */
const MONGODB_SOCKETS = 1;

/**
 * `fetch` queue: each message pages one window for a while (see fetchWindow.ts), every window of
 * the batch at once, each inside its own source's budget (the RateGate spaces the requests), all
 * handing on together (see batchClock.ts); or it is a delta tick (runDeltaTick.ts). With MongoDB
 * unreachable the batch waits for it (waitForMongo.ts).
 */
export async function consumeFetchBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = readConfig(env);
  const clock = startBatchClock(Date.now(), config.FETCH_INVOCATION_SECONDS);
  await waitingForMongo('fetch', batch, () =>
    withDb(
      config,
      (db) =>
        consumeEach(batch, env, db, 'fetch', FetchQueueMessageSchema, async (message, queued) => {
          if (message.type === 'tick') {
            console.log(`tick ${message.at}: planned ${JSON.stringify(await runDeltaTick(env, config, db, message))}`);
            return;
          }
          const outcome = await fetchWindow(env, config, db, message, queued.id, clock);
          console.log(`fetch ${message.windowId}#${message.seq}: ${JSON.stringify(outcome)}`);
        }),
      MONGODB_SOCKETS,
    ),
  );
}
