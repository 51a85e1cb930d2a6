import { expect } from 'vitest';
import worker from '../../worker.ts';
import { decisionsOf, fakeBatch, type FakeEnv } from './fakeEnv.ts';

/**
 * The fetch and write queues on a simulated clock: a message sent with `delaySeconds` falls due
 * that long after the clock's time when it was sent, and is delivered when the clock reaches it.
 * For tests of what happens over hours (delta ticks) in seconds.
 */
export class QueueClock {
  private held: { queue: 'fetch' | 'write'; body: unknown; dueAt: number }[] = [];
  now: Date;
  private readonly env: FakeEnv;

  constructor(env: FakeEnv, start: Date) {
    this.env = env;
    this.now = start;
  }

  /** Takes what was sent since the last look: due at the clock's time plus its delay. */
  collect(): void {
    for (const [queue, binding] of [['fetch', this.env.FETCH_QUEUE], ['write', this.env.WRITE_QUEUE]] as const) {
      for (const m of binding.sent.splice(0)) this.held.push({ queue, body: m.body, dueAt: this.now.getTime() + (m.delaySeconds ?? 0) * 1000 });
    }
  }

  /**
   * Moves the clock to `to`, delivering each message when it falls due (fetch one per batch, as
   * configured; writes together), and what they send; every message must be acked.
   */
  async advanceTo(to: Date): Promise<void> {
    for (let round = 0; round < 10_000; round++) {
      this.collect();
      const due = this.held.filter((m) => m.dueAt <= to.getTime()).sort((a, b) => a.dueAt - b.dueAt);
      if (due.length === 0) break;
      const next = due[0];
      this.now = new Date(Math.max(this.now.getTime(), next.dueAt));
      const writes = next.queue === 'write' ? due.filter((m) => m.queue === 'write' && m.dueAt <= this.now.getTime()) : [next];
      this.held = this.held.filter((m) => !writes.includes(m));
      const batch = fakeBatch(next.queue, writes.map((m) => m.body));
      await worker.queue(batch, this.env);
      expect(decisionsOf(batch).every((d) => d?.kind === 'ack'), `${next.queue} batch acked`).toBe(true);
    }
    this.now = to;
  }
}
