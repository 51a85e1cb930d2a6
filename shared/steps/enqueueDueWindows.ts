import type { Db } from 'mongodb';
import type { Config } from '../config.ts';
import { fetchMessage } from '../queue/messages.ts';
import { queueBinding } from '../queue/queues.ts';
import { firstCheckpoint } from '../windows/advanceCheckpoint.ts';
import type { SourceName } from '../sources/sourceName.ts';
import { sources } from '../sources/sources.ts';
import { claimWindow, lastPartStoredAt, listOpenWindows } from '../store/windows.ts';
import { pickWindowsToFetch } from '../windows/pickWindowsToFetch.ts';
import { startPoint } from '../windows/startPoint.ts';
import { waitsOnQueue } from '../windows/waitsOnQueue.ts';
import { planReconcileWalk } from './planReconcileWalk.ts';

export interface Enqueued {
  /** Messages sent now. */
  sent: number;
  /** Windows of the source on the queue with no consumer holding them, those sent now included. */
  waiting: number;
}

/**
 * Puts the windows of a source that are due on the fetch queue: stalled chains resume, pending
 * and retryable failed windows start (a failed one from its checkpoint where it can: startPoint.ts),
 * up to the in-flight limit; once the backfill is done, the next reconciliation walk is planned
 * (planReconcileWalk.ts). Called by the hourly producer and
 * by the fetch consumer when a window finishes, so a backfill flows on without waiting for the cron.
 * Each window is claimed (seq moved on) before its message is sent; a crash in between leaves a
 * queued window without a message, which the stall rule resumes.
 */
export async function enqueueDueWindows(env: Env, config: Config, db: Db, source: SourceName, now: Date): Promise<Enqueued> {
  const stallMs = config.STALL_MINUTES * 60_000;
  const windows = await listOpenWindows(db, source);
  const walk = config.RECONCILE > 0 ? await planReconcileWalk(config, db, source, windows, now) : null;
  if (walk) windows.push(walk);
  const lastWrite = windows.some((w) => w.state === 'fetched') ? await lastPartStoredAt(db) : null;
  const plan = pickWindowsToFetch(windows, now, {
    inFlight: config.FETCH_WINDOWS_IN_FLIGHT,
    stallMs,
    maxAttempts: config.MAX_WINDOW_ATTEMPTS,
    writerIdle: lastWrite === null || now.getTime() - lastWrite.getTime() >= stallMs,
    reconcile: config.RECONCILE > 0,
  });
  const claims = [
    ...plan.resume.map((window) => ({ window, restart: false })),
    ...plan.start.map((window) => ({ window, restart: startPoint(window) === 'first slice' })),
  ];
  const { maxSliceMs } = sources[source];
  let sent = 0;
  for (const { window, restart } of claims) {
    const seq = await claimWindow(db, window, restart ? firstCheckpoint(window, maxSliceMs) : null, now);
    if (seq === null) continue;
    await queueBinding(env, 'fetch').send(fetchMessage(window._id, seq), { contentType: 'json' });
    sent++;
  }
  const claimed = new Set(claims.map((claim) => claim.window._id));
  return { sent, waiting: sent + windows.filter((w) => !claimed.has(w._id) && waitsOnQueue(w, now)).length };
}
