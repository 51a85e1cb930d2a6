import { describe, expect, it } from 'vitest';
import { monthsOf, pcsNoticesUrl, pcsProcurementUrl, pcsSlices } from './slices.ts';

const API = 'https://api.publiccontractsscotland.gov.uk';
const range = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });

describe('monthsOf: the calendar months a range touches, its end exclusive', () => {
  it.each([
    ['a month window', range('2019-04-01T00:00:00Z', '2019-05-01T00:00:00Z'), ['2019-04']],
    ['across a year end', range('2025-11-15T00:00:00Z', '2026-02-01T00:00:00Z'), ['2025-11', '2025-12', '2026-01']],
    ['a delta over a month end', range('2026-08-31T23:45:00Z', '2026-09-01T00:05:00Z'), ['2026-08', '2026-09']],
    ['a delta inside a day', range('2026-09-10T10:00:00Z', '2026-09-10T10:05:00Z'), ['2026-09']],
    ['an empty range', range('2026-09-10T10:00:00Z', '2026-09-10T10:00:00Z'), []],
  ])('%s', (_what, window, months) => {
    expect(monthsOf(window)).toEqual(months);
  });
});

describe('pcsSlices: month × notice type, one request each', () => {
  it('goes month by month, each month its types in the order given', () => {
    expect(pcsSlices(range('2019-03-01T00:00:00Z', '2019-05-01T00:00:00Z'), [101, 102])).toEqual([
      { month: '2019-03', noticeType: 101 },
      { month: '2019-03', noticeType: 102 },
      { month: '2019-04', noticeType: 101 },
      { month: '2019-04', noticeType: 102 },
    ]);
  });
});

describe('the requests', () => {
  it("asks a slice as the API's own first example does", () => {
    // https://api.publiccontractsscotland.gov.uk: "Fetch list of Contract Notices for the month of April, 2019 and return in OCDS format."
    expect(pcsNoticesUrl(API, { month: '2019-04', noticeType: 2 })).toBe(`${API}/v1/Notices?dateFrom=04-2019&noticeType=2&outputType=0`);
    expect(pcsNoticesUrl(API, { month: '2026-12', noticeType: 104 })).toBe(`${API}/v1/Notices?dateFrom=12-2026&noticeType=104&outputType=0`);
  });

  it("asks a procurement's notices as the API's example does", () => {
    expect(pcsProcurementUrl(API, 'ocds-r6ebe6-0000517932')).toBe(`${API}/v1/Notice?id=ocds-r6ebe6-0000517932`);
  });
});
