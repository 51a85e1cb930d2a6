import { describe, expect, it } from 'vitest';
import { assumedWalkRates, HISTORY, lagAtRealRateMs, measuredWalkRates, overAllowances, passHoursAtRealPace, projectBackfill, projectReconciliation, RECORDS_PER_MONTH } from './projection.ts';

describe('continuous reconciliation, projected', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const backfill = projectBackfill(HISTORY, now);
  const rates = { bytesPerRelease: 3_000, pagesPerFetchMessage: 3, durableObjectRequestsPerPage: 2, durableObjectRowsWrittenPerPage: 1, cpuMsPerRelease: 1 };
  const month = projectReconciliation(HISTORY, backfill, rates, now);

  it('walks the history again in three to four days per service at 2 a minute, each with 10 procurements a month through its record endpoint', () => {
    // 72 months of FTS (2021-01 to 2026-12), 122 of CF (2016-11 to 2026-12).
    expect(month.passes.map((p) => [p.name, p.pagesPerPass])).toEqual([
      ['FTS', backfill[0].pages + 72 * RECORDS_PER_MONTH],
      ['CF', backfill[1].pages + 122 * RECORDS_PER_MONTH],
    ]);
    for (const pass of month.passes) expect(pass.passDays).toBeGreaterThan(3);
    for (const pass of month.passes) expect(pass.passDays).toBeLessThan(4);
  });

  it("costs the walks' fetch chains in queue operations, nothing written, within the plan's allowances but the gates' duration", () => {
    // Walks: 2 services x 86,400 pages a month, a message a minute each (3 operations); deltas: 2 x (720 pages x 3 + 240 messages x 3).
    expect(month.usage.queueOperations).toBe(2 * 43_200 * 3 + 2 * (720 * 3 + 240 * 3));
    // A walk's page: the source gate's calls as measured, plus the pace gate's reserve.
    expect(month.usage.durableObjectRequests).toBe(2 * 86_400 * 3 + 2 * 720 * 2);
    expect(month.bill.lines.queueOperations + month.bill.lines.durableObjectRequests + month.bill.lines.workerRequests + month.bill.lines.cpuMs).toBe(0);
    expect(month.bill.total).toBeLessThan(6);
  });
});

describe('reconciliation from measured passes', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const backfill = projectBackfill(HISTORY, now);
  const rates = { bytesPerRelease: 3_000, pagesPerFetchMessage: 3, durableObjectRequestsPerPage: 2, durableObjectRowsWrittenPerPage: 1, cpuMsPerRelease: 1 };

  it('pools the passes: fetch messages per minute of walking, writes and gate calls per page, the pace gate adding one a page', () => {
    const walk = measuredWalkRates([
      { pages: 200, fetchSends: 12, writeSends: 0, gateRequests: 300, gateRowsWritten: 100, wallMs: 10 * 60_000 },
      { pages: 50, fetchSends: 18, writeSends: 5, gateRequests: 100, gateRowsWritten: 25, wallMs: 5 * 60_000 },
    ]);
    expect(walk).toEqual({ fetchMessagesPerMinute: 2, writeMessagesPerPage: 0.02, durableObjectRequestsPerPage: 400 / 250 + 1, durableObjectRowsWrittenPerPage: 125 / 250 + 1 });
  });

  it('bills what the walks measured: write messages and faster fetch chains cost queue operations, the assumed rates reproduce the projection', () => {
    const assumed = projectReconciliation(HISTORY, backfill, rates, now);
    expect(projectReconciliation(HISTORY, backfill, rates, now, assumedWalkRates(rates))).toEqual(assumed);
    const measured = projectReconciliation(HISTORY, backfill, rates, now, { fetchMessagesPerMinute: 2, writeMessagesPerPage: 0.01, durableObjectRequestsPerPage: 3, durableObjectRowsWrittenPerPage: 2 });
    // Per service a month: one more fetch message a minute (43,200) and 864 write messages (1% of 86,400 pages), 3 operations each.
    expect(measured.usage.queueOperations - assumed.usage.queueOperations).toBe(2 * (43_200 + 864) * 3);
    expect(measured.usage.durableObjectRequests).toBe(assumed.usage.durableObjectRequests);
  });

  it('names each allowance a month exceeds, with what it used, and none when it fits', () => {
    const usage = { queueOperations: 1_500_000, durableObjectRequests: 10, durableObjectGbSeconds: 400_001, durableObjectRowsWritten: 0, workerRequests: 0, cpuMs: 0 };
    expect(overAllowances(usage)).toEqual([
      { meter: 'queueOperations', used: 1_500_000, included: 1_000_000 },
      { meter: 'durableObjectGbSeconds', used: 400_001, included: 400_000 },
    ]);
    expect(overAllowances({ ...usage, queueOperations: 1_000_000, durableObjectGbSeconds: 0 })).toEqual([]);
  });
});

describe('a delta lag measured in compressed time, at the real rate', () => {
  const at = (minutes: number) => minutes * 60_000;

  it('adds a whole tick spacing, scales planned-to-served by the compression and keeps the write path as measured', () => {
    // Published at 0, planned at 1 min, served 6 s later, stored 20 s after that; 10× compressed, ticks every 5 min.
    const lag = lagAtRealRateMs({ publishedAt: 0, plannedAt: at(1), servedAt: at(1) + 6_000, storedAt: at(1) + 26_000 }, 10, 5);
    expect(lag).toBe(at(5) + 60_000 + 20_000);
  });

  it('scales publication to served whole when the planning time is unknown', () => {
    expect(lagAtRealRateMs({ publishedAt: 0, plannedAt: null, servedAt: 30_000, storedAt: 40_000 }, 2, 5)).toBe(at(5) + 60_000 + 10_000);
  });
});

describe('a pass at the real pace', () => {
  it("is its pages at RECONCILE a minute and, per month walked, up to a tick's wait for the next to be planned", () => {
    // FTS: 8,665 pages + 720 records at 2 a minute, 72 months × 5 min.
    expect(passHoursAtRealPace(9_385, 72, 2, 5)).toBeCloseTo((9_385 / 2 + 360) / 60, 9);
  });
});
