import type { WorkQueueName } from '../shared/queue/messages.ts';

/*
 * Who spends a message's retries. Cloudflare counts every retry toward the consumer's max_retries,
 * an explicit `retry()` as much as a thrown batch (max_retries is "the maximum number of retries for
 * a message, if it fails or retryAll() is invoked": developers.cloudflare.com/queues/configuration/
 * configure-queues/), and `attempts` counts every delivery. When they run out the message goes to
 * the dead-letter queue, or is deleted where there is none. Waiting out a MongoDB outage would spend
 * them, so a message's own failures are counted apart (messageFailures) and the consumer
 * dead-letters it itself after FAILURE_RETRIES; wrangler.toml's max_retries is that plus an hour of
 * outage retries (consumer/backoff.ts; consumer/retryBudget.test.ts keeps the two in step).
 */

/**
 * Retries after a message's own failures (a record race, a refused write, a receiver refusing a
 * webhook; not the upstream down, which pauses its source in the RateGate), then it is
 * dead-lettered with the last reason.
 */
export const FAILURE_RETRIES: Record<WorkQueueName, number> = { fetch: 5, write: 8, notify: 10 };

/**
 * max_retries of `fetch-dlq`, `write-dlq` and `notify-dlq` (the most Cloudflare allows): nothing is behind them,
 * so a letter on its last delivery is sent to its queue again rather than left to be deleted.
 */
export const DEAD_LETTER_MAX_RETRIES = 100;
