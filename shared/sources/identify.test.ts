import { describe, expect, it } from 'vitest';
import { BadReleaseId, type NoticeRules } from '../mapping/noticeRules.ts';
import { contractsFinder } from './contractsFinder.ts';
import { findATender } from './findATender.ts';

const GUID = 'b5796912-1ffd-446f-abb4-82cc5e7654b3';

describe('identify: the notice a release id names, strictly', () => {
  it.each<[string, NoticeRules, object]>([
    [`${GUID}-582334`, contractsFinder, { noticeId: GUID, counter: 582334 }],
    [`${GUID}-000001`, contractsFinder, { noticeId: GUID, counter: 1 }],
    ['094477-2026', findATender, { noticeId: '094477-2026', counter: 0 }],
  ])('%s', (releaseId, adapter, expected) => {
    expect(adapter.identify(releaseId)).toEqual(expected);
  });

  it.each<[string, NoticeRules, string]>([
    [`${GUID}-58233`, contractsFinder, 'five digits'],
    [`${GUID}-5823345`, contractsFinder, 'seven digits'],
    [GUID, contractsFinder, 'no counter'],
    [`${GUID}582334`, contractsFinder, 'no dash before the counter'],
    ['b5796912-1ffd-446f-abb4-82cc5e7654bz-582334', contractsFinder, 'not hex'],
    ['notice-582334', contractsFinder, 'no GUID'],
    [` ${GUID}-582334`, contractsFinder, 'a space before'],
    ['94477-2026', findATender, 'five digits'],
    ['094477-26', findATender, 'a two-digit year'],
    [`${GUID}-582334`, findATender, 'a CF id'],
  ])('refuses %s (%s)', (releaseId, adapter) => {
    expect(() => adapter.identify(releaseId)).toThrow(BadReleaseId);
  });
});
