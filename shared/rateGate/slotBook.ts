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
  /** Set by an operator (POST /admin/pause): nobody asks until it is released. Absent in books stored before it existed. */
  hold?: { since: number; reason: string } | null;
  /**
   * Refusals since the last request served: a row that does not end (a block that never lifts) is
   * what the status page calls `blocked`. Cleared by `served`.
   */
  refusals?: { count: number; since: number; lastAt: number; lastReason: string } | null;
}

export const emptyBook: SlotBook = { nextSlotAt: 0, pausedUntil: 0, pauseReason: null };

/** While held, a caller is told to come back this soon: a resume takes effect within it, and a held source costs a message per window this often. */
export const HOLD_RECHECK_MS = 5 * 60_000;

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

/** `refusedBefore`: the slot comes after refusals; the caller reports a served request (`served`) so the row ends. */
export type Reservation = { granted: true; waitMs: number; refusedBefore?: true } | { granted: false; retryInMs: number };

/**
 * Reserves the next slot if it starts within `maxWaitMs`; otherwise reserves nothing, so a caller
 * that will not wait does not hold up the others.
 */
export function reserve(book: SlotBook, now: number, intervalMs: number, maxWaitMs: number): { book: SlotBook; reservation: Reservation } {
  if (book.hold) return { book, reservation: { granted: false, retryInMs: HOLD_RECHECK_MS } };
  const slot = Math.max(now, book.nextSlotAt, book.pausedUntil);
  const waitMs = slot - now;
  if (waitMs > maxWaitMs) return { book, reservation: { granted: false, retryInMs: waitMs } };
  return { book: { ...book, nextSlotAt: slot + intervalMs }, reservation: { granted: true, waitMs, ...(book.refusals && { refusedBefore: true as const }) } };
}

/**
 * A refusal upstream pauses the whole source; a pause never shortens one already running. Every
 * refusal, even one inside a running pause, adds to the row of refusals (`now`: when it came).
 */
export function pause(book: SlotBook, until: number, reason: string, now: number): SlotBook {
  const row = book.refusals ?? { count: 0, since: now, lastAt: now, lastReason: reason };
  const refusals = { ...row, count: row.count + 1, lastAt: now, lastReason: reason };
  return until > book.pausedUntil ? { ...book, pausedUntil: until, pauseReason: reason, refusals } : { ...book, refusals };
}

/** A request was served: the row of refusals, if any, ends. */
export function served(book: SlotBook): SlotBook {
  return book.refusals ? { ...book, refusals: null } : book;
}

/** An operator holds the source (a hold already set keeps its start). */
export function hold(book: SlotBook, now: number, reason: string): SlotBook {
  return { ...book, hold: { since: book.hold?.since ?? now, reason } };
}

/** The operator's hold ends; a pause set by a refusal upstream still runs to its end. */
export function release(book: SlotBook): SlotBook {
  return book.hold ? { ...book, hold: null } : book;
}

/** Whether a request may not go out now: paused by a refusal, or held by an operator. */
export function isStopped(book: SlotBook, now: number): boolean {
  return book.pausedUntil > now || Boolean(book.hold);
}
