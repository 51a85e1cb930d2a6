import type { Db, MatchKeysAndValues } from 'mongodb';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { sources } from '../../shared/sources/sources.ts';
import { claimWindow, recordWindows, windowsCollection } from '../../shared/store/windows.ts';
import { firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import { planMonthWindows, type PlannedWindow } from '../../shared/windows/planWindows.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';

/**
 * Records a window as the producer does (pending, at its first slice), then `$set`s `fields` (dotted
 * paths allowed): where a test needs the window to stand (fetched with its page parts, say) without
 * running the chain that would have put it there.
 */
export async function recordWindow(db: Db, planned: PlannedWindow, fields: MatchKeysAndValues<WindowDoc> = {}): Promise<WindowDoc> {
  await recordWindows(db, [planned], (w) => firstCheckpoint(w, sources[planned.source].maxSliceMs), new Date());
  if (Object.keys(fields).length > 0) await windowsCollection(db).updateOne({ _id: planned._id }, { $set: fields });
  const window = await windowsCollection(db).findOne({ _id: planned._id });
  if (!window) throw new Error(`window ${planned._id} was not recorded`);
  return window;
}

/** The producer's window for one month (`2019-01`) of a source. */
export function monthWindow(source: SourceName, month: string): PlannedWindow {
  const from = new Date(`${month}-01T00:00:00Z`);
  const [window] = planMonthWindows(source, from, new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1)));
  return window;
}

/** A delta window of `source` over the `days` from `from`, recorded and claimed by the producer: queued at seq 1. */
export async function queuedDelta(db: Db, source: SourceName, from: Date, days = 1): Promise<WindowDoc> {
  const planned = { _id: `${source}:delta:${from.toISOString()}`, source, span: 'delta' as const, from, to: new Date(from.getTime() + days * 86_400_000) };
  const window = await recordWindow(db, planned);
  // No vitest here: the bench (scripts/bench/fetchConnections.ts) queues windows with it too.
  if ((await claimWindow(db, window, null, new Date())) !== 1) throw new Error(`window ${planned._id} was not claimed at seq 1`);
  const queued = await windowsCollection(db).findOne({ _id: planned._id });
  if (!queued) throw new Error(`window ${planned._id} vanished`);
  return queued;
}
