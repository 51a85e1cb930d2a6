import type { GateStatus } from './gateUsage.ts';
import { pause, reserve, slotIntervalMs, type OutageCause, type ProbePolicy, type Reservation, type SlotBook } from './slotBook.ts';

/**
 * The calls a source's gate answers. The RateGate Durable Object implements them, and so does the
 * in-process gate of the handler tests: both run the two functions below on their book, so a test
 * meters requests exactly as the Worker does and only where the book is kept differs. `served`,
 * `hold` and `release` are slotBook.ts's functions of the same names. Both count the calls they
 * serve and the rows they write (gateUsage.ts), which `status` reports. `failed` is slotBook.ts's
 * function of that name too.
 */
export interface RateGateCalls {
  /** `answerWithinMs`: the longest the request may take (its timeout), so a probe holds the source no longer. */
  reserve(requestsPerMinute: number, maxWaitMs: number, answerWithinMs: number): Promise<Reservation>;
  pause(pauseMs: number, reason: string): Promise<void>;
  /** An upstream failure (5xx, timeout; `cause` 'tls': the certificate): the source pauses, as `policy` says for each in a row, and then probes. */
  failed(reason: string, policy: ProbePolicy, cause?: OutageCause): Promise<SlotBook>;
  /** A request was served: ends a row of refusals or an outage (called only after one, see Reservation). */
  served(): Promise<void>;
  /** An operator's pause (POST /admin/pause) and its end (POST /admin/resume). */
  hold(reason: string): Promise<SlotBook>;
  release(): Promise<SlotBook>;
  status(): Promise<GateStatus>;
}

/** `reserve(requestsPerMinute, maxWaitMs, answerWithinMs)` at `now`: the new book and the caller's answer. */
export function reserveCall(book: SlotBook, now: number, requestsPerMinute: number, maxWaitMs: number, answerWithinMs: number): { book: SlotBook; reservation: Reservation } {
  return reserve(book, now, slotIntervalMs(requestsPerMinute), maxWaitMs, answerWithinMs);
}

/** `pause(pauseMs, reason)` at `now`: the new book. */
export function pauseCall(book: SlotBook, now: number, pauseMs: number, reason: string): SlotBook {
  return pause(book, now + pauseMs, reason, now);
}
