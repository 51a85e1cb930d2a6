import { resolve } from 'node:path';
import { unstable_readConfig } from 'wrangler';
import type { QueueName } from '../shared/queue/queues.ts';

/** A queue consumer's settings, with Cloudflare's defaults where wrangler.toml sets none. */
export interface ConsumerSettings {
  max_retries: number;
  retry_delay: number;
  dead_letter_queue?: string;
}

/** Each queue's consumer settings as wrangler reads them from wrangler.toml: what Cloudflare applies. */
export function wranglerConsumers(): Record<QueueName, ConsumerSettings> {
  // wrangler's Config type comes from a package its bundle does not ship: typed here by hand.
  const consumers: ({ queue: QueueName } & Partial<ConsumerSettings>)[] = unstable_readConfig({ config: resolve(import.meta.dirname, '../wrangler.toml') }, { hideWarnings: true }).queues.consumers;
  return Object.fromEntries(consumers.map((c) => [c.queue, { max_retries: c.max_retries ?? 3, retry_delay: c.retry_delay ?? 0, dead_letter_queue: c.dead_letter_queue }])) as Record<QueueName, ConsumerSettings>;
}
