import { describe, expect, it } from 'vitest';
import { recordsAheadOf } from './recordsAheadOf.ts';

const day = (d: number) => new Date(Date.UTC(2024, 0, d));
const record = (...notices: [contractId: string, date: number][]) => ({ notices: notices.map(([contractId, date]) => ({ contractId, date: day(date) })) }) as never;
const contract = (_id: string, date: number) => ({ _id, releaseDate: day(date) });

describe('recordsAheadOf', () => {
  it.each([
    { case: 'every notice read at the release the record holds', contracts: [contract('A', 1), contract('B', 5)], ahead: [] },
    { case: 'a contract read at a newer release (this batch or a writer whose record is still to come)', contracts: [contract('A', 3), contract('B', 5)], ahead: [] },
    { case: 'a notice of the record whose contract was not read (stored after the read)', contracts: [contract('A', 1)], ahead: ['R'] },
    { case: 'a contract read at an older release than the record holds (moved on after the read)', contracts: [contract('A', 1), contract('B', 4)], ahead: ['R'] },
  ])('$case', ({ contracts, ahead }) => {
    expect(recordsAheadOf(new Map([['R', record(['A', 1], ['B', 5])]]), contracts)).toEqual(ahead);
  });
});
