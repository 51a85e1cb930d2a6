import * as v from 'valibot';
import { linksTo } from '../mapping/noticeDocument.ts';
import { BadReleaseId, type ReleaseIdentity } from '../mapping/noticeRules.ts';
import { cleanText } from '../mapping/text.ts';
import { ukIsoDateTime } from '../time/ukTime.ts';
import { day, positiveInt, url } from '../valibot/envFields.ts';
import { defaultRefusal, hours, type SourceAdapter } from './source.ts';

const settings = v.object({
  CF_API_URL: v.optional(url, 'https://www.contractsfinder.service.gov.uk'),
  /** Undocumented; OCP runs one request at a time. */
  CF_REQUESTS_PER_MINUTE: v.optional(positiveInt, '6'),
  CF_START_DATE: v.optional(day, '2016-11-01'),
  /** A rate-limit breach is a 403 HTML page: pause the source this long (5 minutes). */
  CF_BLOCK_PAUSE_SECONDS: v.optional(positiveInt, '300'),
});

/**
 * Contracts Finder (CF). Evidence for each setting: ./UPSTREAM.md.
 */
export const contractsFinder: SourceAdapter<'CONTRACTS_FINDER', typeof settings> = {
  name: 'CONTRACTS_FINDER',
  settings,
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
  // Every release of the procurement, historic versions the search does not return included, as an
  // OCDS record package, not a release package (UPSTREAM.md).
  recordUrl: (config, ocid) => `${config.CF_API_URL}/Published/OCDS/Record/${encodeURIComponent(ocid)}`,
  recordAnswer: 'recordPackage',
  readRefusal(config, status) {
    // A rate-limit breach is a 403 HTML page ("The request rate limit may have been exceeded");
    // some clients see 429. Either way the whole source waits, 5 minutes by default.
    if (status === 403 || status === 429) {
      return { kind: 'pause', pauseMs: config.CF_BLOCK_PAUSE_SECONDS * 1000, reason: `CF answered ${status}` };
    }
    return defaultRefusal(status);
  },
  identify,
  sourceUrl: (noticeId) => `https://www.contractsfinder.service.gov.uk/Notice/${encodeURIComponent(noticeId)}`,
  // Document ids are "1", "2", …: the notice's own document is the one linking its page (real pages).
  isNoticeDocument: (doc, release) => linksTo(doc, `/Notice/${identify(release.id).noticeId}`),
  // CF documents carry no notice type: the release tag is the closest (tender, tenderAmendment,
  // award, awardUpdate, planning).
  noticeType: (release) => cleanText(release.tag?.[0]),
};

/**
 * A release id is `<notice GUID>-<6 digits>`: the versions of a notice share the GUID and the
 * counter grows with each (real pages: `b5796912-…-582322` then `…-582334`); the notice's page is
 * keyed by the GUID alone, and every real release links its own notice as `…/Notice/<that GUID>`.
 * Anything else is not a CF release id: quarantined, never stored under a guessed notice.
 */
function identify(releaseId: string): ReleaseIdentity {
  const match = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(\d{6})$/i.exec(releaseId);
  if (match === null) throw new BadReleaseId('Contracts Finder', releaseId, '<notice GUID>-<6 digits>');
  return { noticeId: match[1], counter: Number(match[2]) };
}
