import { describe, expect, it } from 'vitest';
import { ARRIVAL_JITTER_MS, emptyBook, hold, HOLD_RECHECK_MS, isStopped, pause, release, reserve, served, slotIntervalMs, type SlotBook } from './slotBook.ts';

describe('slot book', () => {
  it('spaces requests so no sliding minute holds more than the budget', () => {
    const interval = slotIntervalMs(6);
    let book: SlotBook = emptyBook;
    const starts: number[] = [];
    for (let i = 0; i < 30; i++) {
      const result = reserve(book, 1_000, interval, Infinity);
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
    const { book, reservation } = reserve(busy, 0, 10_000, 20_000);
    expect(reservation).toEqual({ granted: false, retryInMs: 50_000 });
    expect(book).toBe(busy);
  });

  it('holds every caller until a pause ends, and never shortens a pause', () => {
    const paused = pause(emptyBook, 30_000, 'FTS answered 429', 0);
    expect(reserve(paused, 1_000, 100, Infinity).reservation).toEqual({ granted: true, waitMs: 29_000, refusedBefore: true });
    expect(pause(paused, 10_000, 'shorter', 5_000)).toMatchObject({ pausedUntil: 30_000, pauseReason: 'FTS answered 429' });
  });

  it('counts refusals in a row until a request is served', () => {
    let book = pause(emptyBook, 300_000, 'CF answered 403', 0);
    book = pause(book, 610_000, 'CF answered 403 again', 310_000);
    expect(book.refusals).toEqual({ count: 2, since: 0, lastAt: 310_000, lastReason: 'CF answered 403 again' });
    const ended = served(book);
    expect(ended.refusals).toBeNull();
    expect(reserve(ended, 700_000, 100, Infinity).reservation).toEqual({ granted: true, waitMs: 0 });
    expect(pause(ended, 1_000_000, 'CF answered 403', 700_000).refusals).toMatchObject({ count: 1, since: 700_000 });
  });

  it("grants nothing while an operator holds the source, and a release keeps a refusal's pause", () => {
    const held = hold(pause(emptyBook, 60_000, 'FTS answered 429', 0), 1_000, 'maintenance');
    expect(reserve(held, 2_000, 100, Infinity)).toEqual({ book: held, reservation: { granted: false, retryInMs: HOLD_RECHECK_MS } });
    expect(hold(held, 9_000, 'still').hold).toEqual({ since: 1_000, reason: 'still' });
    expect(isStopped(held, 100_000)).toBe(true);
    const released = release(held);
    expect(isStopped(released, 2_000)).toBe(true);
    expect(isStopped(released, 60_000)).toBe(false);
    expect(reserve(released, 2_000, 100, Infinity).reservation).toMatchObject({ granted: true, waitMs: 58_000 });
  });
});
