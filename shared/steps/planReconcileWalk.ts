import type { Db } from 'mongodb';
import type { Config } from '../config.ts';
import type { SourceName } from '../sources/sourceName.ts';
import { sources } from '../sources/sources.ts';
import { listWalks, restartWalk } from '../store/reconciliation.ts';
import { readSourceStatus } from '../store/sourceStatus.ts';
import { recordWindows } from '../store/windows.ts';
import { firstCheckpoint } from '../windows/advanceCheckpoint.ts';
import type { WindowPick } from '../windows/pickWindowsToFetch.ts';
import { mayStartWalk, nextWalk, reconcileTargets } from '../windows/reconciliation.ts';

/**
 * Plans the source's next reconciliation walk when one may start (the backfill done, no walk
 * open: windows/reconciliation.ts): records the month's reconcile window, or starts a walked one
 * again for the next pass. Returns it as the fetch plan reads it (pending), or null. Costs a read
 * of the source's status (its delta cursor) and one of its reconcile windows, once per walk; two
 * planners at once plan it once (a deterministic id, or a compare-and-set on the window's seq).
 */
export async function planReconcileWalk(config: Config, db: Db, source: SourceName, open: readonly WindowPick[], now: Date): Promise<WindowPick | null> {
  if (!mayStartWalk(open, config.MAX_WINDOW_ATTEMPTS)) return null;
  const adapter = sources[source];
  const status = await readSourceStatus(db, source);
  if (!status) return null;
  const next = nextWalk(reconcileTargets(source, adapter.startDate(config), status.cursor), await listWalks(db, source), config.MAX_WINDOW_ATTEMPTS);
  if (!next) return null;
  const { _id, from, to } = next.kind === 'plan' ? next.window : next.target;
  const start = firstCheckpoint({ from, to }, adapter.maxSliceMs);
  if (next.kind === 'plan') await recordWindows(db, [next.window], () => start, now);
  else if (!(await restartWalk(db, next.window, { from, to }, start, now))) return null;
  return { _id, seq: next.kind === 'plan' ? 0 : next.window.seq, state: 'pending', span: 'reconcile', from, to, attempts: 0, updatedAt: now, lease: null, checkpoint: start };
}
