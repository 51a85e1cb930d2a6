import { describe, expect, it } from 'vitest';
import { mayStartWalk, nextWalk, reconcileTargets, type RecordedWalk } from './reconciliation.ts';

describe('reconcileTargets', () => {
  it('walks every month from the start to what the deltas walked, less the last hour, with ids that stay', () => {
    const targets = reconcileTargets('FIND_A_TENDER', new Date('2024-01-15'), new Date('2024-03-10T12:59:00Z'));
    expect(targets.map((t) => [t._id, t.span, t.from.toISOString(), t.to.toISOString()])).toEqual([
      ['FIND_A_TENDER:reconcile:2024-01', 'reconcile', '2024-01-15T00:00:00.000Z', '2024-02-01T00:00:00.000Z'],
      ['FIND_A_TENDER:reconcile:2024-02', 'reconcile', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
      ['FIND_A_TENDER:reconcile:2024-03', 'reconcile', '2024-03-01T00:00:00.000Z', '2024-03-10T11:00:00.000Z'],
    ]);
    expect(reconcileTargets('FIND_A_TENDER', new Date('2024-01-15'), new Date('2024-04-02T09:00:00Z')).at(-2)).toMatchObject({ _id: 'FIND_A_TENDER:reconcile:2024-03', to: new Date('2024-04-01') });
  });

  it('ends no walk in the repeated autumn hour', () => {
    // 2024-10-27 01:00-02:00 UTC is 01:00-02:00 BST then GMT: the cursor an hour later would end it at 01:00 UTC (01:00 GMT, read twice).
    const [, last] = reconcileTargets('FIND_A_TENDER', new Date('2024-09-01'), new Date('2024-10-27T02:30:00Z'));
    expect(last.to.getTime()).toBeLessThanOrEqual(new Date('2024-10-27T00:00:00Z').getTime());
  });
});

describe('mayStartWalk', () => {
  it.each([
    { open: [], may: true, why: 'the backfill done, no walk open' },
    { open: [{ span: 'delta', state: 'fetching', attempts: 0 }], may: true, why: 'deltas run beside a walk' },
    { open: [{ span: 'month', state: 'pending', attempts: 0 }], may: false, why: 'the backfill first' },
    { open: [{ span: 'reconcile', state: 'queued', attempts: 0 }], may: false, why: 'one walk at a time' },
    { open: [{ span: 'month', state: 'failed', attempts: 3 }, { span: 'reconcile', state: 'failed', attempts: 3 }], may: true, why: 'windows given up on hold nothing' },
  ] as const)('$why', ({ open, may }) => {
    expect(mayStartWalk(open, 3)).toBe(may);
  });
});

describe('nextWalk', () => {
  const targets = reconcileTargets('CONTRACTS_FINDER', new Date('2024-01-01'), new Date('2024-04-15T00:00:00Z'));
  const walked = (month: string, passes: number, verifiedAt: string, over: Partial<RecordedWalk> = {}): RecordedWalk => ({
    _id: `CONTRACTS_FINDER:reconcile:${month}`, seq: 2, state: 'done', from: new Date(`${month}-01`), to: new Date(`${month}-28`), attempts: 0,
    verification: { passes, verifiedAt: new Date(verifiedAt) }, ...over,
  });

  it.each([
    { recorded: [], next: 'plan 2024-01', why: 'the first pass starts at the oldest month' },
    { recorded: [walked('2024-01', 1, '2024-04-10')], next: 'plan 2024-02', why: 'then the next month never walked' },
    {
      recorded: [walked('2024-01', 1, '2024-04-10'), walked('2024-02', 1, '2024-04-11'), walked('2024-03', 1, '2024-04-12'), walked('2024-04', 1, '2024-04-13')],
      next: 'restart 2024-01',
      why: 'a full pass done: the next starts again at the month verified longest ago',
    },
    {
      recorded: [walked('2024-01', 2, '2024-04-14'), walked('2024-02', 1, '2024-04-11'), walked('2024-03', 1, '2024-04-12'), walked('2024-04', 1, '2024-04-13')],
      next: 'restart 2024-02',
      why: 'a pass goes on in order',
    },
    {
      recorded: [walked('2024-01', 1, '2024-04-10', { state: 'failed', attempts: 3 }), walked('2024-02', 1, '2024-04-11')],
      next: 'plan 2024-03',
      why: 'a month given up on counts as walked in this pass',
    },
  ])('$why', ({ recorded, next }) => {
    const walk = nextWalk(targets, recorded, 3);
    expect(walk && `${walk.kind} ${(walk.kind === 'plan' ? walk.window : walk.target)._id.slice(-7)}`).toBe(next);
  });

  it('restarts a month over its bounds as they are now (the running month grows)', () => {
    const all = targets.map((t) => walked(t._id.slice(-7), 1, '2024-04-10', { to: new Date('2024-04-10') }));
    const walk = nextWalk(targets, all.slice(-1), 3);
    expect(walk).toMatchObject({ kind: 'plan' });
    const later = nextWalk(targets, [all[3], ...all.slice(0, 3).map((w) => ({ ...w, verification: { passes: 2, verifiedAt: new Date('2024-04-14') } }))], 3);
    expect(later).toMatchObject({ kind: 'restart', target: { _id: 'CONTRACTS_FINDER:reconcile:2024-04', to: new Date('2024-04-14T23:00:00Z') } });
  });

  it('plans nothing before a month of history', () => {
    expect(nextWalk([], [], 3)).toBeNull();
  });
});
