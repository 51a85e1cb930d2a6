import * as v from 'valibot';
import { allDocuments, linksTo } from '../mapping/noticeDocument.ts';
import { BadReleaseId, type ReleaseIdentity } from '../mapping/noticeRules.ts';
import { cleanText, idText } from '../mapping/text.ts';
import { ukLocalDateTime } from '../time/ukTime.ts';
import { day, positiveInt, url } from '../valibot/envFields.ts';
import { pcsOcidLinkedBy, scRefOf } from './pcs/pcsReferences.ts';
import { defaultRefusal, hours, retryAfterMs, type SourceAdapter, type SourceConfig } from './source.ts';

const settings = v.object({
  FTS_API_URL: v.optional(url, 'https://www.find-tender.service.gov.uk'),
  /** About 6 a minute: "12 request limit in 2 minute exceeded". */
  FTS_REQUESTS_PER_MINUTE: v.optional(positiveInt, '6'),
  /** Data from 2021-01-01, when FTS replaced TED. */
  FTS_START_DATE: v.optional(day, '2021-01-01'),
  /** 429/503 without Retry-After: wait at least this long (>= 30 s). */
  FTS_DEFAULT_RETRY_SECONDS: v.optional(positiveInt, '30'),
});
/** What this adapter's methods are given: its variables and the shared page size. */
type Config = SourceConfig<typeof settings>;

/**
 * Find a Tender (FTS). Evidence for each setting: ./UPSTREAM.md.
 * Not sent: `stages` (reported to drop notices across pages).
 */
export const findATender: SourceAdapter<'FIND_A_TENDER', typeof settings> = {
  name: 'FIND_A_TENDER',
  settings,
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
  // The same release package as a list page, without `links`: every notice of the procurement.
  recordUrl: (config: Config, ocid) => `${config.FTS_API_URL}/api/1.0/ocdsReleasePackages/${encodeURIComponent(ocid)}`,
  readRefusal(config, status, headers) {
    // "12 request limit in 2 minute exceeded": 429, or 503, with or without Retry-After.
    if (status === 429 || status === 503) {
      const pauseMs = retryAfterMs(headers) ?? config.FTS_DEFAULT_RETRY_SECONDS * 1000;
      return { kind: 'pause', pauseMs, reason: `FTS answered ${status}` };
    }
    return defaultRefusal(status);
  },
  identify,
  sourceUrl: (noticeId) => `https://www.find-tender.service.gov.uk/Notice/${encodeURIComponent(noticeId)}`,
  // In the real pages the notice's own document has the notice id as its `id` and links the page.
  isNoticeDocument: (doc, release) => idText(doc.id) === release.id || linksTo(doc, `/Notice/${release.id}`),
  // The Procurement Act notice type (UK1–UK17, from 2025-02-24) of the notice's own document, in
  // `tender.documents` (tender notices) or `awards[].documents` (award notices); else the first
  // document that has one. Older notices have none: the field is left out.
  noticeType(release, own) {
    return cleanText(own?.noticeType) ?? allDocuments(release).map((doc) => cleanText(doc.noticeType)).find((type) => type !== undefined);
  },
  // A notice PCS sent on links its PCS procurement as canonical and quotes the PCS notice's SC Ref
  // (44 of the 48 real ones: ./pcs/pcsReferences.ts); a quote alone, in any other notice, is text.
  scRef: (release) => (pcsOcidLinkedBy((release as { links?: unknown }).links) === undefined ? undefined : scRefOf(release.description)),
};

/**
 * Release `id` = notice id, `nnnnnn-yyyy` (`094477-2026`; the API's `/ocdsReleasePackages/{noticeId}`),
 * unique within an ocid and the page's key. A notice is one release: no counter. Anything else is
 * not an FTS notice id: quarantined, never stored under a guessed notice.
 */
function identify(releaseId: string): ReleaseIdentity {
  if (!/^\d{6}-\d{4}$/.test(releaseId)) throw new BadReleaseId('Find a Tender', releaseId, 'a notice id nnnnnn-yyyy');
  return { noticeId: releaseId, counter: 0 };
}
