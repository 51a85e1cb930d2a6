import { BadReleaseId, type ReleaseIdentity } from '../../mapping/noticeRules.ts';
import { idText } from '../../mapping/text.ts';
import type { OcdsDocument } from '../../ocds/releaseSchema.ts';

/**
 * A PCS notice id: three capital letters for the month the notice was published on PCS, then a
 * number (`JAN468109`, `APR352786`). It names the notice's page (`search_view.aspx?ID=APR352786`).
 */
const NOTICE_ID = /^[A-Z]{3}\d+$/;

/**
 * Release `id` = `rls-<n>-<notice id>` (`rls-1-JAN468109`, `rls-184-MAR552053`): the notice is the
 * part after the second dash; `n` is kept as the counter (only releases of one notice are ordered
 * by it). Anything else is not a PCS release id: quarantined, never stored under a guessed notice.
 * Releases of 2019 carry no `id` at all (noticeIdOfOwnDocument).
 */
export function identifyPcsRelease(releaseId: string): ReleaseIdentity {
  const match = /^rls-(\d+)-([A-Z]{3}\d+)$/.exec(releaseId);
  if (match === null) throw new BadReleaseId('Public Contracts Scotland', releaseId, 'rls-<n>-<notice id>');
  return { noticeId: match[2], counter: Number(match[1]) };
}

/** The notice's public page, as its own document links it. */
export const pcsNoticeUrl = (noticeId: string): string =>
  `https://www.publiccontractsscotland.gov.uk/search/show/search_view.aspx?ID=${encodeURIComponent(noticeId)}`;

/** The `ID` a PCS notice page address names (`…/search_view.aspx?ID=APR352786`), if it is one. */
function linkedNoticeId(url: unknown): string | undefined {
  const match = typeof url === 'string' ? /\/search_view\.aspx\?(?:.*&)?ID=([^&#]*)/i.exec(url) : null;
  return match !== null && NOTICE_ID.test(match[1]) ? match[1] : undefined;
}

/**
 * Whether `doc` is the document of notice `noticeId`: in real releases the notice's own document
 * has the notice id as its `id` and links the notice's page.
 */
export function isDocumentOfNotice(doc: OcdsDocument, noticeId: string): boolean {
  return idText(doc.id) === noticeId || linkedNoticeId(doc.url) === noticeId;
}

/**
 * For a release published without an `id` (every captured 2019 release): the notice its own
 * document names, when exactly one document's `id` is a notice id that is also the `ID` of the page
 * it links. Undefined otherwise: then nothing in the release says which notice it is.
 */
export function noticeIdOfOwnDocument(documents: readonly OcdsDocument[]): string | undefined {
  const named = new Set(documents.map((doc) => idText(doc.id)).filter((id, i) => id !== undefined && linkedNoticeId(documents[i].url) === id));
  return named.size === 1 ? [...named][0] : undefined;
}
