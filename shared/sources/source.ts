import type * as v from 'valibot';
import type { NoticeRules } from '../mapping/noticeRules.ts';
import type { PageContext } from '../mapping/pageContext.ts';
import type { PackageResult } from '../ocds/packageSchema.ts';

export interface TimeRange {
  from: Date;
  to: Date;
}

/** The two OCDS package formats a service answers in: a release package (`releases[]`) or a record package (`records[]`). */
export type PackageKind = 'releasePackage' | 'recordPackage';

/** How the pipeline should treat an answer that is not a page. */
export type Refusal =
  /** The service is rate-limiting us: every consumer of this source waits `pauseMs`. */
  | { kind: 'pause'; pauseMs: number; reason: string }
  /** The service is down (5xx): the source pauses and is probed (shared/rateGate/requestPage.ts). */
  | { kind: 'transient'; reason: string }
  /** Trying again will not help (400, 404): dead-letter with the reason. */
  | { kind: 'permanent'; reason: string };

/**
 * A source's own variables, by the names operators set (`FTS_API_URL`, `CF_BLOCK_PAUSE_SECONDS`),
 * each with its default. shared/config.ts reads them with the shared ones, so a bad value fails
 * naming its variable.
 */
export type SourceSettings = v.ObjectSchema<v.ObjectEntries, undefined>;

/** What an adapter's methods are given: its own variables, read, and the shared page size. */
export type SourceConfig<Settings extends SourceSettings> = v.InferOutput<Settings> & { PAGE_LIMIT: number };

/**
 * One upstream service: everything that differs between sources, each rule with its evidence
 * (./UPSTREAM.md). Paging, budgets and mapping are shared and ask the adapter, so a third source is
 * one more file like findATender.ts and one line in sources.ts.
 */
export interface SourceAdapter<Name extends string = string, Settings extends SourceSettings = SourceSettings> extends NoticeRules {
  readonly name: Name;
  readonly settings: Settings;
  /** The longest date range one request may cover. */
  maxSliceMs: number;
  startDate(config: SourceConfig<Settings>): Date;
  requestsPerMinute(config: SourceConfig<Settings>): number;
  /** Its reconciliation walk's pace, requests a minute, where not RECONCILE's (whose `off` still holds). */
  reconcilePerMinute?(config: SourceConfig<Settings>): number;
  /** The first page of a slice; later pages come from the package's `links.next`. */
  firstPageUrl(config: SourceConfig<Settings>, slice: TimeRange): string;
  /**
   * Every release of one procurement (its ocid): a second door to check the list by
   * (reconciliation asks it for a sample). Absent where the service has none that the pipeline reads.
   */
  recordUrl?(config: SourceConfig<Settings>, ocid: string): string;
  /** What `recordUrl` answers: a release package, like a list page, unless said otherwise. */
  recordAnswer?: PackageKind;
  /** Reads a non-200 answer. */
  readRefusal(config: SourceConfig<Settings>, status: number, headers: Headers): Refusal;
  /**
   * What an operator does when the service's certificate cannot be verified (shared/rateGate/tlsFailure.ts):
   * the second half of the status page's sentence. Absent: the generic remedy (trust store and compatibility flag, or a hold).
   */
  tlsRemedy?: string;
  /** Whether the source is copied at all (its own switch, `PCS_ENABLED`); absent: always. */
  enabled?(config: SourceConfig<Settings>): boolean;
  /**
   * Set where the service lists by calendar month only and answers each request whole (PCS): a
   * slice is one month, no answer is a "full page", no slice is looked at closer, and, with no
   * filter on the update date, changes are seen by reading the month again each hour
   * (windows/monthRereads.ts) instead of the delta ticks.
   */
  readonly wholeMonths?: true;
  /**
   * The request after `url` within the slice, or null when the slice is done, where the service
   * gives no `links.next` (PCS: the month's next notice type). Absent: the package's `links.next`.
   */
  nextPageUrl?(config: SourceConfig<Settings>, url: string): string | null;
  /** Reads a 200 answer's body where it is not the common release package (PCS: a BOM, no `releases` for an empty month). */
  readPackage?(body: ArrayBuffer | Uint8Array): PackageResult;
  /**
   * What a page's URL says of the releases it lists that they do not say themselves (PCS: the
   * notice type asked for), for the mapping. Absent: nothing.
   */
  pageContext?(url: string): PageContext;
  /**
   * The same, read back from a stored contract's `noticeType` (PCS: the code's name), for a rebuild
   * from raw data (`npm run remap`), which keeps the release, not its page. Absent: nothing.
   */
  copyContext?(copy: { noticeType?: string }): PageContext;
}

/** The registry's shape, checked: each adapter sits under its own name. */
export const byOwnName = <const Registry extends { [Name in keyof Registry]: SourceAdapter<Name & string> }>(registry: Registry): Registry => registry;

const HOUR = 3_600_000;
export const hours = (n: number): number => n * HOUR;

/** `Retry-After` in seconds (the services send integers); null when absent or not a number. */
export function retryAfterMs(headers: Headers): number | null {
  const value = headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value) * 1000;
}

/** 5xx and everything unexpected means the service is down for now; 4xx other than rate limits is final. */
export function defaultRefusal(status: number): Refusal {
  return status >= 400 && status < 500
    ? { kind: 'permanent', reason: `HTTP ${status}` }
    : { kind: 'transient', reason: `HTTP ${status}` };
}
