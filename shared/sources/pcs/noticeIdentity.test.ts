import { describe, expect, it } from 'vitest';
import { isDocumentOfNotice, noticeIdOfOwnDocument } from './noticeIdentity.ts';

const page = (id: string) => `https://www.publiccontractsscotland.gov.uk/search/show/search_view.aspx?ID=${id}`;
const own = { id: 'APR352786', documentType: 'contractNotice', url: page('APR352786') };
const attachment = { id: 'APR352786-1', url: 'https://www.publiccontractsscotland.gov.uk/NoticeDownload/DownloadDocument.aspx?id=APR352786&idx=1' };

describe('the notice a release without an id names', () => {
  it('is the one whose document id is also the ID of the page it links', () => {
    expect(noticeIdOfOwnDocument([{ id: 'economic', documentType: 'economicSelectionCriteria' }, own, attachment])).toBe('APR352786');
  });

  it('is none when no document, or two, name a notice so', () => {
    expect(noticeIdOfOwnDocument([attachment, { id: 'APR352786' }])).toBeUndefined();
    expect(noticeIdOfOwnDocument([own, { id: 'MAR350001', url: page('MAR350001') }])).toBeUndefined();
    expect(noticeIdOfOwnDocument([{ id: 'APR352786', url: page('APR352787') }])).toBeUndefined();
  });
});

describe('isDocumentOfNotice', () => {
  it('by its id or by the page it links; an attachment of the notice is not it', () => {
    expect(isDocumentOfNotice(own, 'APR352786')).toBe(true);
    expect(isDocumentOfNotice({ url: page('APR352786') }, 'APR352786')).toBe(true);
    expect(isDocumentOfNotice(attachment, 'APR352786')).toBe(false);
    expect(isDocumentOfNotice(own, 'APR352787')).toBe(false);
  });
});
