/**
 * Find a Tender, as UPSTREAM.md describes it: zone-less UK-local `updatedFrom`/`updatedTo`,
 * `limit` 1–100, newest first, `links.next` with a base64 cursor, JSON errors.
 */
import { STATUS_CODES } from 'node:http';
import { jsonError, type ApiContext, type ApiResult } from './apiResult.ts';
import { packageHeader } from './fixtures.ts';
import { decodeCursor, encodeCursor, nextLink, pageOf, parseLimit, releasesInWindow } from './paging.ts';
import { fnv1a } from './random.ts';
import type { RateLimit } from './rateLimiter.ts';
import { buildPackage } from './releasePackage.ts';
import { parseUkLocal } from './ukTime.ts';

export const FTS_SEARCH_PATH = '/api/1.0/ocdsReleasePackages';

/** Order as in the real error message. */
const ALLOWED = ['stages', 'limit', 'cursor', 'updatedFrom', 'updatedTo'];
/** OCP crawls in 6-hour windows because longer ones silently miss releases. */
const LONG_WINDOW_MS = 6 * 3_600_000;
const NOTICE_ID = /^\d{6}-\d{4}$/;

function ftsError(status: number, message: string, exception?: string, headers?: Record<string, string>): ApiResult {
  return jsonError(status, { status, error: STATUS_CODES[status], message, ...(exception ? { exception } : {}) }, headers);
}

export function ftsSearch(url: URL, ctx: ApiContext): ApiResult {
  const params = url.searchParams;
  const unknown = [...params.keys()].find((key) => !ALLOWED.includes(key));
  if (unknown !== undefined) {
    // Verbatim from the real service.
    return ftsError(400, 'Request parameters unknown', `Request parameter '${unknown}' is not recognised, allowed parameters are: ${ALLOWED.join(', ')}`);
  }
  const limit = parseLimit(params.get('limit'));
  if (limit === null) return ftsError(400, 'Invalid parameter value', "Request parameter 'limit' must be an integer from 1 to 100");

  // The cursor carries the window, so a next link works even if the rest of its query is lost.
  let window = { from: params.get('updatedFrom') ?? '', to: params.get('updatedTo') ?? '' };
  let offset = 0;
  const cursorText = params.get('cursor');
  if (cursorText !== null) {
    const cursor = decodeCursor(cursorText);
    const next = Number(cursor?.nextCursor);
    if (!cursor || !('updatedFrom' in cursor) || !('updatedTo' in cursor) || !Number.isSafeInteger(next) || next < 0) {
      return ftsError(400, 'Invalid parameter value', "Request parameter 'cursor' is not valid");
    }
    window = { from: cursor.updatedFrom, to: cursor.updatedTo };
    offset = next;
  }
  const from = window.from ? parseUkLocal(window.from)?.getTime() : -Infinity;
  const to = window.to ? parseUkLocal(window.to)?.getTime() : Infinity;
  if (from === undefined || to === undefined) {
    return ftsError(400, 'Invalid parameter value', "Request parameters 'updatedFrom' and 'updatedTo' must look like yyyy-MM-ddTHH:mm:ss");
  }

  let matches = ctx.omit ? ctx.omit(releasesInWindow(ctx.index, from, to), to - from) : releasesInWindow(ctx.index, from, to);
  const stages = params.get('stages')?.split(',');
  if (stages) matches = matches.filter((r) => (r.release.tag as string[] | undefined)?.some((tag) => stages.includes(tag)));
  let lost = 0;
  if (ctx.longWindowLoss && to - from > LONG_WINDOW_MS) {
    // Every 5th release by id hash, so each page of the window agrees on what is missing.
    const kept = matches.filter((r) => fnv1a(r.id) % 5 !== 0);
    lost = matches.length - kept.length;
    matches = kept;
  }
  const page = withRepeatedRelease(pageOf(matches, offset, limit), offset, limit, ctx);
  const next =
    page.nextOffset === null
      ? undefined
      : nextLink(ctx.publicBaseUrl, url, encodeCursor({ updatedFrom: window.from, updatedTo: window.to, nextCursor: String(page.nextOffset) }));
  const pkg = buildPackage(packageHeader('ftsSearch'), `${ctx.publicBaseUrl}${url.pathname}${url.search}`, page.releases, ctx.now, next);
  return { status: 200, json: pkg, releases: page.releases, limit, lost };
}

/**
 * The repeatedRelease quirk: one release twice, the copies adjacent (as page 50 of a real 30-day
 * walk had `071452-2026`). A full page keeps `limit` rows by ending one release early, and its next
 * link starts there: the copy takes a row, not a release's place.
 */
function withRepeatedRelease(page: ReturnType<typeof pageOf>, offset: number, limit: number, ctx: ApiContext): ReturnType<typeof pageOf> {
  if (!ctx.repeatRelease || limit < 2 || page.releases.length === 0) return page;
  const full = page.releases.length === limit;
  const candidates = full ? page.releases.slice(0, -1) : page.releases;
  const twice = ctx.repeatRelease(candidates);
  const at = twice ? candidates.indexOf(twice) : -1;
  if (!twice || at < 0) return page;
  return { releases: [...candidates.slice(0, at + 1), twice, ...candidates.slice(at + 1)], nextOffset: full ? offset + limit - 1 : page.nextOffset };
}

/** `/ocdsReleasePackages/{noticeId}`: that release; `/{ocid}`: every release of the procurement. */
export function ftsNotice(url: URL, key: string, ctx: ApiContext): ApiResult {
  const found = NOTICE_ID.test(key) ? ctx.index.byId.get(key) : undefined;
  const releases = found ? [found] : (ctx.index.byOcid.get(key) ?? []);
  if (releases.length === 0) return ftsError(404, `Notice '${key}' not found`);
  const pkg = buildPackage(packageHeader('ftsNotice'), `${ctx.publicBaseUrl}${url.pathname}`, releases, ctx.now);
  return { status: 200, json: pkg, releases };
}

/** "12 request limit in 2 minute exceeded", the real wording (singular unit included), as a 429 or a 503. */
export function ftsRateLimited(limit: RateLimit, retryAfterSeconds: number | null, status: number): ApiResult {
  const period = limit.periodMs % 60_000 === 0 ? `${limit.periodMs / 60_000} minute` : `${limit.periodMs / 1000} second`;
  const headers = retryAfterSeconds === null ? undefined : { 'Retry-After': String(retryAfterSeconds) };
  return jsonError(status, { status, error: STATUS_CODES[status], message: `${limit.requests} request limit in ${period} exceeded` }, headers);
}

export function ftsServerError(status: number): ApiResult {
  return ftsError(status, STATUS_CODES[status] ?? 'Error');
}
