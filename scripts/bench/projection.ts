/**
 * The full history at the real budgets, from the same page arithmetic the run was measured with:
 * how long the backfill takes, and what the month holding it (plus a month of deltas) costs.
 */
import { MAX_RELEASES_BYTES } from '../../consumer/fetch/buildWriteMessages.ts';
import { slotIntervalMs } from '../../shared/rateGate/slotBook.ts';
import { SITE_NOTICE_TYPES } from '../../shared/sources/pcs/noticeTypes.ts';
import { PREVIOUS_MONTH_DAYS } from '../../shared/windows/monthRereads.ts';
import { backfillHours, durableObjectGbSeconds, hourlyCronBackfillHours, monthlyBillUsd, pageWriteOperations, pagesForHistory, PRICES, queueOperations, type MonthlyUsage } from './costs.ts';

/**
 * How a service's history is asked for. `slices`: windows cut into slices of at most `sliceMs`
 * (FTS 6 hours, CF 15 days), each paged 100 releases at a time; deltas are an updated-since window
 * an hour. `wholeMonths`: one request answers a whole calendar month of one notice type, whatever it
 * holds (no paging), and with no updated-since filter the deltas are hourly re-reads of the current
 * month (and the previous one in a month's first days) compared with the stored copies (PCS:
 * shared/windows/monthRereads.ts, consumer/fetch/fetchWindow.ts `compared`).
 */
export type Paging = { kind: 'slices'; sliceMs: number } | { kind: 'wholeMonths'; noticeTypes: number };

