import { describe, expect, it } from 'vitest';
import { wranglerConsumers } from '../test/wranglerConsumers.ts';
import { outageRetriesFor } from './backoff.ts';
import { DEAD_LETTER_MAX_RETRIES, FAILURE_RETRIES } from './retryBudget.ts';

/** wrangler.toml's max_retries against what the consumers count on (consumer/retryBudget.ts). */
const consumers = wranglerConsumers();
const HOUR = 3600;

describe('retry budget (wrangler.toml)', () => {
  it.each(['fetch', 'write', 'notify'] as const)('%s: max_retries leaves room for its own failures plus an hour of MongoDB outage', (queue) => {
    expect(consumers[queue].max_retries).toBe(FAILURE_RETRIES[queue] + outageRetriesFor(HOUR));
    expect(consumers[queue].max_retries, "Cloudflare's most").toBeLessThanOrEqual(DEAD_LETTER_MAX_RETRIES);
    expect(consumers[queue].dead_letter_queue).toBe(`${queue}-dlq`);
  });

  it.each(['fetch-dlq', 'write-dlq', 'notify-dlq'] as const)('%s: max_retries is the one its consumer re-sends a letter at, and no queue is behind it', (queue) => {
    expect(consumers[queue].max_retries).toBe(DEAD_LETTER_MAX_RETRIES);
    expect(consumers[queue].dead_letter_queue).toBeUndefined();
  });
});
