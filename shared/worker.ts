/**
 * The Worker: wiring only. The hourly cron runs the producer; each queue has its consumer;
 * HTTP serves a status page and the admin replay.
 */
import { consumeDeadLetterBatch } from '../consumer/deadLetterConsumer.ts';
import { consumeFetchBatch } from '../consumer/fetchConsumer.ts';
import { consumeWriteBatch } from '../consumer/writeConsumer.ts';
import { produce } from '../producer/scheduled.ts';
import type { Env } from './config.ts';
import { handleHttp } from './http/handleHttp.ts';

export { RateGate } from './rateGate/rateGate.ts';

export default {
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(produce(env, new Date()));
  },

  async queue(batch, env) {
    // Queue names are the ones in wrangler.toml; a production deploy may prefix them ("tender-sync-fetch").
    const name = batch.queue.replace(/^.*?(fetch-dlq|write-dlq|fetch|write)$/, '$1');
    if (name === 'fetch') return consumeFetchBatch(batch, env);
    if (name === 'write') return consumeWriteBatch(batch, env);
    if (name === 'fetch-dlq') return consumeDeadLetterBatch(batch, env, 'fetch');
    if (name === 'write-dlq') return consumeDeadLetterBatch(batch, env, 'write');
    throw new Error(`no consumer for queue ${batch.queue}`);
  },

  fetch: (request, env) => handleHttp(request, env),
} satisfies ExportedHandler<Env>;
