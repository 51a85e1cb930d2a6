import type { Db } from 'mongodb';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { isMongoUnreachable } from '../../shared/store/mongoUnreachable.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SourceProgress {
  windows: number;
  done: number;
  failed: number;
  byState: Record<string, number>;
  /** Distinct notices in `contracts`: a page asked for again is not counted twice. */
  releasesStored: number;
}

/** Windows per source from syncJobs, and what is stored so far, per source. */
export async function readProgress(db: Db): Promise<Record<string, SourceProgress>> {
  const windows = await db
    .collection<WindowDoc>(COLLECTIONS.syncJobs)
    .find({ kind: 'window' }, { projection: { source: 1, state: 1 } })
    .toArray();
  const stored = await db.collection(COLLECTIONS.contracts).aggregate<{ _id: string; n: number }>([{ $group: { _id: '$source', n: { $sum: 1 } } }]).toArray();
  const progress: Record<string, SourceProgress> = {};
  const of = (source: string) => (progress[source] ??= { windows: 0, done: 0, failed: 0, byState: {}, releasesStored: 0 });
  for (const { _id, n } of stored) of(_id).releasesStored = n;
  for (const w of windows) {
    const p = of(w.source);
    p.windows++;
    p.byState[w.state] = (p.byState[w.state] ?? 0) + 1;
    if (w.state === 'done') p.done++;
    if (w.state === 'failed') p.failed++;
  }
  return progress;
}

/**
 * Waits until the windows are `closed` (every one done, or failed for good: `maxAttempts` used) or
 * `settled` (none queued, fetching or fetched: nothing more happens without the cron). When nothing
 * moves for `idleMs`, calls `onIdle` (the local stand-in for the hourly cron, which resumes stalled
 * windows and restarts failed ones). MongoDB unreachable (or refusing the login) is waited out, as
 * the Worker's consumers wait it out: `onTick` is told since when, with the last progress read, and
 * the cron is not fired meanwhile. Throws on timeout.
 */
export async function waitForWindows(
  db: Db,
  options: {
    until: 'closed' | 'settled';
    timeoutMs: number;
    idleMs?: number;
    maxAttempts?: number;
    onIdle?: () => Promise<void>;
    onTick?: (p: Record<string, SourceProgress>, mongoUnreachableSince: Date | null) => void;
  },
): Promise<Record<string, SourceProgress>> {
  const stillOpen =
    options.until === 'settled'
      ? { kind: 'window', state: { $in: ['queued', 'fetching', 'fetched'] } }
      : { kind: 'window', $or: [{ state: { $nin: ['done', 'failed'] } }, { state: 'failed', attempts: { $lt: options.maxAttempts ?? 3 } }] };
  const deadline = Date.now() + options.timeoutMs;
  let lastSignature = '';
  let lastChange = Date.now();
  let lastProgress: Record<string, SourceProgress> = {};
  let unreachableSince: Date | null = null;
  while (Date.now() < deadline) {
    const asked = new Date();
    try {
      const progress = await readProgress(db);
      lastProgress = progress;
      if (unreachableSince) {
        unreachableSince = null;
        // The consumers' waiting messages come back within the outage delay: give them that before the cron.
        lastChange = Date.now();
      }
      options.onTick?.(progress, null);
      const open = await db.collection(COLLECTIONS.syncJobs).countDocuments(stillOpen);
      // Read again: the last window may have closed between the progress read and the count.
      if (Object.keys(progress).length > 0 && open === 0) return readProgress(db);
      const signature = JSON.stringify(progress) + (await lastUpdate(db));
      if (signature !== lastSignature) {
        lastSignature = signature;
        lastChange = Date.now();
      } else if (options.onIdle && Date.now() - lastChange > (options.idleMs ?? 20_000)) {
        await options.onIdle();
        lastChange = Date.now();
      }
    } catch (error) {
      if (!isMongoUnreachable(error)) throw error;
      unreachableSince ??= asked;
      options.onTick?.(lastProgress, unreachableSince);
    }
    await sleep(1000);
  }
  throw new Error(`windows not ${options.until} after ${options.timeoutMs / 1000} s: ${JSON.stringify(await readProgress(db))}; open: ${JSON.stringify(await describeOpen(db, stillOpen))}`);
}

/** What a window left open was doing, for the timeout's message: enough to tell a lost chain from a slow one. */
async function describeOpen(db: Db, stillOpen: object): Promise<unknown[]> {
  return db
    .collection<WindowDoc>(COLLECTIONS.syncJobs)
    .find(stillOpen, { projection: { state: 1, seq: 1, generation: 1, attempts: 1, lease: 1, updatedAt: 1, 'checkpoint.pages': 1, 'checkpoint.complete': 1, lastError: 1 } })
    .limit(5)
    .toArray();
}

async function lastUpdate(db: Db): Promise<string> {
  const [latest] = await db.collection(COLLECTIONS.syncJobs).find({ kind: 'window' }).sort({ updatedAt: -1 }).limit(1).project({ updatedAt: 1 }).toArray();
  return String(latest?.updatedAt ?? '');
}
