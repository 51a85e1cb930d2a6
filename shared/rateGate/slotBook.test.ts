import { describe, expect, it } from 'vitest';
import { ARRIVAL_JITTER_MS, emptyBook, failed, hold, HOLD_RECHECK_MS, isStopped, pause, release, reserve, served, slotIntervalMs, upstreamProbeDelayMs, type SlotBook } from './slotBook.ts';

describe('slot book', () => {
  it('spaces requests so no sliding minute holds more than the budget', () => {
    const interval = slotIntervalMs(6);
    let book: SlotBook = emptyBook;
    const starts: number[] = [];
    for (let i = 0; i < 30; i++) {
      const result = reserve(book, 1_000, interval, Infinity, 0);
      book = result.book;
      if (result.reservation.granted) starts.push(1_000 + result.reservation.waitMs);
    }
    for (const start of starts) {
      expect(starts.filter((s) => s >= start && s < start + 60_000).length).toBeLessThanOrEqual(6);
    }
  });

  it.each([6, 60, 600, 1200])('at %i a minute, costs under 2%% of the budget and absorbs arrival jitter up to the allowance', (rpm) => {
    const interval = slotIntervalMs(rpm);
    expect(interval / (60_000 / rpm)).toBeLessThanOrEqual(1.02);
    // The worst case: a minute's requests all arrive as late as the allowance lets them, the next
    // minute's on time, and so on.
    const late = (k: number) => (Math.floor(k / rpm) % 2 === 0 ? ARRIVAL_JITTER_MS - 1 : 0);
    const arrivals = Array.from({ length: 4 * rpm }, (_, k) => k * interval + late(k));
    for (const [i, at] of arrivals.entries()) {
      const inMinute = arrivals.slice(i).filter((t) => t < at + 60_000).length;
      expect(inMinute).toBeLessThanOrEqual(rpm);
    }
  });

  it('reserves nothing for a caller that will not wait that long', () => {
    const busy: SlotBook = { ...emptyBook, nextSlotAt: 50_000 };
    const { book, reservation } = reserve(busy, 0, 10_000, 20_000, 0);
    expect(reservation).toEqual({ granted: false, retryInMs: 50_000 });
    expect(book).toBe(busy);
  });

  it('holds every caller until a pause ends, and never shortens a pause', () => {
    const paused = pause(emptyBook, 30_000, 'FTS answered 429', 0);
    expect(reserve(paused, 1_000, 100, Infinity, 0).reservation).toEqual({ granted: true, waitMs: 29_000, reportServed: true });
    expect(pause(paused, 10_000, 'shorter', 5_000)).toMatchObject({ pausedUntil: 30_000, pauseReason: 'FTS answered 429' });
  });

  it('counts refusals in a row until a request is served', () => {
    let book = pause(emptyBook, 300_000, 'CF answered 403', 0);
    book = pause(book, 610_000, 'CF answered 403 again', 310_000);
    expect(book.refusals).toEqual({ count: 2, since: 0, lastAt: 310_000, lastReason: 'CF answered 403 again' });
    const ended = served(book);
    expect(ended.refusals).toBeNull();
    expect(reserve(ended, 700_000, 100, Infinity, 0).reservation).toEqual({ granted: true, waitMs: 0 });
    expect(pause(ended, 1_000_000, 'CF answered 403', 700_000).refusals).toMatchObject({ count: 1, since: 700_000 });
  });

  it("grants nothing while an operator holds the source, and a release keeps a refusal's pause", () => {
    const held = hold(pause(emptyBook, 60_000, 'FTS answered 429', 0), 1_000, 'maintenance');
    expect(reserve(held, 2_000, 100, Infinity, 0)).toEqual({ book: held, reservation: { granted: false, retryInMs: HOLD_RECHECK_MS } });
    expect(hold(held, 9_000, 'still').hold).toEqual({ since: 1_000, reason: 'still' });
    expect(isStopped(held, 100_000)).toBe(true);
    const released = release(held);
    expect(isStopped(released, 2_000)).toBe(true);
    expect(isStopped(released, 60_000)).toBe(false);
    expect(reserve(released, 2_000, 100, Infinity, 0).reservation).toMatchObject({ granted: true, waitMs: 58_000 });
  });

  const policy = { firstMs: 15_000, maxMs: 120_000 };

  it.each([
    [1, 15_000],
    [2, 30_000],
    [3, 60_000],
    [4, 120_000],
    [5, 120_000],
    [40, 120_000],
  ])('after %i upstream failure(s) in a row the source pauses %i ms: growing, then bounded', (failures, pauseMs) => {
    expect(upstreamProbeDelayMs(failures, policy)).toBe(pauseMs);
  });

  /**
   * An upstream outage, step by step: each row is a call on the book, at a time, and what it
   * answers. Slots 1 s apart; a request may take 3 s (answerWithinMs).
   */
  it('an outage: the source pauses, one probe at a time goes out, each failed probe pauses longer, a served probe ends it', () => {
    type Step =
      | { at: number; call: 'failed'; reason: string; pausedUntil: number; failures: number }
      | { at: number; call: 'reserve'; answer: ReturnType<typeof reserve>['reservation'] }
      | { at: number; call: 'served' };
    const steps: Step[] = [
      // Two requests of the source were on their way when it went down: both fail.
      { at: 10_000, call: 'failed', reason: 'HTTP 504', pausedUntil: 25_000, failures: 1 },
      { at: 10_500, call: 'failed', reason: 'request failed: timeout', pausedUntil: 40_500, failures: 2 },
      // Nobody before the pause ends: a caller that will not wait (500 ms here) is told when to come back.
      { at: 11_000, call: 'reserve', answer: { granted: false, retryInMs: 29_500 } },
      // The first caller after the pause is the probe...
      { at: 40_500, call: 'reserve', answer: { granted: true, waitMs: 0, reportServed: true } },
      // ...and nobody else goes out while it may still be answered (3 s).
      { at: 41_600, call: 'reserve', answer: { granted: false, retryInMs: 1_900 } },
      { at: 43_000, call: 'failed', reason: 'HTTP 500', pausedUntil: 103_000, failures: 3 },
      { at: 50_000, call: 'reserve', answer: { granted: false, retryInMs: 53_000 } },
      // A probe whose caller never answered: after its 3 s another caller probes.
      { at: 103_000, call: 'reserve', answer: { granted: true, waitMs: 0, reportServed: true } },
      { at: 106_000, call: 'reserve', answer: { granted: true, waitMs: 0, reportServed: true } },
      { at: 107_000, call: 'served' },
      // Served: the source runs at its budget again, nobody reports.
      { at: 107_000, call: 'reserve', answer: { granted: true, waitMs: 0 } },
      { at: 107_500, call: 'reserve', answer: { granted: true, waitMs: 500 } },
    ];
    let book: SlotBook = emptyBook;
    for (const step of steps) {
      if (step.call === 'failed') {
        book = failed(book, step.at, step.reason, policy);
        expect(book, `failed at ${step.at}`).toMatchObject({ pausedUntil: step.pausedUntil, outage: { failures: step.failures, since: 10_000, lastReason: step.reason } });
        expect(book.pauseReason).toBe(`upstream down (${step.failures} failure(s) in a row): ${step.reason}`);
      } else if (step.call === 'reserve') {
        const result = reserve(book, step.at, 1_000, 500, 3_000);
        expect(result.reservation, `reserve at ${step.at}`).toEqual(step.answer);
        book = result.book;
      } else {
        book = served(book);
        expect(book.outage).toBeNull();
      }
    }
  });

  it("a TLS failure: the source held a fixed hour per failure, one probe after it, an operator's resume probing at once, a served probe ending it", () => {
    const hour = { firstMs: 3_600_000, maxMs: 3_600_000 };
    const first = failed(emptyBook, 10_000, 'TLS: … (HTTP 526)', hour, 'tls');
    expect(first).toMatchObject({ pausedUntil: 3_610_000, pauseReason: 'TLS: … (HTTP 526) (1 failure(s) in a row)', outage: { failures: 1, cause: 'tls' } });
    // Nobody asks within the hour: a caller is told to come back at its end.
    expect(reserve(first, 20_000, 1_000, 30_000, 3_000).reservation).toEqual({ granted: false, retryInMs: 3_590_000 });
    // The hour's probe fails again: another hour, not a growing pause.
    const probe = reserve(first, 3_610_000, 1_000, 30_000, 3_000);
    expect(probe.reservation).toEqual({ granted: true, waitMs: 0, reportServed: true });
    const second = failed(probe.book, 3_610_200, 'TLS: … (HTTP 526)', hour, 'tls');
    expect(second).toMatchObject({ pausedUntil: 7_210_200, outage: { failures: 2, since: 10_000, cause: 'tls' } });
    // The operator fixed the trust and resumed: the next caller is the probe at once.
    const resumed = release(second);
    expect(resumed).toMatchObject({ pausedUntil: 0, pauseReason: null, outage: { cause: 'tls' } });
    expect(reserve(resumed, 3_700_000, 1_000, 30_000, 3_000).reservation).toEqual({ granted: true, waitMs: 0, reportServed: true });
    expect(served(resumed).outage).toBeNull();
    // A service down (5xx) keeps its own pause through a resume.
    const down = failed(emptyBook, 10_000, 'HTTP 502', policy);
    expect(release(down)).toBe(down);
  });

  it("an upstream failure never shortens a refusal's pause, and counts apart from refusals", () => {
    const refused = pause(emptyBook, 300_000, 'CF answered 403', 0);
    const down = failed(refused, 1_000, 'HTTP 502', policy);
    expect(down).toMatchObject({ pausedUntil: 300_000, pauseReason: 'CF answered 403', refusals: { count: 1 }, outage: { failures: 1, lastReason: 'HTTP 502' } });
    expect(served(down)).toMatchObject({ refusals: null, outage: null, pausedUntil: 300_000 });
  });
});
