/** A window's range (source.ts `TimeRange`; not imported: the adapter there imports this folder). */
interface Range {
  from: Date;
  to: Date;
}

/**
 * What one request to Public Contracts Scotland covers: one calendar month (`YYYY-MM`) of one notice
 * type. `/v1/Notices` takes nothing finer and has no paging, so a slice is one request and its
 * answer is the whole slice. Evidence: ../UPSTREAM.md, "Public Contracts Scotland".
 */
export interface PcsSlice {
  month: string;
  noticeType: number;
}

/**
 * The calendar months a range touches, `YYYY-MM`, in order: the months of UTC dates, as the
 * pipeline's month windows are (PCS dates are whole days written `T00:00:00Z`, so a release's UTC
 * date is its PCS day). The range's end is exclusive.
 */
export function monthsOf(range: Range): string[] {
  const months: string[] = [];
  if (range.to <= range.from) return months;
  const last = new Date(range.to.getTime() - 1);
  for (let at = firstOfMonth(range.from); at <= last; at = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1))) {
    months.push(at.toISOString().slice(0, 7));
  }
  return months;
}

/** Every month × notice type of a range, month by month, each month's types in the order given. */
export function pcsSlices(range: Range, noticeTypes: readonly number[]): PcsSlice[] {
  return monthsOf(range).flatMap((month) => noticeTypes.map((noticeType) => ({ month, noticeType })));
}

/** A slice's request: `dateFrom` is `MM-YYYY`; `outputType=0` asks for OCDS (1 is PCS's own format). */
export function pcsNoticesUrl(apiUrl: string, slice: PcsSlice): string {
  const [year, month] = slice.month.split('-');
  const query = new URLSearchParams({ dateFrom: `${month}-${year}`, noticeType: String(slice.noticeType), outputType: '0' });
  return `${apiUrl}/v1/Notices?${query}`;
}

/** Every notice of one procurement (`ocds-r6ebe6-…`), as the API's `/v1/Notice?id=` serves them. */
export function pcsProcurementUrl(apiUrl: string, ocid: string): string {
  return `${apiUrl}/v1/Notice?${new URLSearchParams({ id: ocid })}`;
}

function firstOfMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}
