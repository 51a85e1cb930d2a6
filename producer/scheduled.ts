import { readConfig, type Config } from '../shared/config.ts';
import { enabledSources } from '../shared/enabledSources.ts';
import { withDb } from '../shared/store/db.ts';
import { ensureIndexes } from '../shared/store/ensureIndexes.ts';
import { mongoAwayText } from '../shared/store/mongoUnreachable.ts';
import { closeExpiredRecords } from '../shared/store/records.ts';
import { logSourceError } from '../shared/store/sourceStatus.ts';
import { errorText } from '../shared/errors.ts';
import { notifyMessage, tickMessage } from '../shared/queue/messages.ts';
import { queueBinding } from '../shared/queue/queues.ts';
import { ticksAfterCron } from '../shared/windows/deltaTicks.ts';
import { forgetStatusAnswers } from './status/statusCache.ts';
import { mergeBuyers } from './mergeBuyers.ts';
import { produceSource } from './produceSource.ts';

/**
 * The hourly cron: sends the hour's delta ticks (delayed, in one batch: shared/windows/deltaTicks.ts)
 * and, independently, does its MongoDB work (planMongo). The ticks need nothing from MongoDB (each
 * plans its delta when due), so an hour's freshness does not hang on this minute's MongoDB; a
 * failure of either is logged and fails the run once both are done.
 */
export async function produce(env: Env, now: Date): Promise<void> {
  const config = readConfig(env);
  const [ticks, planned] = await Promise.allSettled([sendDeltaTicks(env, config, now), planMongo(env, config, now)]);
  if (ticks.status === 'rejected') console.error(`producer: the hour's delta ticks were not sent: ${errorText(ticks.reason)}`);
  if (planned.status === 'rejected') {
    const what = mongoAwayText(planned.reason) ?? 'MongoDB work failed';
    const sent = ticks.status === 'fulfilled' ? ` (the hour's ${ticks.value} delta ticks were sent)` : '';
    console.error(`producer: ${what}, nothing planned until the next run${sent}: ${errorText(planned.reason)}`);
  }
  const failed = [planned, ticks].find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The hour's delta ticks after the run itself; how many were sent. */
async function sendDeltaTicks(env: Env, config: Config, now: Date): Promise<number> {
  const ticks = ticksAfterCron(now, config.DELTA_TICK_MINUTES).map((tick) => ({ body: tickMessage(tick.at), contentType: 'json' as const, delaySeconds: tick.delaySeconds }));
  if (ticks.length > 0) await queueBinding(env, 'fetch').sendBatch(ticks);
  return ticks.length;
}

/**
 * Plans and enqueues every enabled source's windows (one source failing does not stop the others), closes
 * the tenders whose deadline has passed since their record was written, and carries out the buyer
 * merges the write path found (mergeBuyers.ts), then tells the webhooks the feed moved.
 */
async function planMongo(env: Env, config: Config, now: Date): Promise<void> {
  await withDb(config, async (db) => {
    for (const note of await ensureIndexes(db, config.QUERY_INDEXES, config.CHANGES_RETENTION_DAYS)) console.log(`producer: indexes: ${note}`);
    for (const source of enabledSources(config)) {
      try {
        const status = await produceSource(env, config, db, source, now);
        console.log(`producer ${source.name}: ${status?.status} windows ${JSON.stringify(status?.windows)} releases ${status?.totalFetched}`);
      } catch (error) {
        console.error(`producer ${source.name}: ${errorText(error)}`);
        await logSourceError(db, source.name, `producer: ${errorText(error)}`, now).catch(() => {});
      }
    }
    try {
      console.log(`producer: closed ${await closeExpiredRecords(db, now, config.WRITE_CHUNK_SIZE)} procurements past their deadline`);
    } catch (error) {
      console.error(`producer: closing procurements past their deadline: ${errorText(error)}`);
    }
    try {
      const { merged } = await mergeBuyers(db, config.WRITE_CHUNK_SIZE, now);
      for (const m of merged) console.log(`producer: buyer ${m.from} merged into ${m.to} (${m.contractsMoved} contracts)`);
    } catch (error) {
      console.error(`producer: merging buyers: ${errorText(error)}`);
    }
    // The close and the merges appended entries; and a receiver that was down is tried again from its cursor.
    await queueBinding(env, 'notify').send(notifyMessage(), { contentType: 'json' }).catch((error: unknown) => console.error(`producer: webhooks not told: ${errorText(error)}`));
  });
  // What the hourly run changed shows at once in this isolate's status answers (status/statusCache.ts).
  forgetStatusAnswers();
}
