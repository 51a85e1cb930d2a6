import type { Config } from '../config.ts';
import type { SourceName } from './sourceName.ts';

export interface TimeRange {
  from: Date;
  to: Date;
}

/** How the pipeline should treat an answer that is not a page. */
export type Refusal =
  /** The service is rate-limiting us: every consumer of this source waits `pauseMs`. */
  | { kind: 'pause'; pauseMs: number; reason: string }
  /** Worth trying again after a backoff (5xx, timeouts). */
  | { kind: 'transient'; reason: string }
  /** Trying again will not help (400, 404): dead-letter with the reason. */
  | { kind: 'permanent'; reason: string };

/**
 * One upstream service. An adapter is mostly settings; paging, budgets and mapping are shared,
 * so a third source is one more file like fts.ts.
 */
export interface SourceAdapter {
  name: SourceName;
  /** Short name for logs and window ids. */
  short: string;
  /** The longest date range one request may cover. */
  maxSliceMs: number;
  startDate(config: Config): Date;
  requestsPerMinute(config: Config): number;
  /** The first page of a slice; later pages come from the package's `links.next`. */
  firstPageUrl(config: Config, slice: TimeRange): string;
  /** Reads a non-200 answer. */
  readRefusal(config: Config, status: number, headers: Headers): Refusal;
}

const HOUR = 3_600_000;
export const hours = (n: number): number => n * HOUR;

/** `Retry-After` in seconds (the services send integers); null when absent or not a number. */
export function retryAfterMs(headers: Headers): number | null {
  const value = headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value) * 1000;
}

/** 5xx and everything unexpected is worth a retry; 4xx other than rate limits is not. */
export function defaultRefusal(status: number): Refusal {
  return status >= 400 && status < 500
    ? { kind: 'permanent', reason: `HTTP ${status}` }
    : { kind: 'transient', reason: `HTTP ${status}` };
}
