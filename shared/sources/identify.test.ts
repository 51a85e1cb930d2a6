import { describe, expect, it } from 'vitest';
import { BadReleaseId, type NoticeRules } from '../mapping/noticeRules.ts';
import { contractsFinder } from './contractsFinder.ts';
import { findATender } from './findATender.ts';
import { publicContractsScotland } from './publicContractsScotland.ts';

const GUID = 'b5796912-1ffd-446f-abb4-82cc5e7654b3';

describe('identify: the notice a release id names, strictly', () => {
  it.each<[string, NoticeRules, object]>([
    [`${GUID}-582334`, contractsFinder, { noticeId: GUID, counter: 582334 }],
    [`${GUID}-000001`, contractsFinder, { noticeId: GUID, counter: 1 }],
    ['094477-2026', findATender, { noticeId: '094477-2026', counter: 0 }],
    ['rls-1-JAN468109', publicContractsScotland, { noticeId: 'JAN468109', counter: 1 }],
    ['rls-184-MAR552053', publicContractsScotland, { noticeId: 'MAR552053', counter: 184 }],
  ])('%s', (releaseId, adapter, expected) => {
    expect(adapter.identify(releaseId)).toEqual(expected);
  });

  it.each<[string, string, NoticeRules]>([
    [`${GUID}-58233`, 'five digits', contractsFinder],
    [`${GUID}-5823345`, 'seven digits', contractsFinder],
    [GUID, 'no counter', contractsFinder],
    [`${GUID}582334`, 'no dash before the counter', contractsFinder],
    ['b5796912-1ffd-446f-abb4-82cc5e7654bz-582334', 'not hex', contractsFinder],
    ['notice-582334', 'no GUID', contractsFinder],
    [` ${GUID}-582334`, 'a space before', contractsFinder],
    ['94477-2026', 'five digits', findATender],
    ['094477-26', 'a two-digit year', findATender],
    [`${GUID}-582334`, 'a CF id', findATender],
    ['JAN468109', 'no rls- prefix', publicContractsScotland],
    ['rls-JAN468109', 'no counter', publicContractsScotland],
    ['rls-1-jan468109', 'a lower-case month', publicContractsScotland],
    ['rls-1-468109', 'no month', publicContractsScotland],
    ['ocds-r6ebe6-0000710562', 'an ocid', publicContractsScotland],
    ['094477-2026', 'an FTS id', publicContractsScotland],
  ])('refuses %s (%s)', (releaseId, _why, adapter) => {
    expect(() => adapter.identify(releaseId)).toThrow(BadReleaseId);
  });
});
