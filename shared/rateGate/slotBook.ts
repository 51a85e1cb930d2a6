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
  /**
   * Set by an upstream failure (a 5xx that is not a refusal, a timeout, a connection that fails):
   * the source is down. Each failure in a row pauses the source longer (upstreamProbeDelayMs), and
   * while it is set the gate lets one request out at a time, the probe: the next waits until the
   * probe's answer is reported, or until `probeUntil` (the probe's caller died). Cleared by `served`.
   * `cause` 'tls': the last failure was the origin's certificate (shared/rateGate/tlsFailure.ts),
   * held for a fixed long pause rather than a growing one; absent in books stored before it existed.
   */
  outage?: { failures: number; since: number; lastAt: number; lastReason: string; probeUntil: number; cause?: OutageCause } | null;
}

/** Why the source is down: the service failed ('down'), or its certificate could not be verified ('tls'). */
export type OutageCause = 'down' | 'tls';

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

/**
 * `reportServed`: the slot comes after refusals or upstream failures (it is then the probe); the
 * caller reports a served request (`served`) so the row ends and the source runs again.
 */
export type Reservation = { granted: true; waitMs: number; reportServed?: true } | { granted: false; retryInMs: number };

/**
 * Reserves the next slot if it starts within `maxWaitMs`; otherwise reserves nothing, so a caller
 * that will not wait does not hold up the others. While the source is down the slot is the probe:
 * nobody else gets one until `answerWithinMs` after it, unless its answer comes first.
 */
export function reserve(book: SlotBook, now: number, intervalMs: number, maxWaitMs: number, answerWithinMs: number): { book: SlotBook; reservation: Reservation } {
  if (book.hold) return { book, reservation: { granted: false, retryInMs: HOLD_RECHECK_MS } };
  const slot = Math.max(now, book.nextSlotAt, book.pausedUntil, book.outage?.probeUntil ?? 0);
  const waitMs = slot - now;
  if (waitMs > maxWaitMs) return { book, reservation: { granted: false, retryInMs: waitMs } };
  const outage = book.outage && { ...book.outage, probeUntil: slot + answerWithinMs };
  const reportServed = book.refusals || book.outage ? { reportServed: true as const } : {};
  return { book: { ...book, nextSlotAt: slot + intervalMs, ...(outage && { outage }) }, reservation: { granted: true, waitMs, ...reportServed } };
}

/** How the pause after upstream failures grows: from `firstMs`, doubling with each failure in a row, up to `maxMs`. */
export interface ProbePolicy {
  firstMs: number;
  maxMs: number;
}

/** The pause after failure number `failures` (1-based) in a row. */
export function upstreamProbeDelayMs(failures: number, policy: ProbePolicy): number {
  return Math.min(policy.maxMs, policy.firstMs * 2 ** Math.max(0, failures - 1));
}

/**
 * An upstream failure (`now`: when it came): the source is down. It pauses the whole source for
 * the next probe's delay (never shortening a pause already running) and frees the probe's turn.
 * A TLS failure is given a policy whose first and longest pause are the same hour.
 */
export function failed(book: SlotBook, now: number, reason: string, policy: ProbePolicy, cause: OutageCause = 'down'): SlotBook {
  const failures = (book.outage?.failures ?? 0) + 1;
  const outage = { failures, since: book.outage?.since ?? now, lastAt: now, lastReason: reason, probeUntil: 0, cause };
  const until = now + upstreamProbeDelayMs(failures, policy);
  const pauseReason = cause === 'tls' ? `${reason} (${failures} failure(s) in a row)` : `upstream down (${failures} failure(s) in a row): ${reason}`;
  return until > book.pausedUntil ? { ...book, pausedUntil: until, pauseReason, outage } : { ...book, outage };
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

/** A request was served: the row of refusals and the outage, if any, end. */
export function served(book: SlotBook): SlotBook {
  return book.refusals || book.outage ? { ...book, refusals: null, outage: null } : book;
}

/** An operator holds the source (a hold already set keeps its start). */
export function hold(book: SlotBook, now: number, reason: string): SlotBook {
  return { ...book, hold: { since: book.hold?.since ?? now, reason } };
}

/**
 * The operator's hold ends; a pause set by a refusal upstream still runs to its end. A TLS
 * failure's pause ends too: only an operator can fix a certificate's trust, so their resume is the
 * moment to probe (the outage stays, so the next request is the probe that ends it or holds again).
 */
export function release(book: SlotBook): SlotBook {
  const tlsPause = book.outage?.cause === 'tls' && book.pausedUntil > 0;
  if (!book.hold && !tlsPause) return book;
  return { ...book, hold: null, ...(tlsPause && { pausedUntil: 0, pauseReason: null }) };
}

/** Whether a request may not go out now: paused by a refusal, or held by an operator. */
export function isStopped(book: SlotBook, now: number): boolean {
  return book.pausedUntil > now || Boolean(book.hold);
}
