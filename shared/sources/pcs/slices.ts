/**
 * What one request to Public Contracts Scotland covers: one calendar month (`YYYY-MM`) of one notice
 * type. `/v1/Notices` takes nothing finer and has no paging, so a request's answer is all of it; a
 * pipeline slice is the month, its chain one request per notice type (nextNoticeTypeUrl).
 * Evidence: ../UPSTREAM.md, "Public Contracts Scotland".
 */
export interface PcsSlice {
  month: string;
  noticeType: number;
}

/** A slice's request: `dateFrom` is `MM-YYYY`; `outputType=0` asks for OCDS (1 is PCS's own format). */
export function pcsNoticesUrl(apiUrl: string, slice: PcsSlice): string {
  const [year, month] = slice.month.split('-');
  const query = new URLSearchParams({ dateFrom: `${month}-${year}`, noticeType: String(slice.noticeType), outputType: '0' });
  return `${apiUrl}/v1/Notices?${query}`;
}

/**
 * The request after `url` in a month's chain: the same month, the next of `noticeTypes`; null after
 * the last (or for a URL that is no slice of these types, which ends the chain rather than loop).
 */
export function nextNoticeTypeUrl(apiUrl: string, noticeTypes: readonly number[], url: string): string | null {
  const query = new URL(url).searchParams;
  const [month, year] = (query.get('dateFrom') ?? '').split('-');
  const asked = noticeTypeAsked(url);
  const at = asked === undefined ? -1 : noticeTypes.indexOf(asked);
  if (at < 0 || at + 1 >= noticeTypes.length || !/^\d{2}$/.test(month) || !/^\d{4}$/.test(year ?? '')) return null;
  return pcsNoticesUrl(apiUrl, { month: `${year}-${month}`, noticeType: noticeTypes[at + 1] });
}

/**
 * The notice type a request lists (`noticeType=`), or undefined for one that names none: a
 * procurement's notices (`/v1/Notice?id=`) are of any type.
 */
export function noticeTypeAsked(url: string): number | undefined {
  const code = new URL(url).searchParams.get('noticeType');
  return code !== null && /^\d+$/.test(code) ? Number(code) : undefined;
}

/** Every notice of one procurement (`ocds-r6ebe6-…`), as the API's `/v1/Notice?id=` serves them. */
export function pcsProcurementUrl(apiUrl: string, ocid: string): string {
  return `${apiUrl}/v1/Notice?${new URLSearchParams({ id: ocid })}`;
}
