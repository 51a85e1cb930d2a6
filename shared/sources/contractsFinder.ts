import { ukIsoDateTime } from '../time/ukTime.ts';
import { defaultRefusal, hours, type SourceAdapter } from './source.ts';

/**
 * Contracts Finder (CF). Evidence for each setting: ./UPSTREAM.md.
 */
export const contractsFinder: SourceAdapter = {
  name: 'CONTRACTS_FINDER',
  short: 'cf',
  // Without a date window CF returns only recent months; OCP's collector asks for 15 days at a time.
  maxSliceMs: hours(24 * 15),
  startDate: (config) => config.CF_START_DATE,
  requestsPerMinute: (config) => config.CF_REQUESTS_PER_MINUTE,
  firstPageUrl(config, slice) {
    // ISO 8601 in UK local time: `Z` in winter, `+01:00` in summer.
    const query = new URLSearchParams({
      publishedFrom: ukIsoDateTime(slice.from),
      publishedTo: ukIsoDateTime(slice.to),
      limit: String(config.PAGE_LIMIT),
    });
    return `${config.CF_API_URL}/Published/Notices/OCDS/Search?${query}`;
  },
  readRefusal(config, status) {
    // A rate-limit breach is a 403 HTML page ("The request rate limit may have been exceeded");
    // some clients see 429. Either way the whole source waits, 5 minutes by default.
    if (status === 403 || status === 429) {
      return { kind: 'pause', pauseMs: config.CF_BLOCK_PAUSE_SECONDS * 1000, reason: `CF answered ${status}` };
    }
    return defaultRefusal(status);
  },
};
