import { describe, expect, it } from 'vitest';
import { landedWhileWorkRemained, simulatorFaultEvents, type FaultEvent, type WorkTimeline } from './faultLanded.ts';
import type { RequestLogEntry } from '../simulator/server.ts';

/** FTS: one window open 100–500, contracts first stored at 200 and 400. CF: done by 150. */
const timeline: WorkTimeline = {
  contracts: [
    { source: 'FIND_A_TENDER', storedAt: 200 },
    { source: 'FIND_A_TENDER', storedAt: 400 },
    { source: 'CONTRACTS_FINDER', storedAt: 120 },
  ],
  windows: [
    { source: 'FIND_A_TENDER', openedAt: 100, closedAt: 500 },
    { source: 'CONTRACTS_FINDER', openedAt: 100, closedAt: 150 },
    // A delta window the cron planned after the run: open, with nothing left to store.
    { source: 'CONTRACTS_FINDER', openedAt: 600, closedAt: null },
  ],
};

describe('a fault landed only if work remained at its moment', () => {
  const cases: [string, FaultEvent, boolean][] = [
    ['FTS fault mid-run', { name: 'serverErrors', at: 300, source: 'FIND_A_TENDER' }, true],
    ['FTS fault after its last release was stored, window still open', { name: 'serverErrors', at: 450, source: 'FIND_A_TENDER' }, false],
    ['FTS fault before any window was planned', { name: 'serverErrors', at: 50, source: 'FIND_A_TENDER' }, false],
    ['CF fault while FTS still works: CF itself was done', { name: 'slow', at: 300, source: 'CONTRACTS_FINDER' }, false],
    ['CF fault on a delta window after the run', { name: 'slow', at: 700, source: 'CONTRACTS_FINDER' }, false],
    ['CF fault mid-run', { name: 'slow', at: 110, source: 'CONTRACTS_FINDER' }, true],
    ['kill while FTS works', { name: 'Worker killed', at: 300, source: null }, true],
    ['kill after the run', { name: 'Worker killed', at: 550, source: null }, false],
  ];
  it.each(cases)('%s', (_, event, expected) => {
    expect(landedWhileWorkRemained(event, timeline)).toBe(expected);
  });
});

describe('simulatorFaultEvents', () => {
  it('makes one event per fault per request, as the simulator counts them', () => {
    const entry = (at: number, fault?: string): RequestLogEntry => ({
      at,
      source: 'FIND_A_TENDER',
      method: 'GET',
      path: '/api/1.0/ocdsReleasePackages',
      query: {},
      status: 200,
      releases: 0,
      releaseIds: [],
      fault,
      rateLimited: false,
      early: false,
    });
    expect(simulatorFaultEvents([entry(1), entry(2, 'slow,serverErrors'), entry(3, 'badBytes')])).toEqual([
      { name: 'slow', at: 2, source: 'FIND_A_TENDER' },
      { name: 'serverErrors', at: 2, source: 'FIND_A_TENDER' },
      { name: 'badBytes', at: 3, source: 'FIND_A_TENDER' },
    ]);
  });
});
