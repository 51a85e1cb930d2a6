import { expect } from 'vitest';
import worker from '../../worker.ts';
import { decisionsOf, fakeBatch, type FakeEnv } from './fakeEnv.ts';

/**
 * Delivers what was sent to the fetch and write queues without a delay, and what that sends, until
 * none is left; every message acked. Delayed messages (the cron's delta ticks, a window handed on
 * after a wait) stay on their queue for a test that keeps a clock (see queueClock.ts). `onWrites`
 * sees each round's write messages before they are delivered.
 */
export async function deliverAll(env: FakeEnv, onWrites?: (bodies: unknown[]) => void): Promise<void> {
  for (let round = 0; round < 200; round++) {
    const fetches = env.FETCH_QUEUE.takeUndelayed();
    const writes = env.WRITE_QUEUE.takeUndelayed();
    if (fetches.length === 0 && writes.length === 0) return;
    if (writes.length > 0) onWrites?.(writes);
    for (const [queue, bodies] of [['fetch', fetches], ['write', writes]] as const) {
      if (bodies.length === 0) continue;
      const batch = fakeBatch(queue, bodies);
      await worker.queue(batch, env);
      expect(decisionsOf(batch).every((d) => d?.kind === 'ack'), `${queue} batch acked`).toBe(true);
    }
  }
  throw new Error('the queues did not empty in 200 rounds');
}
