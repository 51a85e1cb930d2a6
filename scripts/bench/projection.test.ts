import { describe, expect, it } from 'vitest';
import { slotIntervalMs } from '../../shared/rateGate/slotBook.ts';
import { assumedWalkRates, backfillPages, deltaMonth, HISTORY, lagAtRealRateMs, measuredWalkRates, monthRereads, overAllowances, passHoursAtRealPace, projectBackfill, projectMonth, projectReconciliation, RECORDS_PER_MONTH, wholeMonthPages } from './projection.ts';

/** The two sliced services, as the projection had them before PCS. */
const FTS_CF = HISTORY.filter((h) => h.name !== 'PCS');
const PCS = HISTORY.find((h) => h.name === 'PCS')!;

describe('continuous reconciliation of FTS and CF, projected', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const backfill = projectBackfill(FTS_CF, now);
  const rates = { bytesPerRelease: 3_000, pagesPerFetchMessage: 3, durableObjectRequestsPerPage: 2, durableObjectRowsWrittenPerPage: 1, cpuMsPerRelease: 1 };
  const month = projectReconciliation(FTS_CF, backfill, rates, now);

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
  const backfill = projectBackfill(FTS_CF, now);
  const rates = { bytesPerRelease: 3_000, pagesPerFetchMessage: 3, durableObjectRequestsPerPage: 2, durableObjectRowsWrittenPerPage: 1, cpuMsPerRelease: 1 };

  it('pools the passes: fetch messages per minute of walking, writes and gate calls per page, the pace gate adding one a page', () => {
    const walk = measuredWalkRates([
      { pages: 200, fetchSends: 12, writeSends: 0, gateRequests: 300, gateRowsWritten: 100, wallMs: 10 * 60_000 },
      { pages: 50, fetchSends: 18, writeSends: 5, gateRequests: 100, gateRowsWritten: 25, wallMs: 5 * 60_000 },
    ]);
    expect(walk).toEqual({ fetchMessagesPerMinute: 2, writeMessagesPerPage: 0.02, durableObjectRequestsPerPage: 400 / 250 + 1, durableObjectRowsWrittenPerPage: 125 / 250 + 1 });
  });

  it('bills what the walks measured: write messages and faster fetch chains cost queue operations, the assumed rates reproduce the projection', () => {
    const assumed = projectReconciliation(FTS_CF, backfill, rates, now);
    expect(projectReconciliation(FTS_CF, backfill, rates, now, assumedWalkRates(rates))).toEqual(assumed);
    const measured = projectReconciliation(FTS_CF, backfill, rates, now, { fetchMessagesPerMinute: 2, writeMessagesPerPage: 0.01, durableObjectRequestsPerPage: 3, durableObjectRowsWrittenPerPage: 2 });
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

describe('Public Contracts Scotland: whole months, re-read every hour', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const rates = { bytesPerRelease: 3_000, pagesPerFetchMessage: 3, durableObjectRequestsPerPage: 2, durableObjectRowsWrittenPerPage: 1, cpuMsPerRelease: 1 };

  it('backfills a request per month begun and notice type, whatever the volume', () => {
    // 2019-01 to 2026-12: 8 years, 96 months × 4 site notice types.
    expect(backfillPages(PCS, now)).toEqual({ slices: 384, pages: 384 });
    expect(wholeMonthPages('2019-01-01', new Date('2026-12-31T23:59:59Z'), 4)).toBe(384);
    // The first hour of January 2027 begins a 97th month.
    expect(wholeMonthPages('2019-01-01', new Date('2027-01-01T00:00:00Z'), 4)).toBe(388);
    // Half of November and a day of December 2026, EU forms too (21 types): 2 months.
    expect(wholeMonthPages('2026-11-15', new Date('2026-12-02T00:00:00Z'), 21)).toBe(42);
    // Ten times the releases, same requests.
    expect(backfillPages({ ...PCS, releases: 10 * PCS.releases }, now).pages).toBe(384);
  });

  it('takes about an hour at 6 a minute, or 5 hourly crons of 15 minutes', () => {
    const [pcs] = projectBackfill([PCS], now);
    // 384 requests, each a gate slot of ceil(61,000 / 6) = 10,167 ms: 3,904,128 ms.
    expect(pcs.hoursAtBudget).toBeCloseTo(3_904_128 / 3_600_000, 9);
    expect(slotIntervalMs(6)).toBe(10_167);
    // ceil(384 / 90) and ceil(384 / 6).
    expect(pcs.hoursHourlyCron).toEqual({ 15: 5, 1: 64 });
  });

  it('re-reads the current month every hour and the previous one through the first 7 days', () => {
    // 720 crons × 4 types + 24 × 7 crons × 4 = 2,880 + 672; releases: 720 × half a month + 168 × a whole one = 528 months of 2,500.
    expect(monthRereads(4, 2_500)).toEqual({ requests: 3_552, releasesRead: 1_320_000, releasesWritten: 2_500 });
    expect(deltaMonth(PCS)).toEqual(monthRereads(4, 2_500));
    // A sliced service: one delta page an hour holding all it writes.
    expect(deltaMonth(FTS_CF[0])).toEqual({ requests: 720, releasesRead: 11_000, releasesWritten: 11_000 });
  });

  it("adds PCS's share to the month holding the backfill, FTS's and CF's unchanged", () => {
    const without = projectMonth(FTS_CF, projectBackfill(FTS_CF, now), rates);
    const withPcs = projectMonth(HISTORY, projectBackfill(HISTORY, now), rates);
    const added = (meter: keyof typeof without.usage) => withPcs.usage[meter] - without.usage[meter];
    expect(withPcs.releases - without.releases).toBe(242_500);
    expect(withPcs.deltas[2]).toEqual({ requests: 3_552, releasesRead: 1_320_000, releasesWritten: 2_500 });
    // Backfill: 384 pages of 625 releases (1,875,000 bytes: 16 parts of 117,188 bytes, 2 × 3 operations each) = 36,864,
    // 128 fetch messages × 3 = 384; re-reads: 1,184 fetch messages × 3 = 3,552, 2,500 changed releases a part each × 3 = 7,500.
    expect(added('queueOperations')).toBe(36_864 + 384 + 3_552 + 7_500);
    // (384 + 3,552) requests × 2 calls, × 1 row.
    expect(added('durableObjectRequests')).toBe(7_872);
    expect(added('durableObjectRowsWritten')).toBe(3_936);
    // Backfill: 128 fetch invocations + 384 × 16 parts / 10; re-reads: 1,184 + 2,500 / 10.
    expect(added('workerRequests')).toBeCloseTo(128 + 614.4 + 1_184 + 250, 9);
    // 240,000 backfilled + 1,320,000 re-read, 1 ms each.
    expect(added('cpuMs')).toBe(1_560_000);
    // Its gate: active through the backfill (3,904,128 ms), and 10 s after each of 3,552 re-reads, at 0.128 GB.
    expect(added('durableObjectGbSeconds')).toBeCloseTo((3_904.128 + 35_520) * 0.128, 6);
  });

  it('walks its months again with the record sample in about 5 days, at 12 requests an hour', () => {
    const backfill = projectBackfill(HISTORY, now);
    const pass = projectReconciliation(HISTORY, backfill, rates, now).passes.find((p) => p.name === 'PCS')!;
    // 96 months × (4 list requests + 10 procurements): 1,344 requests at 0.2 a minute = 6,720 minutes.
    expect(pass).toEqual({ name: 'PCS', pagesPerPass: 1_344, months: 96, perMinute: 0.2, passDays: 6_720 / 1_440 });
  });

  it('reads its whole history once a pass, 6.4 passes a month, besides the re-reads', () => {
    const month = projectReconciliation([PCS], projectBackfill([PCS], now), rates, now);
    // 8,640 walked requests a month (0.2 a minute) / 1,344 a pass ≈ 6.4 passes × 240,000 releases, + 1,320,000
    // re-read, 1 ms each (not 8,640 × 625, as if each record-door request held a month of one type).
    expect(month.usage.cpuMs).toBeCloseTo((8_640 / 1_344) * 240_000 + 1_320_000, 3);
    // Re-reads' 1,184 fetch messages and 2,500 written releases, the walk's 8,640 fetch messages (one a request
    // at its pace, under the assumed one a minute), 3 operations each.
    expect(month.usage.queueOperations).toBe((1_184 + 2_500 + 8_640) * 3);
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
