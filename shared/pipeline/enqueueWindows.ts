import type { Db } from 'mongodb';
import type { Config, Env } from '../config.ts';
import { MESSAGE_VERSION, type FetchMessage } from '../queue/messages.ts';
import type { SourceName } from '../sources/sourceName.ts';
import { claimWindow, lastPartStoredAt, listWindows } from '../store/windows.ts';
import { pickWindowsToFetch } from '../windows/pickWindowsToFetch.ts';

/**
 * Puts the windows of a source that are due on the fetch queue: stalled chains resume, pending
 * and retryable failed windows start, up to the in-flight limit. Called by the hourly producer and
 * by the fetch consumer when a window finishes, so a backfill flows on without waiting for the cron.
 * Each window is claimed (seq moved on) before its message is sent; a crash in between leaves a
 * queued window without a message, which the stall rule resumes.
 */
export async function enqueueDueWindows(env: Env, config: Config, db: Db, source: SourceName, now: Date): Promise<number> {
  const stallMs = config.STALL_MINUTES * 60_000;
  const windows = await listWindows(db, source);
  const lastWrite = windows.some((w) => w.state === 'fetched') ? await lastPartStoredAt(db) : null;
  const plan = pickWindowsToFetch(windows, now, {
    inFlight: config.FETCH_WINDOWS_IN_FLIGHT,
    stallMs,
    maxAttempts: config.MAX_WINDOW_ATTEMPTS,
    writerIdle: lastWrite === null || now.getTime() - lastWrite.getTime() >= stallMs,
  });
  const claims = [
    ...plan.resume.map((window) => ({ window, restart: false })),
    ...plan.start.map((window) => ({ window, restart: window.state !== 'pending' })),
  ];
  let sent = 0;
  for (const { window, restart } of claims) {
    const seq = await claimWindow(db, window, restart, now);
    if (seq === null) continue;
    const message: FetchMessage = { v: MESSAGE_VERSION, type: 'fetch', windowId: window._id, seq };
    await env.FETCH_QUEUE.send(message, { contentType: 'json' });
    sent++;
  }
  return sent;
}
