import type { Config } from '../config.ts';
import { ukLocalDateTime, ukLocalIsAmbiguous } from '../time/ukTime.ts';
import { defaultRefusal, hours, retryAfterMs, type SourceAdapter } from './source.ts';

/**
 * Find a Tender (FTS). Evidence for each setting: ./UPSTREAM.md.
 * Not sent: `stages` (reported to drop notices across pages).
 */
export const findATender: SourceAdapter = {
  name: 'FIND_A_TENDER',
  short: 'fts',
  // Long date ranges silently miss releases; OCP's collector crawls in 6-hour windows.
  maxSliceMs: hours(6),
  startDate: (config) => config.FTS_START_DATE,
  requestsPerMinute: (config) => config.FTS_REQUESTS_PER_MINUTE,
  firstPageUrl(config: Config, slice) {
    // Zone-less UK local time. In the repeated autumn hour a bound is widened by an hour, so
    // whichever instant the service reads, nothing falls between two slices.
    const from = ukLocalIsAmbiguous(slice.from) ? new Date(slice.from.getTime() - hours(1)) : slice.from;
    const to = ukLocalIsAmbiguous(slice.to) ? new Date(slice.to.getTime() + hours(1)) : slice.to;
    const query = new URLSearchParams({
      updatedFrom: ukLocalDateTime(from),
      updatedTo: ukLocalDateTime(to),
      limit: String(config.PAGE_LIMIT),
    });
    return `${config.FTS_API_URL}/api/1.0/ocdsReleasePackages?${query}`;
  },
  readRefusal(config, status, headers) {
    // "12 request limit in 2 minute exceeded": 429, or 503, with or without Retry-After.
    if (status === 429 || status === 503) {
      const pauseMs = retryAfterMs(headers) ?? config.FTS_DEFAULT_RETRY_SECONDS * 1000;
      return { kind: 'pause', pauseMs, reason: `FTS answered ${status}` };
    }
    return defaultRefusal(status);
  },
};
