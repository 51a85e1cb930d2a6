import { describe, expect, it } from 'vitest';
import { HISTORY, projectBackfill, projectReconciliation, RECORDS_PER_MONTH } from './projection.ts';

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
