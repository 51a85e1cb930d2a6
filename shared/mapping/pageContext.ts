import type { ContractStatus } from './mappedRelease.ts';

/**
 * What the request a release was read by says of it that the release does not (the adapter's
 * `pageContext` of the page URL; PCS: the notice type asked for, `/v1/Notices?…&noticeType=104`).
 * Empty where the request says nothing more: a procurement's record, a source whose releases say it all.
 */
export interface PageContext {
  /** `contracts.noticeType`, named by the page rather than by the release's own document. */
  noticeType?: string;
  /**
   * The status the page's type gives a release that lists no awards and was not cancelled or
   * terminated (releaseStatus.ts, rule p): where the type says more than the release.
   */
  status?: ContractStatus;
}
