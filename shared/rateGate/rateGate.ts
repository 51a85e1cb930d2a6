import { DurableObject } from 'cloudflare:workers';
import { pauseCall, reserveCall, type RateGateCalls } from './gateCalls.ts';
import { countCall, countRowWritten, newUsage, type GateMethod, type GateStatus, type GateUsage } from './gateUsage.ts';
import { emptyBook, failed, hold, release, served, type OutageCause, type ProbePolicy, type Reservation, type SlotBook } from './slotBook.ts';

/**
 * One instance per source (`idFromName(source)`) holds that source's request budget for every
 * consumer invocation at once: a Durable Object runs its calls one at a time, so two consumers can
 * never take the same slot, and a pause set by one refusal or upstream failure is seen by all. The book is stored so a
 * restart of the object keeps the pause. The calls it serves are counted in memory only (the bench
 * reads them through GET /gates): a restart starts the count again.
 */
export class RateGate extends DurableObject<Env> implements RateGateCalls {
  private book: SlotBook = emptyBook;
  private usage: GateUsage = newUsage(Date.now());

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.book = (await ctx.storage.get<SlotBook>('book')) ?? emptyBook;
    });
  }

  async reserve(requestsPerMinute: number, maxWaitMs: number, answerWithinMs: number): Promise<Reservation> {
    this.count('reserve');
    const result = reserveCall(this.book, Date.now(), requestsPerMinute, maxWaitMs, answerWithinMs);
    await this.save(result.book);
    return result.reservation;
  }

  async pause(pauseMs: number, reason: string): Promise<void> {
    this.count('pause');
    await this.save(pauseCall(this.book, Date.now(), pauseMs, reason));
  }

  async failed(reason: string, policy: ProbePolicy, cause?: OutageCause): Promise<SlotBook> {
    this.count('failed');
    await this.save(failed(this.book, Date.now(), reason, policy, cause));
    return this.book;
  }

  async served(): Promise<void> {
    this.count('served');
    await this.save(served(this.book));
  }

  async hold(reason: string): Promise<SlotBook> {
    this.count('hold');
    await this.save(hold(this.book, Date.now(), reason));
    return this.book;
  }

  async release(): Promise<SlotBook> {
    this.count('release');
    await this.save(release(this.book));
    return this.book;
  }

  async status(): Promise<GateStatus> {
    this.count('status');
    return { ...this.book, usage: this.usage };
  }

  private count(method: GateMethod): void {
    this.usage = countCall(this.usage, method);
  }

  private async save(book: SlotBook): Promise<void> {
    if (book === this.book) return;
    this.book = book;
    this.usage = countRowWritten(this.usage);
    await this.ctx.storage.put('book', book);
  }
}