export interface SourceHistory {
  name: 'FTS' | 'CF' | 'PCS';
  startDate: string;
  paging: Paging;
  /** Releases in the whole history (assumed: see HISTORY). */
  releases: number;
  /** New or changed releases a month once backfilled. */
  releasesPerMonth: number;
  /** Its reconciliation walk's requests a minute where not RECONCILE's (PCS: PCS_RECONCILE_PER_HOUR). */
  reconcilePerMinute?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * ~1.4 M releases in all (docs/data-model.md, Storage), split by UPSTREAM.md's volumes: FTS ~200k
 * Jan 2021 – Jul 2024 and faster since (~200–530 a day), CF ~100–150k a year since 2016-11.
 * PCS (not in the 1.4 M): ~30,000 site notices a year (issue 25; its ocids, numbered by a
 * procurement's first notice, ran from ~581k in April 2019 to ~824k in July 2026, ~33k a year with
 * the EU forms, which the default notice types 101–104 leave out), so 240,000 from PCS_START_DATE's
 * default 2019-01 to the end of 2026, and 2,500 new or changed a month. Its default 4 notice types
 * (SITE_NOTICE_TYPES) each take a request a month.
 */
export const HISTORY: readonly SourceHistory[] = [
  { name: 'FTS', startDate: '2021-01-01', paging: { kind: 'slices', sliceMs: 6 * HOUR }, releases: 450_000, releasesPerMonth: 11_000 },
  { name: 'CF', startDate: '2016-11-01', paging: { kind: 'slices', sliceMs: 15 * DAY }, releases: 950_000, releasesPerMonth: 10_500 },
  // Walked at PCS_RECONCILE_PER_HOUR's default, 12 an hour: a request is a whole month of a type.
  { name: 'PCS', startDate: '2019-01-01', paging: { kind: 'wholeMonths', noticeTypes: SITE_NOTICE_TYPES.length }, releases: 240_000, releasesPerMonth: 2_500, reconcilePerMinute: 12 / 60 },
];

/** The real budget per service (PCS_REQUESTS_PER_MINUTE's default too), and the cron's hour as the alternative design pages it. */
export const REAL_REQUESTS_PER_MINUTE = 6;
export const CRON_MINUTES_PER_HOUR = [1, 15] as const;
const PAGE_LIMIT = 100;
/** The hourly crons of a month: one delta window each per sliced source, one slice each (a delta of an hour holds far under a page). */
const CRONS_PER_MONTH = 24 * 30;
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
    const { slices, pages } = backfillPages(h, now);
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

/**
 * The slices and requests of a backfill from `h.startDate` up to `now`. Sliced: one page per slice at
 * least, more where a slice holds more than a page. Whole months: wholeMonthPages, its requests
 * counted as slices too (a month's chain is a request per notice type, none of them ever a full page).
 */
export function backfillPages(h: SourceHistory, now: Date): { slices: number; pages: number } {
  if (h.paging.kind === 'wholeMonths') {
    const pages = wholeMonthPages(h.startDate, now, h.paging.noticeTypes);
    return { slices: pages, pages };
  }
  const slices = Math.ceil((now.getTime() - new Date(`${h.startDate}T00:00:00Z`).getTime()) / h.paging.sliceMs);
  return { slices, pages: pagesForHistory(slices, h.releases, PAGE_LIMIT) };
}

/** Every calendar month from the start's to now's (begun), one request per notice type, whatever the volume. */
export function wholeMonthPages(startDate: string, now: Date, noticeTypes: number): number {
  return monthsSince(startDate, now) * noticeTypes;
}

/** A month of a source's deltas once backfilled. */
export interface DeltaMonth {
  requests: number;
  /** Releases read from upstream (a compared one costs its read and comparison even when unchanged). */
  releasesRead: number;
  /** Releases sent to the write queue: the month's new or changed ones. */
  releasesWritten: number;
}

/** Sliced: an hour's delta window a cron, one page each, its releases all written. Whole months: monthRereads. */
export function deltaMonth(h: SourceHistory): DeltaMonth {
  if (h.paging.kind === 'wholeMonths') return monthRereads(h.paging.noticeTypes, h.releasesPerMonth);
  return { requests: CRONS_PER_MONTH, releasesRead: h.releasesPerMonth, releasesWritten: h.releasesPerMonth };
}

/**
 * A month of a whole-month source's re-reads (shared/windows/monthRereads.ts): every hourly cron
 * reads the current month up to now, a request per notice type, and in a month's first
 * PREVIOUS_MONTH_DAYS days the whole previous month too. Assumed: releases published evenly, so the
 * current month read at hour k of 720 holds k/720 of its releases (half a month on average), the
 * previous month all of them; each re-read compares every release with its stored copy and sends
 * only what differs (fetchWindow.ts `compared`), so each new or changed release is written once, by
 * the first re-read after it appeared.
 */
export function monthRereads(noticeTypes: number, releasesPerMonth: number): DeltaMonth {
  const previousMonthCrons = 24 * PREVIOUS_MONTH_DAYS;
  return {
    requests: (CRONS_PER_MONTH + previousMonthCrons) * noticeTypes,
    releasesRead: (CRONS_PER_MONTH / 2 + previousMonthCrons) * releasesPerMonth,
    releasesWritten: releasesPerMonth,
  };
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
 * each delta request (a whole-month source's re-reads come 4 or 8 an hour at a slot's spacing,
 * ~10 s). The pricing page bills an idle object only if it cannot hibernate, and the gate (no
 * timers, no fetch, no WebSocket) can: the real figure is its calls' running time, far less.
 */
export function projectMonth(history: readonly SourceHistory[], projections: readonly SourceProjection[], rates: MeasuredRates) {
  const usage: MonthlyUsage = { queueOperations: 0, durableObjectRequests: 0, durableObjectGbSeconds: 0, durableObjectRowsWritten: 0, workerRequests: 24 * 30, cpuMs: 0 };
  let releases = 0;
  const deltas = history.map(deltaMonth);
  for (const [i, h] of history.entries()) {
    releases += h.releases + h.releasesPerMonth;
    if (h.paging.kind === 'slices') {
      // Delta pages written as backfill pages are, billed with them at the average page (as before PCS).
      addFetchedPages(usage, projections[i].pages + deltas[i].requests, h.releases + deltas[i].releasesWritten, rates);
    } else {
      addFetchedPages(usage, projections[i].pages, h.releases, rates);
      addComparedRequests(usage, deltas[i], rates);
    }
    usage.durableObjectGbSeconds += durableObjectGbSeconds(projections[i].hoursAtBudget * 3_600 + deltas[i].requests * HIBERNATE_AFTER_S);
  }
  // Each source's month of deltas (deltaMonth), in `history`'s order: a whole-month source's re-reads' releases read.
  return { releases, deltas, usage, bill: monthlyBillUsd(usage) };
}

/** A month of `h`'s deltas alone (deltaMonth) added to `usage`. */
function addDeltas(usage: MonthlyUsage, h: SourceHistory, rates: MeasuredRates): void {
  const deltas = deltaMonth(h);
  if (h.paging.kind === 'slices') addFetchedPages(usage, deltas.requests, deltas.releasesWritten, rates);
  else addComparedRequests(usage, deltas, rates);
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

/**
 * What compared requests cost (re-reads): each fetched and gated like a page, CPU for every release
 * read (at the fetch-and-write rate: an upper bound for an unchanged one, which is read, mapped and
 * compared but not written), write parts only for the releases that differ. Those come ~3.5 an hour
 * at PCS's volume, far under a part: counted as a part each (an upper bound).
 */
function addComparedRequests(usage: MonthlyUsage, d: DeltaMonth, rates: MeasuredRates): void {
  const fetchMessages = d.requests / rates.pagesPerFetchMessage;
  usage.queueOperations += d.releasesWritten * queueOperations(rates.bytesPerRelease) + fetchMessages * queueOperations(FETCH_MESSAGE_BYTES);
  usage.durableObjectRequests += d.requests * rates.durableObjectRequestsPerPage;
  usage.durableObjectRowsWritten += d.requests * rates.durableObjectRowsWrittenPerPage;
  usage.workerRequests += fetchMessages + d.releasesWritten / 10;
  usage.cpuMs += d.releasesRead * rates.cpuMsPerRelease;
}

/** Reconciliation's defaults (shared/config.ts): requests a minute per service, and procurements a month asked through each service's record endpoint. */
export const RECONCILE_PER_MINUTE = 2;
export const RECORDS_PER_MONTH = 10;
const MINUTES_PER_MONTH = 60 * 24 * 30;

export interface ReconcilePass {
  name: string;
  /** The history's pages walked again, plus the record door's sample (one request a procurement). */
  pagesPerPass: number;
  /** Months walked, each a walk whose successor waits for the next tick (passHoursAtRealPace). */
  months: number;
  /** The walk's requests a minute. */
  perMinute: number;
  passDays: number;
}

/** What a walk costs, per walked page or per minute of walking. */
export interface WalkRates {
  /** Fetch messages a walk sends per minute of walking: its chain's, one per invocation, and one per month begun. */
  fetchMessagesPerMinute: number;
  /** Write messages per walked page: 0 over an unchanged history. */
  writeMessagesPerPage: number;
  /** Durable Object calls per walked page: the source gate's and the pace gate's. */
  durableObjectRequestsPerPage: number;
  durableObjectRowsWrittenPerPage: number;
}

/**
 * The walk's rates before any was measured: a fetch message a minute (an invocation pages a
 * minute), nothing written, the source gate's calls as a backfill page's plus the pace gate's reserve.
 */
export function assumedWalkRates(rates: MeasuredRates): WalkRates {
  return { fetchMessagesPerMinute: 1, writeMessagesPerPage: 0, durableObjectRequestsPerPage: rates.durableObjectRequestsPerPage + 1, durableObjectRowsWrittenPerPage: rates.durableObjectRowsWrittenPerPage + 1 };
}

/** One measured pass of one source: what its walks read and sent, and the source gate's count over it. */
export interface MeasuredPass {
  pages: number;
  fetchSends: number;
  writeSends: number;
  gateRequests: number;
  gateRowsWritten: number;
  wallMs: number;
}

/**
 * The walk's rates from measured passes, pooled. Fetch messages per minute are taken at the bench's
 * compressed pace, where a month's walk is shorter and its first message weighs more: an upper
 * bound for the real pace. The source gate's count includes the few delta requests of the pass
 * (an upper bound too); the pace gate, which GET /gates does not read, adds its one reserve a page.
 */
export function measuredWalkRates(passes: readonly MeasuredPass[]): WalkRates {
  const sum = (key: keyof MeasuredPass) => passes.reduce((n, p) => n + p[key], 0);
  const pages = Math.max(1, sum('pages'));
  return {
    fetchMessagesPerMinute: sum('fetchSends') / Math.max(1 / 60, sum('wallMs') / 60_000),
    writeMessagesPerPage: sum('writeSends') / pages,
    durableObjectRequestsPerPage: sum('gateRequests') / pages + 1,
    durableObjectRowsWrittenPerPage: sum('gateRowsWritten') / pages + 1,
  };
}

/**
 * A month after the backfill, deltas and continuous reconciliation: each service walked at
 * RECONCILE a minute (PCS at its own pace) around the clock, at `walk`'s rates (measured by the bench's reconciliation
 * run, or assumed). Over an unchanged history a walked page sends no write message (one MongoDB
 * read), so a walk costs its fetch chain, its Durable Object calls and the CPU of reading its
 * releases (charged at the measured fetch-and-write rate: an upper bound).
 */
export function projectReconciliation(history: readonly SourceHistory[], projections: readonly SourceProjection[], rates: MeasuredRates, now: Date, walk: WalkRates = assumedWalkRates(rates)) {
  const usage: MonthlyUsage = { queueOperations: 0, durableObjectRequests: 0, durableObjectGbSeconds: 0, durableObjectRowsWritten: 0, workerRequests: 24 * 30, cpuMs: 0 };
  const passes: ReconcilePass[] = [];
  for (const [i, h] of history.entries()) {
    addDeltas(usage, h, rates);
    const months = monthsSince(h.startDate, now);
    const pagesPerPass = projections[i].pages + months * RECORDS_PER_MONTH;
    const perMinute = h.reconcilePerMinute ?? RECONCILE_PER_MINUTE;
    passes.push({ name: h.name, pagesPerPass, months, perMinute, passDays: pagesPerPass / perMinute / (60 * 24) });
    const pages = perMinute * MINUTES_PER_MONTH;
    // A walk slower than an invocation a minute hands on once a request, waiting for its pace.
    const fetchMessages = Math.min(walk.fetchMessagesPerMinute, perMinute) * MINUTES_PER_MONTH;
    const writeMessages = walk.writeMessagesPerPage * pages;
    usage.queueOperations += (fetchMessages + writeMessages) * queueOperations(FETCH_MESSAGE_BYTES);
    usage.workerRequests += fetchMessages + writeMessages / 10;
    usage.durableObjectRequests += pages * walk.durableObjectRequestsPerPage;
    usage.durableObjectRowsWritten += pages * walk.durableObjectRowsWrittenPerPage;
    // A pass reads the history once through its list requests; the record door's hold a procurement's few releases each (left out).
    usage.cpuMs += (pages / pagesPerPass) * h.releases * rates.cpuMsPerRelease;
    // The source's gate and its pace gate, each active 10 s after a walk's request (one each 30 s at 2 a minute).
    usage.durableObjectGbSeconds += 2 * durableObjectGbSeconds(pages * HIBERNATE_AFTER_S);
  }
  return { passes, usage, bill: monthlyBillUsd(usage) };
}

/** Where a month's bill stands against the plan: the allowances it fits, or by how much each meter it exceeds goes over. */
export function overAllowances(usage: MonthlyUsage): { meter: string; used: number; included: number }[] {
  const meters = ['queueOperations', 'durableObjectRequests', 'durableObjectGbSeconds', 'durableObjectRowsWritten', 'workerRequests', 'cpuMs'] as const;
  return meters.filter((m) => usage[m] > PRICES[m].included).map((m) => ({ meter: m, used: usage[m], included: PRICES[m].included }));
}

/**
 * A delta notice's lag at the real budget, bounded from one measured in compressed time. From
 * publication to the delta that carries it being planned: at most the tick spacing (the wait is on
 * the real clock in the bench too, where the bench's own crons may plan sooner). From planned to
 * served: the queue and the gate's slots, which at the real budget are `compression` times longer;
 * the whole of it scaled (an upper bound: the queue's own latency does not grow). From served to
 * stored: the write path as measured, not scaled. Without a planning time, publication to served is
 * scaled whole.
 */
export function lagAtRealRateMs(p: { publishedAt: number; plannedAt: number | null; servedAt: number; storedAt: number }, compression: number, tickMinutes: number): number {
  const plannedAt = p.plannedAt ?? p.publishedAt;
  return tickMinutes * 60_000 + Math.max(0, p.servedAt - plannedAt) * compression + Math.max(0, p.storedAt - p.servedAt);
}

/**
 * A pass's length at the real pace, at most: its pages at RECONCILE a minute, and for each month
 * walked the wait for the tick that plans the next (up to the tick spacing). Only a walk that sent
 * writes waits so (its writer closes it and plans nothing); one that found nothing plans the next
 * month as it closes, so over an unchanged history the pages alone are the length. Hours.
 */
export function passHoursAtRealPace(pages: number, monthsWalked: number, reconcilePerMinute: number, tickMinutes: number): number {
  return (pages / reconcilePerMinute + monthsWalked * tickMinutes) / 60;
}

function monthsSince(startDate: string, now: Date): number {
  const start = new Date(`${startDate}T00:00:00Z`);
  return (now.getUTCFullYear() - start.getUTCFullYear()) * 12 + now.getUTCMonth() - start.getUTCMonth() + 1;
}
