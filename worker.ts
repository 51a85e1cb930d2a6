/**
 * The Worker: wiring only. The hourly cron runs the producer; each queue has its consumer;
 * HTTP serves the status page and the admin endpoints.
 */
import { consumeDeadLetterBatch } from './consumer/deadLetter/deadLetterConsumer.ts';
import { consumeFetchBatch } from './consumer/fetch/fetchConsumer.ts';
import { consumeNotifyBatch } from './consumer/notify/notifyConsumer.ts';
import { consumeWriteBatch } from './consumer/write/writeConsumer.ts';
import { handleHttp } from './producer/http/handleHttp.ts';
import { produce } from './producer/scheduled.ts';
import { queueNameOf, type QueueName } from './shared/queue/queues.ts';

export { RateGate } from './shared/rateGate/rateGate.ts';

const consumers: Record<QueueName, (batch: MessageBatch<unknown>, env: Env) => Promise<void>> = {
  fetch: consumeFetchBatch,
  write: consumeWriteBatch,
  'fetch-dlq': (batch, env) => consumeDeadLetterBatch(batch, env, 'fetch'),
  'write-dlq': (batch, env) => consumeDeadLetterBatch(batch, env, 'write'),
  notify: consumeNotifyBatch,
  'notify-dlq': (batch, env) => consumeDeadLetterBatch(batch, env, 'notify'),
};

export default {
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(produce(env, new Date()));
  },

  async queue(batch, env) {
    const name = queueNameOf(batch.queue);
    if (name === null) throw new Error(`no consumer for queue ${batch.queue}`);
    return consumers[name](batch, env);
  },

  fetch: (request, env) => handleHttp(request, env),
} satisfies ExportedHandler<Env>;
