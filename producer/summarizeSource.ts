import type { SourceStatusDoc, SourceSummary, WindowSummaryInput } from '../shared/store/sourceStatus.ts';
import type { DeltaFold } from '../shared/windows/planDeltaFold.ts';

/**
 * A source's summary, recomputed from its windows (the truth) once per producer run: `error` while
 * a window is failed, `backfilling` while a month of the history is not done, else `syncing`;
 * totals; freshness (the end of the newest closed delta window); what happened since the previous
 * run; and the holes left by pages that could not be read, in slices (their releases are uncounted).
 * Finished delta windows folded away count through the newest fold's running totals, as done windows.
 * Pure: the producer reads the windows and saves what this returns.
 */
export function summarizeSource(
  windows: readonly WindowSummaryInput[],
  fold: Pick<DeltaFold, 'windows' | 'releasesWritten' | 'to'> | null,
  previous: Pick<SourceStatusDoc, 'totalFetched' | 'lastRunAt' | 'createdAt' | 'errorLog'>,
  now: Date,
): SourceSummary {
  // Reconciliation walks re-read months already counted: they show in their own figures (status/reconcileFigures.ts).
  const fetching = windows.filter((w) => w.span !== 'reconcile');
  const byState: Record<string, number> = {};
  for (const w of fetching) byState[w.state] = (byState[w.state] ?? 0) + 1;
  if (fold) byState.done = (byState.done ?? 0) + fold.windows;
  const totalFetched = fetching.reduce((sum, w) => sum + (w.releasesWritten ?? 0), fold?.releasesWritten ?? 0);
  const lastSyncedDate = windows
    .filter((w) => w.span === 'delta' && w.state === 'done')
    .reduce<Date | null>((latest, w) => (latest && latest > w.to ? latest : w.to), fold?.to ?? null);
  const backfilling = windows.some((w) => w.span === 'month' && w.state !== 'done');
  const failed = windows.some((w) => w.state === 'failed');
  const holed = windows.filter((w) => w.checkpoint.holes.length > 0);
  const since = previous.lastRunAt ?? previous.createdAt;
  return {
    status: failed ? 'error' : backfilling ? 'backfilling' : 'syncing',
    lastSyncedDate,
    totalFetched,
    lastRunAt: now,
    lastRunFetched: Math.max(0, totalFetched - previous.totalFetched),
    lastRunErrors: previous.errorLog.filter((entry) => entry.at > since).length,
    windows: byState,
    holes: { slices: holed.reduce((sum, w) => sum + w.checkpoint.holes.length, 0), windows: holed.map((w) => w._id) },
  };
}
