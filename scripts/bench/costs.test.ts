import { describe, expect, it } from 'vitest';
import { backfillHours, durableObjectGbSeconds, dutyCycle, hourlyCronBackfillHours, monthlyBillUsd, pageWriteOperations, pagesForHistory, queueOperations, requestBoundMs, wallOverBound } from './costs.ts';

describe('bench arithmetic', () => {
  it.each([
    { bytes: 200, deliveries: 1, ops: 3 },
    { bytes: 65_536, deliveries: 1, ops: 3 },
    { bytes: 65_537, deliveries: 1, ops: 6 },
    { bytes: 120_000, deliveries: 3, ops: 10 },
  ])('a message of $bytes bytes delivered $deliveries times costs $ops queue operations', ({ bytes, deliveries, ops }) => {
    expect(queueOperations(bytes, deliveries)).toBe(ops);
  });

  it.each([
    { releases: 1, bytes: 5_000, ops: 3 },
    { releases: 100, bytes: 5_000, ops: 5 * 2 * 3 },
    { releases: 100, bytes: 1_000, ops: 2 * 3 },
  ])('a page of $releases releases of $bytes bytes is written in $ops queue operations', ({ releases, bytes, ops }) => {
    expect(pageWriteOperations(releases, bytes, 120_000)).toBe(ops);
  });

  it.each([
    { first: 0, last: 59_000, pages: 60, rpm: 60, ratio: 1, duty: 1 },
    { first: 0, last: 119_000, pages: 60, rpm: 60, ratio: 2, duty: 0.5 },
    { first: 1_000, last: 1_000, pages: 1, rpm: 6, ratio: 1, duty: 1 },
  ])('first $first, last $last, $pages pages at $rpm/min: wall/bound $ratio, duty cycle $duty', ({ first, last, pages, rpm, ratio, duty }) => {
    expect(wallOverBound(first, last, pages, rpm)).toBeCloseTo(ratio, 6);
    expect(dutyCycle(pages, first, last, rpm)).toBeCloseTo(duty, 6);
  });

  it.each([
    { slices: 4, releases: 40, limit: 100, pages: 4 },
    { slices: 4, releases: 401, limit: 100, pages: 8 },
    { slices: 2, releases: 1_000, limit: 100, pages: 10 },
    { slices: 0, releases: 0, limit: 100, pages: 0 },
  ])('$slices slices holding $releases releases in pages of $limit: $pages pages', ({ slices, releases, limit, pages }) => {
    expect(pagesForHistory(slices, releases, limit)).toBe(pages);
  });

  it.each([
    { pages: 360, rpm: 6, minutes: 15, hours: 1, cronHours: 4 },
    { pages: 8_640, rpm: 6, minutes: 15, hours: 24, cronHours: 96 },
    { pages: 91, rpm: 6, minutes: 15, hours: 91 / 360, cronHours: 2 },
  ])('$pages pages at $rpm/min: $hours h at the budget, $cronHours h paging $minutes min an hour', ({ pages, rpm, minutes, hours, cronHours }) => {
    expect(requestBoundMs(pages, rpm)).toBeCloseTo(hours * 3_600_000, 3);
    expect(backfillHours(pages, rpm)).toBeCloseTo(hours, 6);
    expect(hourlyCronBackfillHours(pages, rpm, minutes)).toBe(cronHours);
  });

  it.each([
    { seconds: 1_000_000, gbSeconds: 128_000 },
    { seconds: 24 * 3_600, gbSeconds: 11_059.2 },
    { seconds: 0, gbSeconds: 0 },
  ])('a Durable Object active $seconds s is billed $gbSeconds GB-s', ({ seconds, gbSeconds }) => {
    expect(durableObjectGbSeconds(seconds)).toBeCloseTo(gbSeconds, 6);
  });

  const none = { queueOperations: 0, durableObjectRequests: 0, durableObjectGbSeconds: 0, durableObjectRowsWritten: 0, workerRequests: 0, cpuMs: 0 };
  it.each([
    { usage: { queueOperations: 1_000_000, durableObjectRequests: 1_000_000, durableObjectGbSeconds: 400_000, durableObjectRowsWritten: 50_000_000, workerRequests: 10_000_000, cpuMs: 30_000_000 }, total: 5 },
    { usage: { ...none, queueOperations: 3_500_000 }, total: 6 },
    { usage: { ...none, durableObjectRequests: 3_000_000, workerRequests: 20_000_000, cpuMs: 80_000_000 }, total: 5 + 0.3 + 3 + 1 },
    // Pricing page, example 3's duration: 33 M GB-s billed at $12.50 a million after the 400,000 included.
    { usage: { ...none, durableObjectGbSeconds: 33_400_000 }, total: 5 + 412.5 },
    { usage: { ...none, durableObjectRowsWritten: 52_000_000 }, total: 5 + 2 },
  ])('bill for $usage: $total USD', ({ usage, total }) => {
    expect(monthlyBillUsd(usage).total).toBeCloseTo(total, 6);
  });
});
