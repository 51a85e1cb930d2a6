/**
 * When the windows of one fetch batch hand on, shared by them all. Local queues, and a platform that
 * does not scale out, run one batch at a time: a window that ends early would leave its source idle
 * until the batch's other windows end. So when a window ends and the next of its source is queued,
 * every window of the batch hands on after its current page, and the next batch starts with it.
 */
export interface BatchClock {
  /** Every window hands on once this has passed (after the page it is on). */
  handOnAt: number;
  /** The latest request slot granted to a window of the batch: a window may still be waiting for it. */
  lastSlotAt: number;
}

export function startBatchClock(now: number, invocationSeconds: number): BatchClock {
  return { handOnAt: now + invocationSeconds * 1000, lastSlotAt: 0 };
}

/**
 * When the batch hands on once a window has ended early. Not at once: the invocation cannot end
 * before a window waiting for a slot it was granted has asked (giving the slot up would waste it),
 * so until then the other windows go on paging inside their budgets instead of idling (a bench run
 * lost a slow source's whole slot interval, up to 2.4 s at 16 a minute, from the fast one's
 * budget at every such hand-on). Never later than the invocation's own end.
 */
export function handOnEarly(clock: BatchClock, now: number): number {
  return Math.min(clock.handOnAt, Math.max(now, clock.lastSlotAt));
}
