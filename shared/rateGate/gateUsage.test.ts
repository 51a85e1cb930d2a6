import { describe, expect, it } from 'vitest';
import { countCall, countRowWritten, newUsage, totalCalls, usageBetween, type GateMethod, type GateUsage } from './gateUsage.ts';

/** A gate's usage after these calls, and a row written per `write`. */
const after = (startedAt: number, methods: GateMethod[], writes = 0): GateUsage => {
  let usage = newUsage(startedAt);
  for (const m of methods) usage = countCall(usage, m);
  for (let i = 0; i < writes; i++) usage = countRowWritten(usage);
  return usage;
};

describe('gate usage', () => {
  it('counts each call by method, and the rows written', () => {
    const usage = after(5, ['reserve', 'reserve', 'status', 'pause', 'failed', 'served', 'hold', 'release'], 4);
    expect(usage).toEqual({ startedAt: 5, calls: { reserve: 2, pause: 1, failed: 1, served: 1, hold: 1, release: 1, status: 1 }, rowsWritten: 4 });
    expect(totalCalls(usage)).toBe(8);
  });

  it.each([
    {
      case: 'same instance: the calls in between, less the reader’s own reads',
      first: after(1, ['status']),
      last: after(1, ['status', 'reserve', 'reserve', 'status', 'status', 'status'], 2),
      ownReads: 2,
      between: { calls: { reserve: 2, pause: 0, failed: 0, served: 0, hold: 0, release: 0, status: 1 }, total: 3, rowsWritten: 2, complete: true },
    },
    {
      case: 'no calls but the reader’s',
      first: after(1, ['status']),
      last: after(1, ['status', 'status']),
      ownReads: 1,
      between: { calls: { reserve: 0, pause: 0, failed: 0, served: 0, hold: 0, release: 0, status: 0 }, total: 0, rowsWritten: 0, complete: true },
    },
    {
      case: 'restarted: what the new instance saw, a lower bound',
      first: after(1, ['status', 'reserve', 'reserve']),
      last: after(9, ['reserve', 'pause', 'status'], 2),
      ownReads: 3,
      between: { calls: { reserve: 1, pause: 1, failed: 0, served: 0, hold: 0, release: 0, status: 0 }, total: 2, rowsWritten: 2, complete: false },
    },
  ])('$case', ({ first, last, ownReads, between }) => {
    expect(usageBetween(first, last, ownReads)).toEqual(between);
  });
});
