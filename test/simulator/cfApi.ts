/**
 * Contracts Finder, as UPSTREAM.md describes it: ISO 8601 `publishedFrom`/`publishedTo` with an
 * offset, `limit` 1–100, newest first, `links.next` with a base64 cursor, HTML pages for
 * refusals, and one procurement's record package by ocid. Error bodies for bad parameters are not
 * documented; these JSON ones are made up.
 */
import { STATUS_CODES } from 'node:http';
import { jsonError, type ApiContext, type ApiResult } from './apiResult.ts';
import { packageHeader } from './fixtures.ts';
import { decodeCursor, encodeCursor, nextLink, pageOf, parseLimit, releasesInWindow } from './paging.ts';
import { buildPackage } from './releasePackage.ts';
import { formatUkIso, parseIsoWithOffset } from './ukTime.ts';

export const CF_SEARCH_PATH = '/Published/Notices/OCDS/Search';
/** `/Published/OCDS/Record/{ocid}`: one procurement's record package. */
export const CF_RECORD_PATH = '/Published/OCDS/Record';

const ALLOWED = ['publishedFrom', 'publishedTo', 'stages', 'limit', 'cursor'];
/** Without publishedFrom the real service only returns recent months. */
const DEFAULT_MONTHS_BACK = 3;

function badRequest(message: string): ApiResult {
  return jsonError(400, { status: 400, error: STATUS_CODES[400], message });
}

/** The services write `+01:00` unencoded in their own links, so `+` reaches us as a space. */
function readDate(text: string): Date | null {
  return parseIsoWithOffset(text.replace(/ (\d{2}:\d{2})$/, '+$1'));
}

export function cfSearch(url: URL, ctx: ApiContext): ApiResult {
  const params = url.searchParams;
  const unknown = [...params.keys()].find((key) => !ALLOWED.includes(key));
  if (unknown !== undefined) {
    return badRequest(`Request parameter '${unknown}' is not recognised, allowed parameters are: ${ALLOWED.join(', ')}`);
  }
  let limit = parseLimit(params.get('limit'));
  if (limit === null) return badRequest("Request parameter 'limit' must be an integer from 1 to 100");

  let fromText = params.get('publishedFrom');
  let toText = params.get('publishedTo');
  let offset = 0;
  const cursorText = params.get('cursor');
  if (cursorText !== null) {
    const cursor = decodeCursor(cursorText);
    const next = Number(cursor?.nextCursor);
    if (!cursor || !cursor.publishedFrom || !cursor.publishedTo || !Number.isSafeInteger(next) || next < 0) {
      return badRequest("Request parameter 'cursor' is not valid");
    }
    ({ publishedFrom: fromText, publishedTo: toText } = cursor);
    if (!params.has('limit')) limit = parseLimit(cursor.limit ?? null) ?? 100;
    offset = next;
  }
  const to = toText === null ? new Date(ctx.now) : readDate(toText);
  const from = fromText === null && to ? monthsBefore(to, DEFAULT_MONTHS_BACK) : readDate(fromText ?? '');
  if (!from || !to) return badRequest("Request parameters 'publishedFrom' and 'publishedTo' must be ISO 8601 date-times with an offset");

  const stages = params.get('stages')?.split(',');
  const inWindow = releasesInWindow(ctx.index, from.getTime(), to.getTime());
  const matches = (ctx.omit ? ctx.omit(inWindow, to.getTime() - from.getTime()) : inWindow).filter(
    (r) => !stages || (r.release.tag as string[] | undefined)?.some((tag) => stages.some((stage) => tag.startsWith(stage))),
  );
  const page = pageOf(matches, offset, limit);
  // The real cursor holds publishedTo, limit and the offset; publishedFrom is added so that a
  // cursor alone names the whole window. A window defaulted from the clock is frozen in it.
  const cursor = () =>
    encodeCursor({
      publishedFrom: fromText === null ? formatUkIso(from) : normalised(fromText),
      publishedTo: toText === null ? formatUkIso(to) : normalised(toText),
      limit: String(limit),
      nextCursor: String(page.nextOffset),
    });
  const next = page.nextOffset === null ? undefined : nextLink(ctx.publicBaseUrl, url, cursor());
  const pkg = buildPackage(packageHeader('cfSearch'), `${ctx.publicBaseUrl}${url.pathname}${url.search}`, page.releases, ctx.now, next);
  return { status: 200, json: pkg, releases: page.releases, limit };
}

/**
 * `/Published/OCDS/Record/{ocid}`: a record package (UPSTREAM.md) with the procurement's one record,
 * every release the service holds for it embedded, oldest first, whatever the search lists (an
 * omitted release, a new version under its old publication date), and as `compiledRelease` its
 * newest release (a stand-in: CF's compiled release is not captured). An unknown ocid: 404 with
 * the only error body seen on a CF record URL (UPSTREAM.md).
 */
export function cfRecord(url: URL, ocid: string, ctx: ApiContext): ApiResult {
  const releases = [...(ctx.index.byOcid.get(ocid) ?? [])].sort((a, b) => a.date.getTime() - b.date.getTime() || (a.id < b.id ? -1 : 1));
  if (releases.length === 0) return jsonError(404, { code: 'ValidationError', errors: 3200 });
  const { releases: _releases, ...header } = buildPackage(packageHeader('cfSearch'), `${ctx.publicBaseUrl}${url.pathname}`, releases.toReversed(), ctx.now);
  const record = { ocid, releases: releases.map((r) => r.release), compiledRelease: releases[releases.length - 1].release };
  return { status: 200, json: { ...header, records: [record] }, releases };
}

function normalised(dateText: string): string {
  return dateText.replace(/ (\d{2}:\d{2})$/, '+$1');
}

function monthsBefore(date: Date, months: number): Date {
  const earlier = new Date(date);
  earlier.setUTCMonth(earlier.getUTCMonth() - months);
  return earlier;
}

function htmlPage(title: string, message: string): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<p>${message}</p>\n</body>\n</html>\n`;
}

/** CF refuses with 403 and an HTML page, never with a Retry-After; some clients see 429 (its page is made up: the 403's, retitled). */
export function cfRateLimited(status: number): ApiResult {
  return {
    status,
    html: htmlPage(`${STATUS_CODES[status]} - Contracts Finder`, 'You do not have permission to view this page. The request rate limit may have been exceeded.'),
    releases: [],
  };
}

export function cfServerError(status: number): ApiResult {
  return { status, html: htmlPage(`${STATUS_CODES[status]} - Contracts Finder`, 'Sorry, there is a problem with the service.'), releases: [] };
}
