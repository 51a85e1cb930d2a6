import type { WorkQueueName } from './messages.ts';

/** Every queue of wrangler.toml, by name, with the producer binding it is sent through. */
export const QUEUE_BINDINGS = {
  fetch: 'FETCH_QUEUE',
  write: 'WRITE_QUEUE',
  'fetch-dlq': 'FETCH_DLQ',
  'write-dlq': 'WRITE_DLQ',
  notify: 'NOTIFY_QUEUE',
  'notify-dlq': 'NOTIFY_DLQ',
} as const satisfies Record<string, keyof Env>;

export type QueueName = keyof typeof QUEUE_BINDINGS;

/** Only the binding asked for is needed, so a test can hand in just that queue. */
export function queueBinding<N extends QueueName>(env: Pick<Env, (typeof QUEUE_BINDINGS)[N]>, name: N): Queue {
  return env[QUEUE_BINDINGS[name]];
}

export const deadLetterQueueOf = (queue: WorkQueueName) => `${queue}-dlq` as const;

/**
 * The queue a batch came from. A production deploy may prefix the names ("tender-sync-fetch"), so
 * the longest known name the batch's queue ends with wins ("fetch-dlq" before "fetch").
 */
export function queueNameOf(batchQueue: string): QueueName | null {
  const names = (Object.keys(QUEUE_BINDINGS) as QueueName[]).sort((a, b) => b.length - a.length);
  return names.find((name) => batchQueue === name || batchQueue.endsWith(`-${name}`)) ?? null;
}
