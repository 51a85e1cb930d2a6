import type { OcdsDocument, Release } from '../ocds/releaseSchema.ts';
import type { SourceName } from '../sources/sourceName.ts';
import { noticeKey } from './sourceUrl.ts';
import { idText } from './text.ts';

/** Every document of a release, in order: planning, tender, awards, contracts. */
export function allDocuments(release: Release): OcdsDocument[] {
  return [
    ...(release.planning?.documents ?? []),
    ...(release.tender?.documents ?? []),
    ...(release.awards ?? []).flatMap((award) => award.documents ?? []),
    ...(release.contracts ?? []).flatMap((contract) => contract.documents ?? []),
  ];
}

/**
 * The document describing this very notice: it carries the notice's `datePublished` and, on FTS,
 * its `noticeType`. Where it sits depends on the notice (real data): a tender notice's in
 * `tender.documents`, an award notice's in `awards[].documents`, a CF early-engagement notice's in
 * `planning.documents`. Found by FTS document id = notice id, or by a link to the notice's page
 * (`…/Notice/<key>`, which is how CF, whose document ids are "1", "2", names it).
 */
export function findNoticeDocument(source: SourceName, release: Release): OcdsDocument | undefined {
  const key = noticeKey(source, release.id);
  const pageSuffix = `/Notice/${key}`;
  return allDocuments(release).find(
    (doc) =>
      (source === 'FIND_A_TENDER' && idText(doc.id) === release.id) ||
      (typeof doc.url === 'string' && doc.url.replace(/[?#].*$/, '').endsWith(pageSuffix)),
  );
}
