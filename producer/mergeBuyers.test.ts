import { describe, expect, it } from 'vitest';
import type { MergeDoc, MergeState } from '../shared/store/buyerMerges.ts';
import { joinedBuyer, planMerges, RERUN_MS, survivorsToFollow } from './mergeBuyers.ts';

const NOW = new Date('2026-11-25T10:00:00Z');
const merge = (from: string, to: string, state: MergeState = 'pending', doneMsAgo?: number): MergeDoc => ({
  _id: `merge:${from}`,
  from,
  to,
  rule: 'identifier',
  key: from,
  state,
  at: new Date(0),
  ...(doneMsAgo !== undefined && { doneAt: new Date(NOW.getTime() - doneMsAgo) }),
});

describe('planMerges', () => {
  it.each([
    { case: 'a pending merge', merges: [merge('GB-PPON-D', 'GB-LAE-DUR')], want: [['GB-PPON-D', 'GB-LAE-DUR']] },
    { case: 'one done just now is run again (a batch may have written under its keys as they moved)', merges: [merge('GB-PPON-D', 'GB-LAE-DUR', 'done', 60_000)], want: [['GB-PPON-D', 'GB-LAE-DUR']] },
    { case: 'one done long ago is not', merges: [merge('GB-PPON-D', 'GB-LAE-DUR', 'done', RERUN_MS)], want: [] },
    {
      case: 'a survivor merged since: to the last one',
      merges: [merge('GB-PPON-D', 'GB-LAE-DUR'), merge('GB-LAE-DUR', 'GB-COH-1', 'done', RERUN_MS * 10)],
      want: [['GB-PPON-D', 'GB-COH-1']],
    },
    { case: 'a cycle (only by hand) merges nothing', merges: [merge('A', 'B'), merge('B', 'C'), merge('C', 'A')], want: [] },
  ])('$case', ({ merges, want }) => {
    expect(planMerges(merges, NOW).map((m) => [m.from, m.to])).toEqual(want);
  });
});

describe('survivorsToFollow', () => {
  it.each([
    { case: 'a survivor with no merge read yet', merges: [merge('A', 'B')], asked: [], want: ['B'] },
    { case: 'its merge is read: its survivor next', merges: [merge('A', 'B'), merge('B', 'C', 'done', RERUN_MS * 10)], asked: ['B'], want: ['C'] },
    { case: 'asked already (it had none): the chain ends', merges: [merge('A', 'B'), merge('D', 'B')], asked: ['B'], want: [] },
    { case: 'one survivor of two merges is asked once', merges: [merge('A', 'C'), merge('B', 'C')], asked: [], want: ['C'] },
  ])('$case', ({ merges, asked, want }) => {
    expect(survivorsToFollow(merges, new Set(asked))).toEqual(want);
  });
});

describe('joinedBuyer', () => {
  const from = {
    _id: 'GB-PPON-D',
    name: 'Durham CC',
    aliases: ['Durham CC'],
    sourceIds: ['GB-PPON-D'],
    sources: ['CONTRACTS_FINDER'],
    website: 'https://durham.gov.uk',
    sector: 'Local government',
    description: 'enriched by a person',
    locked: ['sector', 'description'],
    firstSeen: new Date('2020-01-01'),
    lastSeen: new Date('2021-01-01'),
  };

  it.each([
    {
      case: 'the survivor lacks the website and locked nothing: it takes the website and the locked fields',
      to: { _id: 'GB-LAE-DUR', name: 'Durham County Council', contacts: [] },
      set: { website: 'https://durham.gov.uk', sector: 'Local government', description: 'enriched by a person' },
      locked: ['sector', 'description'],
    },
    {
      case: 'the survivor\'s own values and locked fields win',
      to: { _id: 'GB-LAE-DUR', website: 'https://www.durham.gov.uk', description: 'its own', locked: ['description'] },
      set: { sector: 'Local government' },
      locked: ['sector'],
    },
    { case: 'no survivor document yet: everything of the merged one', to: undefined, set: { website: 'https://durham.gov.uk', description: 'enriched by a person', sector: 'Local government' }, locked: ['sector', 'description'] },
  ])('$case', ({ to, set, locked }) => {
    const join = joinedBuyer(to, from);
    expect(join.set).toEqual(set);
    expect(join.lists).toEqual({ aliases: ['Durham CC'], sourceIds: ['GB-PPON-D'], sources: ['CONTRACTS_FINDER'], locked });
    expect([join.min, join.max, join.nameIfNew]).toEqual([{ firstSeen: from.firstSeen }, { lastSeen: from.lastSeen }, 'Durham CC']);
  });
});
