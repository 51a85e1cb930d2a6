import type { Checkpoint, WindowDoc } from './window.ts';

export interface FetchPolicy {
  /** Windows of one source being fetched at once: the source's budget is shared anyway. */
  inFlight: number;
  /** A queued or fetching window with no progress for this long lost its message: resume it. */
  stallMs: number;
  /** A failed window is restarted this many times before it stays failed. */
  maxAttempts: number;
  /**
   * The write side has stored nothing for stallMs: a fetched window still missing parts then lost
   * them (a crash drops queued messages) and is started again. False while the writer works through
   * a backlog, so a window merely waiting its turn is not restarted.
   */
  writerIdle?: boolean;
  /**
   * Reconciliation is on (RECONCILE): a reconcile window waiting is started once no month of the
   * history is waiting or in flight. Off: reconcile windows wait (windows/reconciliation.ts).
   */
  reconcile?: boolean;
}

export type WindowPick = Pick<WindowDoc, '_id' | 'seq' | 'state' | 'span' | 'from' | 'to' | 'attempts' | 'updatedAt' | 'lease'> & {
  /** Only the holes: whether a restart can resume from the checkpoint (startPoint.ts). */
  checkpoint: Pick<Checkpoint, 'holes'>;
};

export interface FetchPlan {
  /** Stalled chains, resumed from their checkpoint. */
  resume: WindowPick[];
  /**
   * Pending windows, and failed ones with attempts left (from their checkpoint where they can:
   * startPoint.ts); also fetched windows stalled that long, whose write messages were lost (a
   * crash drops queued messages): only a new generation can write their pages again.
   */
  start: WindowPick[];
}

/**
 * Which windows of one source to put on the fetch queue now. The newest data first: delta windows
 * start at once, whatever the backfill has in flight (they are small, and ten-minute freshness must
 * not wait for a month of history to page through); then months from the most recent back, up to
 * the in-flight limit, so a search product is useful early in a backfill; then a reconcile walk,
 * once the backfill is done.
 * Pure: the producer, the delta ticks and the fetch consumer (topping up when a window finishes) call it.
 */
export function pickWindowsToFetch(windows: readonly WindowPick[], now: Date, policy: FetchPolicy): FetchPlan {
  const inFlight = windows.filter((w) => w.state === 'queued' || w.state === 'fetching');
  const resume = inFlight.filter((w) => now.getTime() - w.updatedAt.getTime() >= policy.stallMs);
  const lostWrites = windows.filter((w) => policy.writerIdle === true && w.state === 'fetched' && w.attempts < policy.maxAttempts && now.getTime() - w.updatedAt.getTime() >= policy.stallMs);
  const waiting = windows.filter((w) => w.state === 'pending' || (w.state === 'failed' && w.attempts < policy.maxAttempts));
  const deltas = waiting.filter((w) => w.span === 'delta').sort(newestFirst);
  const backfillBusy = [...inFlight, ...lostWrites].filter((w) => w.span === 'month').length;
  const waitingMonths = waiting.filter((w) => w.span === 'month');
  const months = waitingMonths.sort(newestFirst).slice(0, Math.max(0, policy.inFlight - backfillBusy));
  // Reconciliation takes what the backfill leaves: nothing while a month waits or is fetched.
  const walks = policy.reconcile && waitingMonths.length + backfillBusy === 0 ? waiting.filter((w) => w.span === 'reconcile') : [];
  return { resume: resume.filter((w) => w.span !== 'reconcile' || policy.reconcile), start: [...deltas, ...lostWrites, ...months, ...walks] };
}

function newestFirst(a: WindowPick, b: WindowPick): number {
  return b.from.getTime() - a.from.getTime();
}
