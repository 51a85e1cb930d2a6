import { describe, expect, it } from 'vitest';
import type { Release } from '../ocds/releaseSchema.ts';
import { releaseStatus } from './releaseStatus.ts';

function release(tag: string[], tenderStatus?: string, awardStatuses?: (string | undefined)[]): Release {
  return {
    id: 'n-1',
    ocid: 'o',
    date: '2026-01-01T00:00:00Z',
    tag,
    ...(tenderStatus === undefined ? {} : { tender: { status: tenderStatus } }),
    ...(awardStatuses === undefined ? {} : { awards: awardStatuses.map((status, i) => ({ id: String(i), status })) }),
  };
}

describe('releaseStatus', () => {
  it.each([
    // Combinations seen in the real data.
    [['tender'], 'active', undefined, 'OPEN', 'TENDER'],
    [['tenderAmendment'], 'active', undefined, 'OPEN', 'TENDER'],
    [['planning'], 'planning', undefined, 'OPEN', 'PLANNING'],
    [['award'], 'complete', ['active'], 'AWARDED', 'AWARD'],
    [['awardUpdate'], 'complete', ['active'], 'AWARDED', 'AWARD'],
    [['award', 'contract'], 'complete', ['pending'], 'AWARDED', 'AWARD'],
    // The other rows of the table.
    [['tender'], 'cancelled', undefined, 'CANCELLED', 'TENDER'],
    [['tender'], 'withdrawn', undefined, 'CANCELLED', 'TENDER'],
    [['tenderCancellation'], undefined, undefined, 'CANCELLED', 'TENDER'],
    [['award'], 'cancelled', ['active'], 'CANCELLED', 'AWARD'],
    [['tender'], 'complete', undefined, 'CLOSED', 'TENDER'],
    [['award'], 'unsuccessful', ['unsuccessful'], 'CLOSED', 'AWARD'],
    [['award'], undefined, ['cancelled'], 'CLOSED', 'AWARD'],
    [['planning'], 'planned', undefined, 'OPEN', 'PLANNING'],
    [['contract'], undefined, undefined, 'AWARDED', 'AWARD'],
    [['award'], undefined, [undefined], 'AWARDED', 'AWARD'],
    [['tender', 'award'], 'active', ['active'], 'AWARDED', 'AWARD'],
    // No known tag: the stage comes from the content.
    [[], 'planned', undefined, 'OPEN', 'PLANNING'],
    [['somethingNew'], 'complete', ['active'], 'AWARDED', 'AWARD'],
    [[], undefined, undefined, 'OPEN', 'TENDER'],
    [['toString'], undefined, undefined, 'OPEN', 'TENDER'],
  ] as const)('%j tender=%s awards=%j → %s / %s', (tag, tenderStatus, awards, status, stage) => {
    expect(releaseStatus(release([...tag], tenderStatus, awards && [...awards]))).toEqual({ status, stage });
  });
});
