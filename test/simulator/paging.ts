/**
 * Search paging shared by both services: a window query over releases sorted newest first, pages
 * cut by offset, and the self-contained base64 cursor carried in `links.next`.
 */
import type { SimRelease } from './dataset.ts';

export interface ReleaseIndex {
  /** Newest first; equal dates ordered by id, descending, so every page boundary is stable. */
  newestFirst: SimRelease[];
  byId: Map<string, SimRelease>;
  byOcid: Map<string, SimRelease[]>;
}

/** The time the search filters and orders a release by: its date, unless it is listed elsewhere. */
const listed = (release: SimRelease): number => (release.listedAt ?? release.date).getTime();

export function indexReleases(releases: SimRelease[]): ReleaseIndex {
  const newestFirst = [...releases].sort((a, b) => listed(b) - listed(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const byOcid = new Map<string, SimRelease[]>();
  for (const release of newestFirst) {
    const ocid = String(release.release.ocid);
    const group = byOcid.get(ocid);
    if (group) group.push(release);
    else byOcid.set(ocid, [release]);
  }
  return { newestFirst, byId: new Map(newestFirst.map((r) => [r.id, r])), byOcid };
}

/** Releases listed in [from, to), newest first: inclusive from, exclusive to, so consecutive
 * windows that share a boundary neither overlap nor leave a gap. */
export function releasesInWindow(index: ReleaseIndex, from: number, to: number): SimRelease[] {
  const firstBefore = (t: number) => {
    let lo = 0;
    let hi = index.newestFirst.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (listed(index.newestFirst[mid]) < t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return index.newestFirst.slice(firstBefore(to), firstBefore(from));
}

export function pageOf(matches: SimRelease[], offset: number, limit: number) {
  const end = offset + limit;
  return { releases: matches.slice(offset, end), nextOffset: end < matches.length ? end : null };
}

/** `k=v|k=v|…` in base64, as both services write their cursors. */
export function encodeCursor(fields: Record<string, string>): string {
  const text = Object.entries(fields)
    .map(([key, value]) => `${key}=${value}`)
    .join('|');
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Null unless the cursor decodes to `k=v` pairs. Base64 `+` arrives as a space when the client
 * sent the next link unencoded (as the services themselves write it), so it is put back. */
export function decodeCursor(cursor: string): Record<string, string> | null {
  const base64 = cursor.replace(/ /g, '+');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  const fields: Record<string, string> = {};
  for (const pair of Buffer.from(base64, 'base64').toString('utf8').split('|')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return null;
    fields[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return fields;
}

/** The original query as the client wrote it, without its cursor, plus the new cursor. */
export function nextLink(publicBaseUrl: string, url: URL, cursor: string): string {
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((part) => part !== '' && !part.startsWith('cursor='));
  return `${publicBaseUrl}${url.pathname}?${[...kept, `cursor=${cursor}`].join('&')}`;
}

/** `limit` is 1–100 on both services, 100 when absent; null when out of range. */
export function parseLimit(text: string | null): number | null {
  if (text === null) return 100;
  const limit = /^\d{1,3}$/.test(text) ? Number(text) : 0;
  return limit >= 1 && limit <= 100 ? limit : null;
}
