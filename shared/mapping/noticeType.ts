import type { Release } from '../ocds/releaseSchema.ts';
import type { SourceName } from '../sources/sourceName.ts';
import { allDocuments, findNoticeDocument } from './noticeDocument.ts';
import { cleanText } from './text.ts';

/**
 * FTS: the Procurement Act notice type (UK1–UK17) of the notice's own document, found in
 * `tender.documents` (tender notices) or `awards[].documents` (award notices); else the first
 * document that has one. Older FTS notices have none: the field is left out.
 * CF: the release tag (`tender`, `tenderAmendment`, `award`, `awardUpdate`, `planning`).
 */
export function noticeTypeOf(source: SourceName, release: Release): string | undefined {
  if (source === 'CONTRACTS_FINDER') return cleanText(release.tag?.[0]);
  const own = cleanText(findNoticeDocument(source, release)?.noticeType);
  if (own !== undefined) return own;
  for (const doc of allDocuments(release)) {
    const type = cleanText(doc.noticeType);
    if (type !== undefined) return type;
  }
  return undefined;
}
