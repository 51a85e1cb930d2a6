import type { OcdsDocument, Release } from '../ocds/releaseSchema.ts';

/**
 * What mapping asks a source about its notices. Each source's adapter answers (shared/sources/),
 * with the evidence for its rules; mapping itself never looks at which source it maps.
 */
export interface NoticeRules {
  /** Stored as `contracts.source` and in `_id`: `FIND_A_TENDER`, `CONTRACTS_FINDER`. */
  readonly name: string;
  /**
   * The notice a release is a version of, and where the release stands among the notice's
   * versions (`counter`, 0 when the source numbers none). Throws BadReleaseId for an id the
   * source never makes: the release is quarantined with that reason, never stored under a guess.
   */
  identify(releaseId: string): ReleaseIdentity;
  /** The public page of a notice (`contracts.sourceUrl`), on the real site. */
  sourceUrl(noticeId: string): string;
  /** Whether `doc` is the notice's own document: it carries the notice's `datePublished` and type. */
  isNoticeDocument(doc: OcdsDocument, release: Release): boolean;
  /** `contracts.noticeType`, given the notice's own document if there is one. */
  noticeType(release: Release, own: OcdsDocument | undefined): string | undefined;
}

export interface ReleaseIdentity {
  /** The notice's id on its service: `contracts.noticeId`. */
  noticeId: string;
  /** Orders the versions of one notice published at the same instant (mapping/releaseOrder.ts). */
  counter: number;
}

/** A release id that does not have the shape its source gives ids. */
export class BadReleaseId extends Error {
  constructor(source: string, releaseId: string, expected: string) {
    super(`${source} release id ${JSON.stringify(releaseId)} is not ${expected}`);
    this.name = 'BadReleaseId';
  }
}
