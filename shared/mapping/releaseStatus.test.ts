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
    // Rule 2: a termination, also without a notice type (2015 regulations).
    [['contractTermination'], undefined, undefined, 'TERMINATED', 'AWARD'],
  ] as const)('%j tender=%s awards=%j → %s / %s', (tag, tenderStatus, awards, status, stage) => {
    expect(releaseStatus(release([...tag], tenderStatus, awards && [...awards]))).toEqual({ status, stage });
  });

  it('rule 2: contracts listed, all terminated, is TERMINATED; one still active is not', () => {
    const withContracts = (statuses: string[]): Release => ({ ...release(['award', 'contract'], 'complete', ['active']), contracts: statuses.map((status, i) => ({ id: String(i), status })) });
    expect(releaseStatus(withContracts(['terminated', 'terminated'])).status).toBe('TERMINATED');
    expect(releaseStatus(withContracts(['terminated', 'active'])).status).toBe('AWARDED');
  });
});

describe("rule p: the status the page's notice type gives (pageContext.ts: PCS 104)", () => {
  it.each([
    ['no awards listed, tender active: the page type decides', release(['tender'], 'active'), 'AWARDED'],
    ['no awards listed, tender complete', release(['award'], 'complete'), 'AWARDED'],
    ['an award block: its awards decide (all unsuccessful)', release(['award'], 'unsuccessful', ['unsuccessful']), 'CLOSED'],
    ['an award block: its awards decide (active)', release(['award'], 'complete', ['active']), 'AWARDED'],
    ['a cancelled tender', release(['tender'], 'cancelled'), 'CANCELLED'],
    ['a termination', release(['contractTermination']), 'TERMINATED'],
  ] as const)('%s → %s', (_case, published, status) => {
    expect(releaseStatus(published, undefined, 'AWARDED').status).toBe(status);
  });
});

describe('status by notice type (noticeTypes.ts), one row each: the type decides where it says so, else the release', () => {
  // Each type with the release shape FTS publishes it in (test/fixtures/real/), or the nearest for types not in the corpus.
  it.each([
    ['UK1', release(['planning'], 'planned'), 'OPEN'],
    ['UK2', release(['planning'], 'planning'), 'OPEN'],
    ['UK3', release(['planning'], 'planned'), 'OPEN'],
    ['UK4', release(['tender'], 'active'), 'OPEN'],
    ['UK4', release(['tender'], 'cancelled'), 'CANCELLED'],
    ['UK5', release(['award', 'contract'], 'complete', ['pending']), 'CLOSED'],
    ['UK6', release(['award', 'contract'], 'complete', ['pending']), 'AWARDED'],
    ['UK7', release(['award', 'contract'], 'complete', ['active']), 'AWARDED'],
    ['UK8', release([]), 'OPEN'],
    ['UK9', release(['implementation']), 'AWARDED'],
    ['UK10', release(['contractAmendment']), 'AWARDED'],
    ['UK11', release(['contractTermination']), 'TERMINATED'],
    ['UK12', release(['tenderCancellation'], 'complete', ['active']), 'CANCELLED'],
    ['UK13', release(['tender'], 'active'), 'OPEN'],
    ['UK14', release(['award', 'contract'], undefined, [undefined]), 'OPEN'],
    ['UK15', release(['award', 'contract'], undefined, [undefined, undefined]), 'OPEN'],
    ['UK16', release(['award', 'contract'], 'complete', [undefined]), 'CLOSED'],
    ['UK17', release(['tender'], 'active'), 'OPEN'],
  ] as const)('%s → %s', (noticeType, published, status) => {
    expect(releaseStatus(published, noticeType).status).toBe(status);
  });
});
