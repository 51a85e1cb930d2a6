import { describe, expect, it } from 'vitest';
import { emptyBook, type SlotBook } from '../../shared/rateGate/slotBook.ts';
import { backfillEta, BLOCKED_AFTER_MS, blockedReason, lagMs, sourceFigures, type SourceFacts } from './sourceFigures.ts';

const now = new Date('2026-11-25T12:00:00Z');
const t = (minutesAgo: number) => now.getTime() - minutesAgo * 60_000;
const row = (count: number, sinceMinutesAgo: number): SlotBook => ({ ...emptyBook, refusals: { count, since: t(sinceMinutesAgo), lastAt: t(1), lastReason: 'CF answered 403' } });

describe('blockedReason', () => {
  it.each([
    { name: 'no refusal', gate: emptyBook, blocked: false },
    { name: 'a row that ended (served)', gate: { ...emptyBook, refusals: null }, blocked: false },
    { name: 'a 429 storm: many refusals within minutes', gate: row(12, 4), blocked: false },
    { name: 'one long Retry-After: one refusal, long ago', gate: row(1, 90), blocked: false },
    { name: 'two refusals over an hour', gate: row(2, 60), blocked: false },
    { name: 'a CF block that never lifts: 3 refusals over 30 min', gate: row(3, BLOCKED_AFTER_MS / 60_000), blocked: true },
    { name: 'a block for a day', gate: row(288, 24 * 60), blocked: true },
  ])('$name → blocked: $blocked', ({ gate, blocked }) => {
    const reason = blockedReason(gate, now);
    expect(reason !== null).toBe(blocked);
    if (blocked) expect(reason).toMatch(/refusals in a row over \d+ min, no request served since .*; last: CF answered 403$/);
  });

  const down = (failures: number, sinceMinutesAgo: number): SlotBook => ({ ...emptyBook, outage: { failures, since: t(sinceMinutesAgo), lastAt: t(1), lastReason: 'HTTP 504', probeUntil: 0 } });
  it.each([
    { name: 'an outage of a few minutes', gate: down(4, 5), blocked: false },
    { name: 'FTS down for an hour: a probe every 2 minutes failing', gate: down(33, 60), blocked: true },
  ])('$name → blocked: $blocked', ({ gate, blocked }) => {
    const reason = blockedReason(gate, now);
    expect(reason !== null).toBe(blocked);
    if (blocked) expect(reason).toMatch(/^33 upstream failures in a row over 60 min, no request served since .*; last: HTTP 504$/);
  });
});

describe('backfillEta', () => {
  it.each([
    { name: 'nothing planned', months: {}, inDone: 0, lastHour: 0, hours: null, note: /no history planned/ },
    { name: 'every month done', months: { done: 12 }, inDone: 1200, lastHour: 0, hours: 0, note: /history done/ },
    { name: 'no month done yet', months: { pending: 10, fetching: 2 }, inDone: 0, lastHour: 500, hours: null, note: /no month done yet/ },
    { name: 'stalled: nothing in the last hour', months: { done: 2, pending: 10 }, inDone: 200, lastHour: 0, hours: null, note: /nothing stored in the last hour/ },
    // 10 months left × 100 releases a month / 500 an hour = 2 hours.
    { name: 'ten months of 100 left at 500/h', months: { done: 2, pending: 8, failed: 1, fetching: 1 }, inDone: 200, lastHour: 500, hours: 2, note: /10 month\(s\) left at 500\/h/ },
  ])('$name', ({ months, inDone, lastHour, hours, note }) => {
    const eta = backfillEta({ monthsByState: months, releasesInDoneMonths: inDone, releasesLastHour: lastHour }, now);
    expect(eta.hours).toBe(hours);
    expect(eta.note).toMatch(note);
    expect(eta.at).toEqual(hours ? new Date(now.getTime() + hours * 3_600_000) : null);
  });
});

describe('lagMs', () => {
  it.each([
    { newest: null, lag: null },
    { newest: new Date(t(90)), lag: 90 * 60_000 },
    // A release dated a little ahead of this clock is not a negative lag.
    { newest: new Date(now.getTime() + 5_000), lag: 0 },
  ])('$newest → $lag', ({ newest, lag }) => {
    expect(lagMs(newest, now)).toBe(lag);
  });
});

describe('sourceFigures', () => {
  const facts: SourceFacts = {
    source: 'CONTRACTS_FINDER',
    monthsByState: { done: 3, pending: 1, failed: 1 },
    releasesInDoneMonths: 300,
    openDeltas: 1,
    contracts: 280,
    releasesLastHour: 50,
    newestRelease: new Date(t(30)),
    lastError: { at: new Date(t(20)), message: 'CF:2026-01: page unreadable' },
    gate: emptyBook,
  };

  it('counts month windows and estimates the whole history from the average done month', () => {
    expect(sourceFigures(facts, now)).toMatchObject({
      windows: { done: 3, total: 5, failed: 1, openDeltas: 1 },
      releases: { stored: 300, estimatedTotal: 500 },
      contracts: 280,
      releasesPerHour: 50,
      eta: { hours: 4 },
      lagMs: 30 * 60_000,
      blocked: null,
      tlsError: null,
      paused: null,
      refusedUntil: null,
    });
  });

  it("a TLS failure puts the source in an error state naming cause and remedy, until a request is served; a 5xx outage does not", () => {
    const sentence = "TLS: the server's certificate chain could not be verified (HTTP 526, invalid SSL certificate, for https://api.example). Remedy: …";
    const outage = { failures: 1, since: t(25), lastAt: t(10), lastReason: sentence, probeUntil: 0 };
    const gate: SlotBook = { ...emptyBook, pausedUntil: t(25) + 3_600_000, pauseReason: sentence, outage: { ...outage, cause: 'tls' } };
    expect(sourceFigures({ ...facts, gate }, now)).toMatchObject({ tlsError: { since: new Date(t(25)), reason: sentence }, lastError: { at: new Date(t(10)), message: sentence } });
    expect(sourceFigures({ ...facts, gate: { ...gate, outage: { ...outage, lastReason: 'HTTP 502' } } }, now)).toMatchObject({ tlsError: null, lastError: { message: 'upstream down: HTTP 502' } });
  });

  it("shows the newer of the source's last error and its last refusal, an operator's pause and a running refusal's pause", () => {
    const gate: SlotBook = { nextSlotAt: 0, pausedUntil: now.getTime() + 60_000, pauseReason: 'CF answered 403', hold: { since: t(5), reason: 'maintenance' }, refusals: { count: 1, since: t(25), lastAt: t(25), lastReason: 'CF answered 403' } };
    expect(sourceFigures({ ...facts, gate }, now)).toMatchObject({
      lastError: facts.lastError,
      paused: { since: new Date(t(5)), reason: 'maintenance' },
      refusedUntil: { until: new Date(now.getTime() + 60_000), reason: 'CF answered 403' },
    });
    expect(sourceFigures({ ...facts, gate, lastError: null }, now).lastError).toEqual({ at: new Date(t(25)), message: 'refused: CF answered 403' });
  });
});
