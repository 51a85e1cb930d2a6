import type { SlotBook } from '../../shared/rateGate/slotBook.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import type { WindowState } from '../../shared/windows/window.ts';
import type { ReconcileFigures } from './reconcileFigures.ts';

/**
 * What the status page says about one source, decided from a few counts (producer/status/readStatus.ts
 * reads them with bounded queries). Pure: every figure below is table-tested.
 */

/** What is read from MongoDB and the source's RateGate for one source. */
export interface SourceFacts {
  source: SourceName;
  /** The history's month windows by state (their number is bounded: one a month since the start date). */
  monthsByState: Partial<Record<WindowState, number>>;
  /** Releases stored by the month windows that are done. */
  releasesInDoneMonths: number;
  /** Delta windows not yet done. */
  openDeltas: number;
  /** Distinct notices in `contracts`. */
  contracts: number;
  /** Releases the write consumer stored in the last hour (window parts). */
  releasesLastHour: number;
  /** The newest `releaseDate` in `contracts`. */
  newestRelease: Date | null;
  lastError: { at: Date; message: string } | null;
  gate: SlotBook;
  /** The reconciliation's progress and findings (reconcileFigures.ts); absent where nothing reads it. */
  reconciliation?: ReconcileFigures;
}

export interface Eta {
  /** When the history should be all stored; null when it is done or cannot be estimated (`note` says why). */
  at: Date | null;
  hours: number | null;
  note: string;
}

export interface SourceFigures {
  source: SourceName;
  windows: { done: number; total: number; failed: number; byState: Partial<Record<WindowState, number>>; openDeltas: number };
  /** Releases in done months, and the whole history estimated from the average done month (null before one is done). */
  releases: { stored: number; estimatedTotal: number | null };
  contracts: number;
  releasesPerHour: number;
  eta: Eta;
  /** Now minus the newest stored release date: how far behind the copy is (null: nothing stored yet). */
  lagMs: number | null;
  newestRelease: Date | null;
  lastError: { at: Date; message: string } | null;
  /** Why refusals seem not to end, or null (see blockedReason). */
  blocked: string | null;
  /**
   * The source's certificate could not be verified (shared/rateGate/tlsFailure.ts): since when,
   * and the sentence with cause and remedy. Null once a request is served again.
   */
  tlsError: { since: Date; reason: string } | null;
  /** An operator's pause (POST /admin/pause), or null. */
  paused: { since: Date; reason: string } | null;
  /** A refusal's pause still running: until when, and why. */
  refusedUntil: { until: Date; reason: string } | null;
  reconciliation: ReconcileFigures | null;
}

/**
 * A row of refusals is `blocked` once it holds at least BLOCKED_REFUSALS refusals and has lasted
 * BLOCKED_AFTER_MS with no request served in between. Either alone is normal: a 429 storm gives
 * many refusals within minutes, and one long Retry-After gives one long pause. A CF 403 block that
 * never lifts (a refusal every 5 minutes, forever) is blocked after 30 minutes. An upstream down
 * (the gate's `outage`: its failed probes) is judged the same way.
 */
export const BLOCKED_REFUSALS = 3;
export const BLOCKED_AFTER_MS = 30 * 60_000;

export function blockedReason(gate: SlotBook, now: Date): string | null {
  const rows = [
    gate.refusals && { ...gate.refusals, what: 'refusals' },
    gate.outage && { count: gate.outage.failures, since: gate.outage.since, lastReason: gate.outage.lastReason, what: 'upstream failures' },
  ];
  const row = rows.find((r) => r && r.count >= BLOCKED_REFUSALS && now.getTime() - r.since >= BLOCKED_AFTER_MS);
  if (!row) return null;
  const minutes = Math.round((now.getTime() - row.since) / 60_000);
  return `${row.count} ${row.what} in a row over ${minutes} min, no request served since ${new Date(row.since).toISOString()}; last: ${row.lastReason}`;
}

/**
 * When the history should be done: the months left times the average releases of a done month,
 * at the rate of the last hour. Months vary in size, so this is an estimate that improves as
 * months close; it says why when it cannot be made.
 */
export function backfillEta(facts: Pick<SourceFacts, 'monthsByState' | 'releasesInDoneMonths' | 'releasesLastHour'>, now: Date): Eta {
  const done = facts.monthsByState.done ?? 0;
  const total = sumOf(facts.monthsByState);
  const left = total - done;
  if (total === 0) return { at: null, hours: null, note: 'no history planned yet' };
  if (left === 0) return { at: null, hours: 0, note: 'history done' };
  if (done === 0) return { at: null, hours: null, note: 'no month done yet: nothing to size the rest by' };
  if (facts.releasesLastHour === 0) return { at: null, hours: null, note: 'nothing stored in the last hour' };
  const hours = (left * (facts.releasesInDoneMonths / done)) / facts.releasesLastHour;
  return { at: new Date(now.getTime() + hours * 3_600_000), hours, note: `${left} month(s) left at ${facts.releasesLastHour}/h` };
}

export function lagMs(newestRelease: Date | null, now: Date): number | null {
  return newestRelease ? Math.max(0, now.getTime() - newestRelease.getTime()) : null;
}

export function sourceFigures(facts: SourceFacts, now: Date): SourceFigures {
  const done = facts.monthsByState.done ?? 0;
  const total = sumOf(facts.monthsByState);
  const { gate } = facts;
  return {
    source: facts.source,
    windows: { done, total, failed: facts.monthsByState.failed ?? 0, byState: facts.monthsByState, openDeltas: facts.openDeltas },
    releases: { stored: facts.releasesInDoneMonths, estimatedTotal: done > 0 ? Math.round((facts.releasesInDoneMonths / done) * total) : null },
    contracts: facts.contracts,
    // Counted over exactly the last hour, so the sum is the rate per hour.
    releasesPerHour: facts.releasesLastHour,
    eta: backfillEta(facts, now),
    lagMs: lagMs(facts.newestRelease, now),
    newestRelease: facts.newestRelease,
    lastError: latest(
      facts.lastError,
      latest(
        gate.refusals ? { at: new Date(gate.refusals.lastAt), message: `refused: ${gate.refusals.lastReason}` } : null,
        gate.outage ? { at: new Date(gate.outage.lastAt), message: gate.outage.cause === 'tls' ? gate.outage.lastReason : `upstream down: ${gate.outage.lastReason}` } : null,
      ),
    ),
    blocked: blockedReason(gate, now),
    tlsError: gate.outage?.cause === 'tls' ? { since: new Date(gate.outage.since), reason: gate.outage.lastReason } : null,
    paused: gate.hold ? { since: new Date(gate.hold.since), reason: gate.hold.reason } : null,
    refusedUntil: gate.pausedUntil > now.getTime() ? { until: new Date(gate.pausedUntil), reason: gate.pauseReason ?? '' } : null,
    reconciliation: facts.reconciliation ?? null,
  };
}

function latest<T extends { at: Date }>(a: T | null, b: T | null): T | null {
  if (!a || !b) return a ?? b;
  return a.at >= b.at ? a : b;
}

function sumOf(byState: Partial<Record<string, number>>): number {
  return Object.values(byState).reduce<number>((sum, n) => sum + (n ?? 0), 0);
}
