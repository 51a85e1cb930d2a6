/** What a service handler answers, before the server serialises it and applies faults. */
import type { ReleaseIndex } from './paging.ts';
import type { ReleasePackage } from './releasePackage.ts';
import type { SimRelease } from './dataset.ts';

export interface ApiContext {
  index: ReleaseIndex;
  /** Base of the URLs written into `uri` and `links.next`. */
  publicBaseUrl: string;
  /** The simulator clock, in ms. */
  now: number;
  longWindowLoss: boolean;
  /** FTS search pages: given the rows a page could hold, the one to publish twice (the armed repeatedRelease quirk), or null. */
  repeatRelease?: (candidates: readonly SimRelease[]) => SimRelease | null;
  /** Search answers: the window's releases less any the armed omittedRelease fault leaves out. */
  omit?: (matches: SimRelease[], windowMs: number) => SimRelease[];
}

export interface ApiResult {
  status: number;
  /** A release package (status 200) or an error object. */
  json?: ReleasePackage | Record<string, unknown>;
  /** CF's HTML answers (refusals, gateway errors). */
  html?: string;
  headers?: Record<string, string>;
  /** The releases in the body. */
  releases: SimRelease[];
  /** Search pages: the page size asked for, so a full page can be recognised. */
  limit?: number;
  /** How many matching releases the long-window defect left out of the whole window. */
  lost?: number;
  /** PCS: the body starts with a UTF-8 byte-order mark. */
  bom?: boolean;
}

export function jsonError(status: number, body: Record<string, unknown>, headers?: Record<string, string>): ApiResult {
  return { status, json: body, headers, releases: [] };
}
