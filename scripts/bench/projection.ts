/**
 * The full history at the real budgets, from the same page arithmetic the run was measured with:
 * how long the backfill takes, and what the month holding it (plus a month of deltas) costs.
 */
import { MAX_RELEASES_BYTES } from '../../consumer/fetch/buildWriteMessages.ts';
import { slotIntervalMs } from '../../shared/rateGate/slotBook.ts';
import { backfillHours, durableObjectGbSeconds, hourlyCronBackfillHours, monthlyBillUsd, pageWriteOperations, pagesForHistory, queueOperations, type MonthlyUsage } from './costs.ts';

export interface SourceHistory {
  name: 'FTS' | 'CF';
  startDate: string;
  /** The longest slice the service is asked for (FTS 6 hours, CF 15 days). */
  sliceMs: number;
  /** Releases in the whole history (assumed: see HISTORY). */
  releases: number;
  /** New or changed releases a month once backfilled. */
  releasesPerMonth: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * ~1.4 M releases in all (docs/data-model.md, Storage), split by UPSTREAM.md's volumes: FTS ~200k
 * Jan 2021 – Jul 2024 and faster since (~200–530 a day), CF ~100–150k a year since 2016-11.
 */
export const HISTORY: readonly SourceHistory[] = [
  { name: 'FTS', startDate: '2021-01-01', sliceMs: 6 * HOUR, releases: 450_000, releasesPerMonth: 11_000 },
  { name: 'CF', startDate: '2016-11-01', sliceMs: 15 * DAY, releases: 950_000, releasesPerMonth: 10_500 },
];

/** The real budget per service, and the cron's hour as the alternative design pages it. */
export const REAL_REQUESTS_PER_MINUTE = 6;
export const CRON_MINUTES_PER_HOUR = [1, 15] as const;
const PAGE_LIMIT = 100;
/** One delta window an hour per source, one slice each (a delta of an hour holds far under a page). */
const DELTA_PAGES_PER_MONTH = 24 * 30;
const FETCH_MESSAGE_BYTES = 120;
/** How long an idle object stays in memory before it hibernates (Durable Objects' lifecycle page). */
const HIBERNATE_AFTER_S = 10;

export interface SourceProjection {
  name: string;
  slices: number;
  pages: number;
  hoursAtBudget: number;
  hoursHourlyCron: Record<number, number>;
}

export function projectBackfill(history: readonly SourceHistory[], now: Date): SourceProjection[] {
  return history.map((h) => {
    const slices = Math.ceil((now.getTime() - new Date(`${h.startDate}T00:00:00Z`).getTime()) / h.sliceMs);
    const pages = pagesForHistory(slices, h.releases, PAGE_LIMIT);
    return {
      name: h.name,
      slices,
      pages,
      // At the gate's real spacing, not the bare budget.
      hoursAtBudget: backfillHours(pages, REAL_REQUESTS_PER_MINUTE) * (slotIntervalMs(REAL_REQUESTS_PER_MINUTE) / (60_000 / REAL_REQUESTS_PER_MINUTE)),
      hoursHourlyCron: Object.fromEntries(CRON_MINUTES_PER_HOUR.map((m) => [m, hourlyCronBackfillHours(pages, REAL_REQUESTS_PER_MINUTE, m)])),
    };
  });
}

export interface MeasuredRates {
  /** Mapped release JSON bytes, as write parts carry them. */
  bytesPerRelease: number;
  /** Upstream pages one fetch message pages (at the real budget: a minute's invocation shared by the windows in flight). */
  pagesPerFetchMessage: number;
  /** Durable Object calls per upstream page, as the gates counted them (reserve, the check after waiting, pauses). */
  durableObjectRequestsPerPage: number;
  /** Rows the gates wrote per upstream page (a put of the book per call that changed it). */
  durableObjectRowsWrittenPerPage: number;
  /** CPU ms per release, reading and mapping plus writing. */
  cpuMsPerRelease: number;
}

/**
 * The month that holds the whole backfill and a month of deltas, on the Workers Paid plan. A gate's
 * duration is an upper bound: active (billed) through its backfill, and for HIBERNATE_AFTER_S after
 * each delta page. The pricing page bills an idle object only if it cannot hibernate, and the gate
 * (no timers, no fetch, no WebSocket) can: the real figure is its calls' running time, far less.
 */
export function projectMonth(history: readonly SourceHistory[], projections: readonly SourceProjection[], rates: MeasuredRates) {
  const usage: MonthlyUsage = { queueOperations: 0, durableObjectRequests: 0, durableObjectGbSeconds: 0, durableObjectRowsWritten: 0, workerRequests: 24 * 30, cpuMs: 0 };
  let releases = 0;
  for (const [i, h] of history.entries()) {
    const monthReleases = h.releases + h.releasesPerMonth;
    releases += monthReleases;
    addFetchedPages(usage, projections[i].pages + DELTA_PAGES_PER_MONTH, monthReleases, rates);
    usage.durableObjectGbSeconds += durableObjectGbSeconds(projections[i].hoursAtBudget * 3_600 + DELTA_PAGES_PER_MONTH * HIBERNATE_AFTER_S);
  }
  return { releases, usage, bill: monthlyBillUsd(usage) };
}

/** What `pages` holding `releases` cost when each is fetched and all of it written (a backfill's, a delta's). */
function addFetchedPages(usage: MonthlyUsage, pages: number, releases: number, rates: MeasuredRates): void {
  const perPage = releases / pages;
  const fetchMessages = pages / rates.pagesPerFetchMessage;
  usage.queueOperations += pages * pageWriteOperations(perPage, rates.bytesPerRelease, MAX_RELEASES_BYTES) + fetchMessages * queueOperations(FETCH_MESSAGE_BYTES);
  usage.durableObjectRequests += pages * rates.durableObjectRequestsPerPage;
  usage.durableObjectRowsWritten += pages * rates.durableObjectRowsWrittenPerPage;
  // One invocation per fetch message at worst; write batches of 10 parts.
  usage.workerRequests += fetchMessages + (pages * Math.max(1, Math.ceil((perPage * rates.bytesPerRelease) / MAX_RELEASES_BYTES))) / 10;
  usage.cpuMs += releases * rates.cpuMsPerRelease;
}

/** Reconciliation's defaults (shared/config.ts): requests a minute per service, and procurements a month asked through each service's record endpoint. */
export const RECONCILE_PER_MINUTE = 2;
export const RECORDS_PER_MONTH = 10;
const MINUTES_PER_MONTH = 60 * 24 * 30;

export interface ReconcilePass {
  name: string;
  /** The history's pages walked again, plus the record door's sample (one request a procurement). */
  pagesPerPass: number;
  passDays: number;
}

/**
 * A month after the backfill, deltas and continuous reconciliation: each service walked at
 * RECONCILE a minute around the clock. Over an unchanged history a walked page sends no write
 * message (one MongoDB read), so a walk costs its fetch chain (a message per invocation, which pages
 * RECONCILE a minute), its Durable Object calls (the pace gate's reserve on top of the source
 * gate's, as measured per page; the same for rows written) and the CPU of reading its releases
 * (charged at the measured fetch-and-write rate: an upper bound). Findings, rare, are written as
 * deltas are.
 */
export function projectReconciliation(history: readonly SourceHistory[], projections: readonly SourceProjection[], rates: MeasuredRates, now: Date) {
  const usage: MonthlyUsage = { queueOperations: 0, durableObjectRequests: 0, durableObjectGbSeconds: 0, durableObjectRowsWritten: 0, workerRequests: 24 * 30, cpuMs: 0 };
  const passes: ReconcilePass[] = [];
  for (const [i, h] of history.entries()) {
    addFetchedPages(usage, DELTA_PAGES_PER_MONTH, h.releasesPerMonth, rates);
    const months = monthsSince(h.startDate, now);
    const pagesPerPass = projections[i].pages + months * RECORDS_PER_MONTH;
    passes.push({ name: h.name, pagesPerPass, passDays: pagesPerPass / RECONCILE_PER_MINUTE / (60 * 24) });
    const pages = RECONCILE_PER_MINUTE * MINUTES_PER_MONTH;
    const fetchMessages = pages / RECONCILE_PER_MINUTE;
    usage.queueOperations += fetchMessages * queueOperations(FETCH_MESSAGE_BYTES);
    usage.workerRequests += fetchMessages;
    usage.durableObjectRequests += pages * (rates.durableObjectRequestsPerPage + 1);
    usage.durableObjectRowsWritten += pages * (rates.durableObjectRowsWrittenPerPage + 1);
    usage.cpuMs += pages * (h.releases / projections[i].pages) * rates.cpuMsPerRelease;
    // The source's gate and its pace gate, each active 10 s after a walk's request (one each 30 s at 2 a minute).
    usage.durableObjectGbSeconds += 2 * durableObjectGbSeconds(pages * HIBERNATE_AFTER_S);
  }
  return { passes, usage, bill: monthlyBillUsd(usage) };
}

function monthsSince(startDate: string, now: Date): number {
  const start = new Date(`${startDate}T00:00:00Z`);
  return (now.getUTCFullYear() - start.getUTCFullYear()) * 12 + now.getUTCMonth() - start.getUTCMonth() + 1;
}
