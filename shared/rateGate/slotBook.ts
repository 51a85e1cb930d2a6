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
 * How late one request may arrive upstream, relative to another, beyond the gate's spacing: the
 * consumer's timer, the gate call after it, DNS, TCP and TLS differ from request to request. The
 * services count N per sliding minute, so any N+1 consecutive requests must arrive more than a
 * minute apart: spacing of exactly 60 s / N would let any jitter make N+1 in a minute. No spacing
 * can give exactly the budget; a fixed allowance per minute costs 1.7% of it (5% of 60 s, 3 s,
 * before: far more than a request's jitter).
 */
export const ARRIVAL_JITTER_MS = 1_000;

/** Even spacing that fits N requests, and the jitter allowance, in a minute. */
export function slotIntervalMs(requestsPerMinute: number): number {
  return Math.ceil((60_000 + ARRIVAL_JITTER_MS) / requestsPerMinute);
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
