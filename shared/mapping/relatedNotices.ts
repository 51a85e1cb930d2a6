import type { Release } from '../ocds/releaseSchema.ts';
import { allDocuments } from './noticeDocument.ts';
import { cleanText } from './text.ts';

export interface RelatedNotice {
  /** The service the notice is on, as `contracts.source` spells it. */
  source: string;
  /** Its notice id there, when the address carries one (FTS `029846-2022`, CF the notice GUID). */
  noticeId?: string;
  url: string;
}

/** Notice pages of the services this pipeline copies (the adapters' `sourceUrl` shape); attachments are no notices. */
const NOTICE_PAGES: readonly { source: string; page: RegExp }[] = [
  { source: 'FIND_A_TENDER', page: /^https?:\/\/(?:www\.)?find-tender\.service\.gov\.uk\/Notice\/(?!Attachment\/)(\d{6}-\d{4})?/i },
  {
    source: 'CONTRACTS_FINDER',
    page: /^https?:\/\/(?:www\.)?contractsfinder\.service\.gov\.uk\/Notice\/(?!Attachment\/)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?/i,
  },
];

/** Public Contracts Scotland, as `contracts.source` spells it. */
export const PCS_SOURCE = 'PUBLIC_CONTRACTS_SCOTLAND';

/**
 * The Public Contracts Scotland page of the notice with SC Ref `scRef`: the address PCS notices give
 * themselves in their own text ("…/Search/Search_Switch.aspx?ID=581860", the SC Ref of the notice).
 */
export const pcsNoticeByScRef = (scRef: number): string => `https://www.publiccontractsscotland.gov.uk/Search/Search_Switch.aspx?ID=${scRef}`;

/**
 * `relatedNotices`: the release's own references to notices on the other service, such as a CF
 * release linking the same procurement's Find a Tender notice (real CF data: a tender document
 * "Find a Tender Prior Information Notice" → `…/Notice/029846-2022?`). Read from document
 * addresses and OCDS `relatedProcesses[].uri`; links to the release's own service are its own
 * pages, not cross-references. Once per service and notice. A notice of another service that PCS
 * sent on (its `scRef`, NoticeRules) names its PCS original by that original's SC Ref page; the
 * PCS notice names its twin once both are stored (the write path: docs/data-model.md).
 */
export function relatedNoticesOf(release: Release, ownSource: string, scRef?: number): RelatedNotice[] {
  const urls = [
    ...allDocuments(release).map((doc) => doc.url),
    ...(release.relatedProcesses ?? []).map((process) => process.uri),
  ];
  const seen = new Set<string>();
  const linked = urls.flatMap((value): RelatedNotice[] => {
    const url = cleanText(value);
    const known = url === undefined ? undefined : NOTICE_PAGES.find(({ page }) => page.test(url));
    if (url === undefined || known === undefined || known.source === ownSource) return [];
    const noticeId = known.page.exec(url)?.[1]?.toLowerCase();
    const key = `${known.source}:${noticeId ?? url}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ source: known.source, ...(noticeId !== undefined && { noticeId }), url }];
  });
  return scRef === undefined || ownSource === PCS_SOURCE ? linked : [...linked, { source: PCS_SOURCE, url: pcsNoticeByScRef(scRef) }];
}
