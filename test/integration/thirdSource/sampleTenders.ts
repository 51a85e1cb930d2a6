import * as v from 'valibot';
import { BadReleaseId, type ReleaseIdentity } from '../../../shared/mapping/noticeRules.ts';
import { cleanText } from '../../../shared/mapping/text.ts';
import { defaultRefusal, hours, type SourceAdapter } from '../../../shared/sources/source.ts';
import { day, positiveInt, url } from '../../../shared/valibot/envFields.ts';

const settings = v.object({
  /** No default: there is no real service. */
  SAMPLE_API_URL: url,
  SAMPLE_REQUESTS_PER_MINUTE: v.optional(positiveInt, '60'),
  SAMPLE_START_DATE: v.optional(day, '2026-09-01'),
});

/**
 * A made-up third source, test-only: everything a source adds is this one file. It answers
 * `GET /v2/notices?since=&until=&size=` (UTC instants), pages by `links.next`, names releases
 * `N<notice>-v<version>` and marks each notice's own document `noticeSummary`
 * (./sampleTendersServer.ts plays it).
 */
export const sampleTenders: SourceAdapter<'SAMPLE_TENDERS', typeof settings> = {
  name: 'SAMPLE_TENDERS',
  settings,
  maxSliceMs: hours(24 * 7),
  startDate: (config) => config.SAMPLE_START_DATE,
  requestsPerMinute: (config) => config.SAMPLE_REQUESTS_PER_MINUTE,
  firstPageUrl(config, slice) {
    const query = new URLSearchParams({ since: slice.from.toISOString(), until: slice.to.toISOString(), size: String(config.PAGE_LIMIT) });
    return `${config.SAMPLE_API_URL}/v2/notices?${query}`;
  },
  readRefusal: (_config, status) => defaultRefusal(status),
  identify,
  sourceUrl: (noticeId) => `https://tenders.example/notices/${encodeURIComponent(noticeId)}`,
  isNoticeDocument: (doc) => doc.documentType === 'noticeSummary',
  noticeType: (release) => cleanText(release.tag?.join('+')),
};

/** `N1000-v2` → notice `N1000`, version 2: versions of a notice share its page. */
function identify(releaseId: string): ReleaseIdentity {
  const match = /^(N\d+)-v(\d+)$/.exec(releaseId);
  if (match === null) throw new BadReleaseId('Sample Tenders', releaseId, 'N<notice>-v<version>');
  return { noticeId: match[1], counter: Number(match[2]) };
}
