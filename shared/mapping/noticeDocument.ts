import type { OcdsDocument, Release } from '../ocds/releaseSchema.ts';
import type { NoticeRules } from './noticeRules.ts';

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
 * The document describing this very notice: it carries the notice's `datePublished` and, on some
 * sources, its type. Where it sits depends on the notice (real data): a tender notice's in
 * `tender.documents`, an award notice's in `awards[].documents`, a CF early-engagement notice's in
 * `planning.documents`. Which one it is, the source's adapter knows.
 */
export function findNoticeDocument(rules: NoticeRules, release: Release): OcdsDocument | undefined {
  return allDocuments(release).find((doc) => rules.isNoticeDocument(doc, release));
}

/** Whether the document links to a page whose path ends with `pathEnd` (query and fragment ignored). */
export function linksTo(doc: OcdsDocument, pathEnd: string): boolean {
  return typeof doc.url === 'string' && doc.url.replace(/[?#].*$/, '').endsWith(pathEnd);
}
