import { describe, expect, it } from 'vitest';
import { nextNoticeTypeUrl, noticeTypeAsked, pcsNoticesUrl, pcsProcurementUrl } from './slices.ts';

const API = 'https://api.publiccontractsscotland.gov.uk';

describe('nextNoticeTypeUrl: a month\'s chain, one request per notice type', () => {
  it('goes to the same month\'s next type, and ends after the last', () => {
    const types = [101, 102, 104];
    expect(nextNoticeTypeUrl(API, types, pcsNoticesUrl(API, { month: '2019-04', noticeType: 101 }))).toBe(pcsNoticesUrl(API, { month: '2019-04', noticeType: 102 }));
    expect(nextNoticeTypeUrl(API, types, pcsNoticesUrl(API, { month: '2019-04', noticeType: 102 }))).toBe(pcsNoticesUrl(API, { month: '2019-04', noticeType: 104 }));
    expect(nextNoticeTypeUrl(API, types, pcsNoticesUrl(API, { month: '2019-04', noticeType: 104 }))).toBeNull();
  });

  it('ends on a URL that is no slice of these types, rather than loop', () => {
    expect(nextNoticeTypeUrl(API, [101, 102], pcsNoticesUrl(API, { month: '2019-04', noticeType: 3 }))).toBeNull();
    expect(nextNoticeTypeUrl(API, [101, 102], `${API}/v1/Notice?id=ocds-r6ebe6-0000517932`)).toBeNull();
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

describe('noticeTypeAsked: what the mapping is told of a page', () => {
  it("reads a slice's code; a procurement's notices name none", () => {
    expect(noticeTypeAsked(pcsNoticesUrl(API, { month: '2019-04', noticeType: 104 }))).toBe(104);
    expect(noticeTypeAsked(pcsProcurementUrl(API, 'ocds-r6ebe6-0000517932'))).toBeUndefined();
  });
});
