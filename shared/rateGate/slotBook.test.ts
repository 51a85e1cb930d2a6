import { describe, expect, it } from 'vitest';
import { ARRIVAL_JITTER_MS, emptyBook, pause, reserve, slotIntervalMs, type SlotBook } from './slotBook.ts';

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
    const paused = pause(emptyBook, 30_000, 'FTS answered 429');
    expect(reserve(paused, 1_000, 100, Infinity).reservation).toEqual({ granted: true, waitMs: 29_000 });
    expect(pause(paused, 10_000, 'shorter')).toBe(paused);
  });
});
