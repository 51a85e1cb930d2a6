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
  /**
   * The Public Contracts Scotland notice number (SC Ref) the notice carries: a PCS notice's own, or
   * that of the PCS original a Find a Tender notice was sent on from (`contracts.scRef`: joins the
   * two, docs/data-model.md). Sources without such twins leave it out.
   */
  scRef?(release: Release): number | undefined;
  /**
   * `postcodeDistrict`: a buyer the release gives no identifier for is known by its name within its
   * postcode district (`name-st-marys-primary-school@g21`), not by its name alone: the source's
   * party ids are local to one answer, and one name is many organisations (PCS: schools).
   */
  buyerNameScope?: 'postcodeDistrict';
  /**
   * `ukWallClock`: the source writes UK local times with a `Z` (PCS: a deadline of "12:00 noon on
   * 28 May 2019" is `2019-05-28T12:00:00Z`), so a deadline is read as UK local time.
   */
  clock?: 'ukWallClock';
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
