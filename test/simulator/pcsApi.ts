/**
 * Public Contracts Scotland, as UPSTREAM.md describes it: `/v1/Notices?dateFrom=MM-YYYY&noticeType=N&outputType=0`
 * answers one month of one notice type whole (no paging, no `links`), a month without such notices
 * as a package with no `releases` key; `/v1/Notice?id=<ocid>` every notice of one procurement. Every
 * answer starts with a UTF-8 byte-order mark. Error and refusal bodies are not documented: these are made up.
 */
import { STATUS_CODES } from 'node:http';
import type { ApiContext, ApiResult } from './apiResult.ts';
import { releasesInWindow } from './paging.ts';

export const PCS_NOTICES_PATH = '/v1/Notices';
export const PCS_NOTICE_PATH = '/v1/Notice';

/** The package keys a PCS answer carries besides `releases` (OCP's collector's samples). */
function pcsPackage(uri: string, publishedDate: string): Record<string, unknown> {
  return { uri, version: '1.1', publishedDate, publisher: { name: 'Public Contracts Scotland' }, license: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/' };
}

export function pcsNotices(url: URL, ctx: ApiContext): ApiResult {
  const params = url.searchParams;
  const month = /^(\d{2})-(\d{4})$/.exec(params.get('dateFrom') ?? '');
  const noticeType = Number(params.get('noticeType'));
  if (!month || !Number.isInteger(noticeType) || params.get('outputType') !== '0') return pcsError(400, 'dateFrom (MM-YYYY), noticeType and outputType=0 are required');
  const from = Date.UTC(Number(month[2]), Number(month[1]) - 1, 1);
  const to = Date.UTC(Number(month[2]), Number(month[1]), 1);
  const releases = releasesInWindow(ctx.index, from, to).filter((r) => r.noticeType === noticeType);
  const pkg = pcsPackage(`${ctx.publicBaseUrl}${url.pathname}${url.search}`, new Date(Math.min(to, ctx.now)).toISOString().slice(0, 10) + 'T00:00:00Z');
  return { status: 200, json: releases.length > 0 ? { ...pkg, releases: releases.map((r) => r.release) } : pkg, releases, bom: true };
}

export function pcsProcurement(url: URL, ctx: ApiContext): ApiResult {
  const ocid = url.searchParams.get('id') ?? '';
  const releases = ctx.index.byOcid.get(ocid) ?? [];
  if (releases.length === 0) return pcsError(404, `No notice ${ocid}`);
  const pkg = pcsPackage(`${ctx.publicBaseUrl}${url.pathname}${url.search}`, String(releases[0].release.date));
  return { status: 200, json: { ...pkg, releases: releases.map((r) => r.release) }, releases, bom: true };
}

function pcsError(status: number, message: string): ApiResult {
  return { status, json: { Message: message }, releases: [] };
}

/** A refusal (403, as one client reports for an unusual User-Agent, or 429): no Retry-After. */
export function pcsRateLimited(status: number): ApiResult {
  return pcsError(status, STATUS_CODES[status] ?? 'Refused');
}

export function pcsServerError(status: number): ApiResult {
  return pcsError(status, 'An error has occurred.');
}
