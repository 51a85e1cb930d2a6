import { describe, expect, it } from 'vitest';
import type { ContractStatus } from '../../shared/mapping/mappedRelease.ts';
import { procurementStatus } from './procurementStatus.ts';

const now = new Date('2026-03-15T12:00:00Z');
const day = (d: number) => new Date(Date.UTC(2026, 2, d));

describe('procurementStatus', () => {
  it.each<[string, [ContractStatus, number][], number | undefined, ContractStatus]>([
    ['a tender before its deadline', [['OPEN', 1]], 20, 'OPEN'],
    ['a tender without a deadline', [['OPEN', 1]], undefined, 'OPEN'],
    ['a tender past its deadline', [['OPEN', 1]], 14, 'CLOSED'],
    ['a tender and its amendment, deadline ahead', [['OPEN', 1], ['OPEN', 3]], 20, 'OPEN'],
    ['a tender then its award', [['OPEN', 1], ['AWARDED', 5]], 20, 'AWARDED'],
    ['an award arriving before its tender (dates decide, not order)', [['AWARDED', 5], ['OPEN', 1]], 20, 'AWARDED'],
    ['an awarded procurement past the deadline stays awarded', [['OPEN', 1], ['AWARDED', 5]], 2, 'AWARDED'],
    ['a tender then its cancellation', [['OPEN', 1], ['CANCELLED', 4]], 20, 'CANCELLED'],
    ['an award cancelled later', [['OPEN', 1], ['AWARDED', 4], ['CANCELLED', 6]], 20, 'CANCELLED'],
    ['a cancelled tender awarded after all', [['OPEN', 1], ['CANCELLED', 4], ['AWARDED', 6]], 20, 'AWARDED'],
    ['a tender then a notice that closed it without award', [['OPEN', 1], ['CLOSED', 5]], 20, 'CLOSED'],
    ['closed without award, then awarded', [['OPEN', 1], ['CLOSED', 5], ['AWARDED', 7]], 20, 'AWARDED'],
    ['a planning notice only', [['OPEN', 1]], undefined, 'OPEN'],
    ['an award notice alone', [['AWARDED', 1]], undefined, 'AWARDED'],
    ['an awarded contract terminated later (UK7 then UK11)', [['OPEN', 1], ['AWARDED', 4], ['TERMINATED', 9]], 20, 'TERMINATED'],
    ['a direct award intended, then made (UK5 then UK7)', [['CLOSED', 1], ['AWARDED', 5]], undefined, 'AWARDED'],
    ['a direct award intended only (UK5)', [['CLOSED', 1]], undefined, 'CLOSED'],
  ])('%s', (_, notices, deadlineDay, expected) => {
    const facts = notices.map(([noticeStatus, d]) => ({ noticeStatus, date: day(d) }));
    expect(procurementStatus(facts, deadlineDay === undefined ? undefined : day(deadlineDay), now)).toBe(expected);
  });
});
