/**
 * The arithmetic of one source's request budget, kept pure so it is tested without a Durable
 * Object. Requests are spaced evenly (`intervalMs` apart) rather than allowed in bursts: the
 * services count per sliding minute, and even spacing never puts N+1 requests in one.
 */
export interface SlotBook {
  /** The earliest time the next request may start. */
  nextSlotAt: number;
  /** Set by a refusal: nobody asks before this. */
  pausedUntil: number;
  pauseReason: string | null;
}

export const emptyBook: SlotBook = { nextSlotAt: 0, pausedUntil: 0, pauseReason: null };

/**
 * 5% on top of 60 s / rpm: the gate's clock and the request's arrival upstream differ by network
 * and timer jitter, and spacing of exactly one minute / N would let that jitter make N+1 in a minute.
 */
export function slotIntervalMs(requestsPerMinute: number): number {
  return Math.ceil((60_000 / requestsPerMinute) * 1.05);
}

export type Reservation = { granted: true; waitMs: number } | { granted: false; retryInMs: number };

/**
 * Reserves the next slot if it starts within `maxWaitMs`; otherwise reserves nothing, so a caller
 * that will not wait does not hold up the others.
 */
export function reserve(book: SlotBook, now: number, intervalMs: number, maxWaitMs: number): { book: SlotBook; reservation: Reservation } {
  const slot = Math.max(now, book.nextSlotAt, book.pausedUntil);
  const waitMs = slot - now;
  if (waitMs > maxWaitMs) return { book, reservation: { granted: false, retryInMs: waitMs } };
  return { book: { ...book, nextSlotAt: slot + intervalMs }, reservation: { granted: true, waitMs } };
}

/** A refusal upstream pauses the whole source; a pause never shortens one already running. */
export function pause(book: SlotBook, until: number, reason: string): SlotBook {
  return until > book.pausedUntil ? { ...book, pausedUntil: until, pauseReason: reason } : book;
}
