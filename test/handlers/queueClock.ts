import { expect } from 'vitest';
import worker from '../../worker.ts';
import { wranglerConsumers } from '../wranglerConsumers.ts';
import { decisionsOf, deliveryOf, newMessageId, type Decision, type FakeEnv, type RecordedBatch } from './fakeEnv.ts';

type ClockQueue = 'fetch' | 'write';

/** A message on a queue: sent, or retried, and due at `dueAt`. */
interface Held {
  queue: ClockQueue;
  id: string;
  body: unknown;
  attempts: number;
  dueAt: number;
}

/** One delivery of one message: when, which attempt, and what the consumer decided. */
export interface Delivery {
  queue: ClockQueue;
  id: string;
  attempts: number;
  at: Date;
  decision: Decision | null;
}

/**
 * The fetch and write queues on a simulated clock: a message sent with `delaySeconds` falls due
 * that long after the clock's time when it was sent, and is delivered when the clock reaches it.
 * For tests of what happens over hours (delta ticks, a MongoDB outage) in seconds. Every message
 * must be acked, unless the clock takes `retries`: then, as Cloudflare does with wrangler.toml's
 * settings, a retried message (or one left unsettled by a batch that threw) falls due again after
 * its delay (or retry_delay) with one attempt more, and goes to `deadLettered` once it was retried
 * max_retries times. `deliveries` records every delivery.
 */
export class QueueClock {
  private held: Held[] = [];
  now: Date;
  readonly deliveries: Delivery[] = [];
  readonly deadLettered: { queue: ClockQueue; body: unknown }[] = [];
  /** The env messages are delivered with: a test may swap it for one on the same queues (MongoDB away, then back). */
  env: FakeEnv;
  private readonly retries: boolean;
  private readonly consumers = wranglerConsumers();

  constructor(env: FakeEnv, start: Date, options: { retries?: boolean } = {}) {
    this.env = env;
    this.now = start;
    this.retries = options.retries ?? false;
  }

  /** Takes what was sent since the last look: due at the clock's time plus its delay. */
  collect(): void {
    for (const [queue, binding] of [['fetch', this.env.FETCH_QUEUE], ['write', this.env.WRITE_QUEUE]] as const) {
      for (const m of binding.sent.splice(0)) this.held.push({ queue, id: newMessageId(), body: m.body, attempts: 1, dueAt: this.now.getTime() + (m.delaySeconds ?? 0) * 1000 });
    }
  }

  /** How many messages are on the queues, due or not. */
  get waiting(): number {
    return this.held.length;
  }

  /**
   * Moves the clock to `to`, delivering each message when it falls due (fetch one per batch, as
   * configured; writes together), and what they send.
   */
  async advanceTo(to: Date): Promise<void> {
    for (let round = 0; round < 10_000; round++) {
      this.collect();
      const due = this.held.filter((m) => m.dueAt <= to.getTime()).sort((a, b) => a.dueAt - b.dueAt);
      if (due.length === 0) break;
      const next = due[0];
      this.now = new Date(Math.max(this.now.getTime(), next.dueAt));
      const taken = next.queue === 'write' ? due.filter((m) => m.queue === 'write' && m.dueAt <= this.now.getTime()) : [next];
      this.held = this.held.filter((m) => !taken.includes(m));
      const batch = deliveryOf(next.queue, taken);
      const threw = await worker.queue(batch, this.env).then(
        () => false,
        (error: unknown) => {
          if (!this.retries) throw error;
          return true;
        },
      );
      if (!this.retries) expect(decisionsOf(batch).every((d) => d?.kind === 'ack'), `${next.queue} batch acked`).toBe(true);
      this.settle(next.queue, batch, threw);
    }
    this.now = to;
  }

  /** What Cloudflare does with a delivered batch's messages: acked ones are gone, retried ones come back or are dead-lettered. */
  private settle(queue: ClockQueue, batch: RecordedBatch, threw: boolean): void {
    const { max_retries, retry_delay } = this.consumers[queue];
    for (const m of batch.messages) {
      this.deliveries.push({ queue, id: m.id, attempts: m.attempts, at: this.now, decision: m.decision });
      const retried = m.decision?.kind === 'retry' || (m.decision === null && threw);
      if (!retried) continue;
      const delaySeconds = (m.decision?.kind === 'retry' ? m.decision.delaySeconds : undefined) ?? retry_delay;
      if (m.attempts > max_retries) this.deadLettered.push({ queue, body: m.body });
      else this.held.push({ queue, id: m.id, body: m.body, attempts: m.attempts + 1, dueAt: this.now.getTime() + delaySeconds * 1000 });
    }
  }
}
