import { describe, expect, it } from 'vitest';
import type { NoticeContract } from '../../shared/store/records.ts';
import { compileRecord } from './compileRecord.ts';

const now = new Date('2026-08-20T00:00:00Z');

function notice(id: string, day: number, fields: Partial<NoticeContract>): { contract: NoticeContract; release: undefined } {
  return {
    contract: {
      _id: `FIND_A_TENDER:${id}`,
      source: 'FIND_A_TENDER',
      ocid: 'ocds-h6vhtk-000001',
      noticeId: id,
      title: `notice ${id}`,
      status: 'OPEN',
      stage: 'TENDER',
      cpvCodes: [],
      releaseDate: new Date(Date.UTC(2026, 7, day)),
      ...fields,
    },
    release: undefined,
  };
}

describe('compileRecord: what mapping 3 adds to a procurement', () => {
  it('the deadline comes with its kind, from the newest notice that gives one', () => {
    const record = compileRecord(
      [
        notice('000001-2026', 1, { deadlineDate: new Date('2026-09-01T11:00:00Z'), deadlineKind: 'expressionOfInterest' }),
        notice('000002-2026', 3, { deadlineDate: new Date('2026-10-01T11:00:00Z'), deadlineKind: 'tender' }),
        notice('000003-2026', 5, {}),
      ],
      undefined,
      now,
    );
    expect(record).toMatchObject({ deadlineDate: new Date('2026-10-01T11:00:00Z'), deadlineKind: 'tender' });
  });

  it("a call-off's record names its framework, as its notice does", () => {
    const framework = { ocid: 'ocds-h6vhtk-06085f', relatedLots: ['3'] };
    const record = compileRecord([notice('000001-2026', 1, { framework }), notice('000002-2026', 2, { stage: 'AWARD', noticeStatus: 'AWARDED' })], undefined, now);
    expect(record?.framework).toEqual(framework);
  });

  it('a terminated contract ends the procurement as TERMINATED', () => {
    const record = compileRecord(
      [notice('000001-2026', 1, { stage: 'AWARD', noticeStatus: 'AWARDED' }), notice('000002-2026', 9, { stage: 'AWARD', noticeStatus: 'TERMINATED' })],
      undefined,
      now,
    );
    expect(record?.status).toBe('TERMINATED');
  });
});
