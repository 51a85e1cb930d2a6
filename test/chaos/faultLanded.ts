/**
 * Whether an injected fault took effect while work remained. A fault that fires once the run is
 * over (a kill or an outage too late, a fault left armed that only meets a later empty delta
 * window or the test's own requests) proves nothing, yet used to count as injected like any other.
 */
import type { Db } from 'mongodb';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { RequestLogEntry } from '../simulator/server.ts';

/** One injected event: a simulator fault on one request, or a kill, outage or cron fired from outside. */
export interface FaultEvent {
  name: string;
  /** When it took effect (ms). */
  at: number;
  /** The source it hit; null for what hits the whole pipeline (a kill, MongoDB down). */
  source: SourceName | null;
}

/** When each contract was first stored and when each window was open, read after the run. */
export interface WorkTimeline {
  contracts: { source: SourceName; storedAt: number }[];
  windows: { source: SourceName; openedAt: number; closedAt: number | null }[];
}

/**
 * True when, at the event's moment, a window of its source was open and a release of its source
 * was still unstored (a contract of that source was first stored after it).
 */
export function landedWhileWorkRemained(event: FaultEvent, timeline: WorkTimeline): boolean {
  const hit = (source: SourceName) => event.source === null || event.source === source;
  const unstored = timeline.contracts.some((c) => hit(c.source) && c.storedAt > event.at);
  const open = timeline.windows.some((w) => hit(w.source) && w.openedAt <= event.at && (w.closedAt === null || w.closedAt > event.at));
  return unstored && open;
}

/** The simulator's faults as events: one per fault per request that met it (as they are counted). */
export function simulatorFaultEvents(requests: readonly RequestLogEntry[]): FaultEvent[] {
  return requests.flatMap((r) => (r.fault ? r.fault.split(',').map((name) => ({ name, at: r.at, source: r.source })) : []));
}

export async function readWorkTimeline(db: Db): Promise<WorkTimeline> {
  const contracts = await db.collection(COLLECTIONS.contracts).find({}, { projection: { source: 1, createdAt: 1 } }).toArray();
  const windows = await db.collection(COLLECTIONS.syncJobs).find({ kind: 'window' }, { projection: { source: 1, createdAt: 1, doneAt: 1 } }).toArray();
  return {
    contracts: contracts.map((c) => ({ source: c.source, storedAt: (c.createdAt as Date).getTime() })),
    windows: windows.map((w) => ({ source: w.source, openedAt: (w.createdAt as Date).getTime(), closedAt: w.doneAt ? (w.doneAt as Date).getTime() : null })),
  };
}
