import type { Verification, WindowDoc } from '../../shared/windows/window.ts';

/** What the status reads of one reconcile window (one a month of history at most). */
export type WalkFacts = Pick<WindowDoc, 'from' | 'to' | 'state'> & { verification?: Pick<Verification, 'passes' | 'verifiedAt' | 'missing' | 'newer'> };

export interface ReconcileFigures {
  /** RECONCILE is off. */
  off: boolean;
  /** Months a pass walks (windows/reconciliation.ts reconcileTargets). */
  months: number;
  /** The pass under way: 1 + the fewest walks any month has had. */
  pass: number;
  /** Months walked in the pass under way, and the end of the latest of them (a pass goes oldest first). */
  verifiedInPass: number;
  verifiedUpTo: Date | null;
  /** When the last pass that walked every month finished its last month; null before one has. */
  lastFullPassAt: Date | null;
  /** Found by each month's latest walk: notices missing from the copy, notices stored at an older release. */
  missing: number;
  newer: number;
  /** The newest finding of the source, if any was ever made. */
  lastFinding: { at: Date; kind: string; noticeId: string } | null;
}

/**
 * The reconciliation's progress and findings for the status page, from the source's reconcile
 * windows (`months` says how many the history has: the ones not yet recorded were never walked).
 * Pure.
 */
export function reconcileFigures(walks: readonly WalkFacts[], months: number, lastFinding: ReconcileFigures['lastFinding'], off: boolean): ReconcileFigures {
  const passes = walks.map((w) => w.verification?.passes ?? 0);
  // A month not yet recorded was never walked.
  const fewest = walks.length === 0 || walks.length < months ? 0 : Math.min(...passes);
  const inPass = walks.filter((w) => (w.verification?.passes ?? 0) > fewest);
  const previousPass = walks.filter((w) => w.verification && w.verification.passes === fewest);
  return {
    off,
    months,
    pass: fewest + 1,
    verifiedInPass: inPass.length,
    verifiedUpTo: latest(inPass.map((w) => w.to)),
    // The months still at the fewest walks were walked last in that pass: the latest of them ended it.
    lastFullPassAt: fewest > 0 ? latest(previousPass.map((w) => w.verification!.verifiedAt)) : null,
    missing: sum(walks.map((w) => w.verification?.missing ?? 0)),
    newer: sum(walks.map((w) => w.verification?.newer ?? 0)),
    lastFinding,
  };
}

/** The status line, the same on the page and in `npm run status`. */
export function reconciliationLine(r: ReconcileFigures): string {
  if (r.off && r.verifiedInPass === 0 && r.lastFullPassAt === null) return 'reconciliation off (RECONCILE=off)';
  const upTo = r.verifiedUpTo ? `history verified up to ${day(r.verifiedUpTo)} in pass ${r.pass} (${r.verifiedInPass} of ${r.months} months)` : `pass ${r.pass} not started (after the backfill)`;
  const full = r.lastFullPassAt ? `last full pass ${r.lastFullPassAt.toISOString().slice(0, 16)}Z` : 'no full pass yet';
  const last = r.lastFinding ? ` (last: ${r.lastFinding.kind} ${r.lastFinding.noticeId}, ${r.lastFinding.at.toISOString().slice(0, 16)}Z)` : '';
  return `${upTo}, ${full}, ${r.missing} missing and ${r.newer} changed found${last}${r.off ? '; RECONCILE=off' : ''}`;
}

/** Whether the latest walks found anything: the source then says so in its status. */
export const hasFindings = (r: ReconcileFigures): boolean => r.missing + r.newer > 0;

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const day = (date: Date) => date.toISOString().slice(0, 10);

function latest(dates: Date[]): Date | null {
  return dates.reduce<Date | null>((a, b) => (a && a > b ? a : b), null);
}
