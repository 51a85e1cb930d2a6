/**
 * The benchmark's arithmetic, pure: the request bound of a service and how close a run came to it,
 * what a backfill takes at the real budgets, and what it costs on Cloudflare.
 */

/**
 * Cloudflare's list prices on the Workers Paid plan, as published on these pages (read 2026-11-25):
 * Queues https://developers.cloudflare.com/queues/platform/pricing/ (1 M operations a month
 * included, then $0.40 a million; an operation is 64 KB written, read or deleted),
 * Durable Objects https://developers.cloudflare.com/durable-objects/platform/pricing (1 M requests
 * included, then $0.15 a million; every RPC call is one request. Duration: 400,000 GB-s included,
 * then $12.50 a million GB-s, an object billed as 128 MB while active or idle but not able to
 * hibernate. SQLite storage: 50 M rows written included, then $1.00 a million, each storage.put
 * of a key one row; rows read, 25 billion included, are one get per object start here, and the
 * stored book is bytes against 5 GB-month included: both left out), Workers
 * https://developers.cloudflare.com/workers/platform/pricing/ ($5 a month; 10 M requests and 30 M
 * CPU ms included, then $0.30 a million requests and $0.02 a million CPU ms).
 */
export const PRICES = {
  pages: [
    'https://developers.cloudflare.com/queues/platform/pricing/',
    'https://developers.cloudflare.com/durable-objects/platform/pricing',
    'https://developers.cloudflare.com/workers/platform/pricing/',
  ],
  planUsd: 5,
  queueOperationBytes: 64 * 1024,
  queueOperations: { included: 1_000_000, usdPerMillion: 0.4 },
  durableObjectRequests: { included: 1_000_000, usdPerMillion: 0.15 },
  durableObjectMemoryGb: 0.128,
  durableObjectGbSeconds: { included: 400_000, usdPerMillion: 12.5 },
  durableObjectRowsWritten: { included: 50_000_000, usdPerMillion: 1 },
  workerRequests: { included: 10_000_000, usdPerMillion: 0.3 },
  cpuMs: { included: 30_000_000, usdPerMillion: 0.02 },
} as const;

/**
 * Queue operations of one message: one per 64 KB written, again per delivery read (a retry is one
 * more delivery), and once more deleted.
 */
export function queueOperations(messageBytes: number, deliveries = 1): number {
  const chunks = Math.max(1, Math.ceil(messageBytes / PRICES.queueOperationBytes));
  return chunks * (1 + deliveries + 1);
}

/** The least time `requests` can take at `requestsPerMinute`: each occupies one slot. */
export function requestBoundMs(requests: number, requestsPerMinute: number): number {
  return (requests * 60_000) / requestsPerMinute;
}

/**
 * A service's wall time over its bound: from its first request to its last, plus the last one's
 * own slot, over the slots the pages it needed take. 1.00 is asking at the budget throughout.
 */
export function wallOverBound(firstAt: number, lastAt: number, pagesNeeded: number, requestsPerMinute: number): number {
  const slot = 60_000 / requestsPerMinute;
  return (lastAt - firstAt + slot) / requestBoundMs(pagesNeeded, requestsPerMinute);
}

/** Requests made over requests allowed while work remained (first to last request, as above). */
export function dutyCycle(requestsMade: number, firstAt: number, lastAt: number, requestsPerMinute: number): number {
  const slot = 60_000 / requestsPerMinute;
  return requestsMade / ((lastAt - firstAt + slot) / slot);
}

/**
 * Pages a history needs: one per slice at least, more where a slice holds more than a page
 * (releases spread evenly over the slices; the real spread only adds pages).
 */
export function pagesForHistory(slices: number, releases: number, pageLimit: number): number {
  if (slices === 0) return 0;
  return slices * Math.max(1, Math.ceil(releases / slices / pageLimit));
}

/** Hours a backfill takes when a service is asked at its budget all the time. */
export function backfillHours(pages: number, requestsPerMinute: number): number {
  return requestBoundMs(pages, requestsPerMinute) / 3_600_000;
}

/** Hours the same backfill takes when one invocation an hour pages for `minutesPerHour`. */
export function hourlyCronBackfillHours(pages: number, requestsPerMinute: number, minutesPerHour: number): number {
  return Math.ceil(pages / (requestsPerMinute * minutesPerHour));
}

/** Duration billed for one object active `activeSeconds` (128 MB, whatever it uses). */
export function durableObjectGbSeconds(activeSeconds: number): number {
  return activeSeconds * PRICES.durableObjectMemoryGb;
}

export interface MonthlyUsage {
  queueOperations: number;
  durableObjectRequests: number;
  durableObjectGbSeconds: number;
  durableObjectRowsWritten: number;
  workerRequests: number;
  cpuMs: number;
}

/** The month's bill: the plan, plus what each meter uses above its allowance. */
export function monthlyBillUsd(usage: MonthlyUsage): { total: number; lines: Record<keyof MonthlyUsage | 'plan', number> } {
  const over = (used: number, meter: { included: number; usdPerMillion: number }) => (Math.max(0, used - meter.included) / 1_000_000) * meter.usdPerMillion;
  const lines = {
    plan: PRICES.planUsd,
    queueOperations: over(usage.queueOperations, PRICES.queueOperations),
    durableObjectRequests: over(usage.durableObjectRequests, PRICES.durableObjectRequests),
    durableObjectGbSeconds: over(usage.durableObjectGbSeconds, PRICES.durableObjectGbSeconds),
    durableObjectRowsWritten: over(usage.durableObjectRowsWritten, PRICES.durableObjectRowsWritten),
    workerRequests: over(usage.workerRequests, PRICES.workerRequests),
    cpuMs: over(usage.cpuMs, PRICES.cpuMs),
  };
  return { total: Object.values(lines).reduce((a, b) => a + b, 0), lines };
}

/**
 * Queue operations of one page's write parts: its releases split into parts of at most
 * `maxPartBytes` (the fetch consumer's split), each part written, read once and deleted.
 */
export function pageWriteOperations(releasesOnPage: number, bytesPerRelease: number, maxPartBytes: number): number {
  const bytes = releasesOnPage * bytesPerRelease;
  const parts = Math.max(1, Math.ceil(bytes / maxPartBytes));
  return parts * queueOperations(bytes / parts);
}
