import type { SourceName } from '../sources/sourceName.ts';

/**
 * The key of a notice's public page. FTS: the notice id itself (`094477-2026`). CF: the release id
 * is `<notice GUID>-<6 digits>` (a per-version counter); the page is keyed by the GUID alone. In
 * the real pages every CF release links its own notice as `…/Notice/<that GUID>`.
 */
export function noticeKey(source: SourceName, noticeId: string): string {
  if (source === 'FIND_A_TENDER') return noticeId;
  const match = CF_RELEASE_ID.exec(noticeId);
  return match === null ? noticeId : match[1]!;
}

const CF_RELEASE_ID = /^(.+)-\d+$/;

const NOTICE_PAGE: Record<SourceName, string> = {
  FIND_A_TENDER: 'https://www.find-tender.service.gov.uk/Notice/',
  CONTRACTS_FINDER: 'https://www.contractsfinder.service.gov.uk/Notice/',
};

/** The public notice page a search result links to. */
export function sourceUrl(source: SourceName, noticeId: string): string {
  return NOTICE_PAGE[source] + encodeURIComponent(noticeKey(source, noticeId));
}
