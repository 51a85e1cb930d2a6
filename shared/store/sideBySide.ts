/**
 * Sends independent commands at once, so that they cost one round trip to MongoDB instead of one
 * each, and waits for every one of them before failing with the first error: nothing is left in
 * flight when the caller decides what to do next (retry the batch, align contracts). The pool holds
 * two connections (db.ts): the write path never sends more than two side by side.
 */
export async function sideBySide<T extends readonly unknown[]>(...work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
