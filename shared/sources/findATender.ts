import type { Config } from '../config.ts';
import { ukLocalDateTime } from '../time/ukTime.ts';
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
    // Zone-less UK local time, to the second. Slices are planned so that no bound falls in the
    // repeated autumn hour and no reading of a slice exceeds 6 hours (windows/ukClockBounds.ts):
    // each bound names one instant, and consecutive slices share it, so nothing falls between.
    const query = new URLSearchParams({
      updatedFrom: ukLocalDateTime(slice.from),
      updatedTo: ukLocalDateTime(slice.to),
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
