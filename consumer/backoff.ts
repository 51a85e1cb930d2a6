/**
 * A delay that doubles from `first` with each retry `n` (1-based) up to `cap`, with full jitter on
 * the upper half so messages that failed together do not come back together.
 */
function doubling(first: number, cap: number, n: number, random: () => number): number {
  const ceiling = Math.min(cap, first * 2 ** Math.max(0, n - 1));
  return Math.max(1, Math.round(ceiling / 2 + random() * (ceiling / 2)));
}

/** Delay after a message's own failure number `failures` (a record race, a refused write): 5 s doubling to 5 minutes. */
export function backoffSeconds(failures: number, random: () => number = Math.random): number {
  return doubling(5, 300, failures, random);
}

/** The longest wait between two tries of a message waiting for MongoDB: once it is back, work resumes within it. */
export const OUTAGE_CAP_SECONDS = 120;

/**
 * Delay of a message that found MongoDB unreachable on its delivery number `attempts`: 30 s
 * doubling to OUTAGE_CAP_SECONDS. The first tries come soon, for a blip; after that a message asks
 * about once every one to two minutes, so work resumes within two minutes of MongoDB's return, and
 * an hour of outage costs 62 retries (consumer/retryBudget.ts).
 */
export function outageDelaySeconds(attempts: number, random: () => number = Math.random): number {
  return doubling(30, OUTAGE_CAP_SECONDS, attempts, random);
}

/** How many outage retries, each as short as the jitter allows, it takes to wait out `seconds`. */
export function outageRetriesFor(seconds: number): number {
  let retries = 0;
  for (let waited = 0; waited < seconds; retries++) waited += outageDelaySeconds(retries + 1, () => 0);
  return retries;
}
