/**
 * A whole-month source's windows page one at a time in an isolate. Its answer is a month in one
 * body (Public Contracts Scotland: up to ~20 MB), held while it is read a chunk at a time
 * (sendAnswer.ts); invocations running in one isolate share its 128 MB, so two such bodies at once
 * (a batch of two PCS windows, or a re-read beside a backfill month) would not fit beside the
 * other windows (docs/workers-limits.md). One window at a time costs no throughput: the source's
 * gate spaces its requests anyway, and one window's chain takes every slot it is given.
 */
let turn: Promise<unknown> = Promise.resolve();

export function oneWholeMonthAtATime<T>(work: () => Promise<T>): Promise<T> {
  const mine = turn.then(work, work);
  // The next waits for this one to end, however it ends; its own outcome is the caller's.
  turn = mine.catch(() => undefined);
  return mine;
}
