/**
 * readPage hands what a page's URL says to the mapping: a Public Contracts Scotland page of the
 * real captures (test/fixtures/real/pcs/), read as listed under each notice type, and as a
 * procurement's record, which names no type.
 */
import { describe, expect, it } from 'vitest';
import { readPcsCaptures } from '../../test/fixtures/realPcs.ts';
import { noticeIdOfOwnDocument } from '../../shared/sources/pcs/noticeIdentity.ts';
import { PCS_NOTICE_TYPES } from '../../shared/sources/pcs/noticeTypes.ts';
import { pcsNoticesUrl, pcsProcurementUrl } from '../../shared/sources/pcs/slices.ts';
import { publicContractsScotland } from '../../shared/sources/publicContractsScotland.ts';
import { readPage } from './readPage.ts';

const API = 'https://api.publiccontractsscotland.gov.uk';

// The captures carry no release id (UPSTREAM.md): each is given the one a release of its notice has.
const releases = readPcsCaptures().map(({ release }) => ({ ...release, id: `rls-1-${noticeIdOfOwnDocument(release.tender.documents)}` }));
const body = new TextEncoder().encode(`\uFEFF${JSON.stringify({ uri: `${API}/v1/Notices`, version: '1.1', releases })}`).buffer as ArrayBuffer;

async function mappedAs(url: string) {
  const page = await readPage(publicContractsScotland, body, 'off', { url });
  if (!page.ok) throw new Error(page.reason);
  expect(page.rejected).toEqual([]);
  expect(page.mapped).toHaveLength(90);
  return page.mapped.map(({ contract }) => ({ status: contract.status, noticeType: contract.noticeType }));
}

describe('a PCS page is mapped by the notice type it was asked for', () => {
  it('a Quick Quote award (104) published without an award block is AWARDED, not OPEN', async () => {
    const mapped = await mappedAs(pcsNoticesUrl(API, { month: '2019-04', noticeType: 104 }));
    for (const contract of mapped) expect(contract).toEqual({ status: 'AWARDED', noticeType: 'Site Notice - Quick Quote Award' });
  });

  it.each(Object.entries(PCS_NOTICE_TYPES))('type %s: the table\'s status where it decides, else the release\'s (tender active: OPEN), and the type\'s name', async (code, type) => {
    const mapped = await mappedAs(pcsNoticesUrl(API, { month: '2019-04', noticeType: Number(code) }));
    for (const contract of mapped) expect(contract).toEqual({ status: type.status ?? 'OPEN', noticeType: type.name });
  });

  it("a procurement's record names no type: the release's blocks and its own document decide", async () => {
    const mapped = await mappedAs(pcsProcurementUrl(API, 'ocds-r6ebe6-0000580971'));
    for (const contract of mapped) expect(contract).toEqual({ status: 'OPEN', noticeType: 'contractNotice' });
  });
});
