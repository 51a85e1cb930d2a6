import type { OcdsDocument, Release } from '../ocds/releaseSchema.ts';

/**
 * What mapping asks a source about its notices. Each source's adapter answers (shared/sources/),
 * with the evidence for its rules; mapping itself never looks at which source it maps.
 */
export interface NoticeRules {
  /** Stored as `contracts.source` and in `_id`: `FIND_A_TENDER`, `CONTRACTS_FINDER`. */
  readonly name: string;
  /** The public page of the notice a release belongs to (`contracts.sourceUrl`), on the real site. */
  sourceUrl(releaseId: string): string;
  /** Whether `doc` is the notice's own document: it carries the notice's `datePublished` and type. */
  isNoticeDocument(doc: OcdsDocument, release: Release): boolean;
  /** `contracts.noticeType`, given the notice's own document if there is one. */
  noticeType(release: Release, own: OcdsDocument | undefined): string | undefined;
}
