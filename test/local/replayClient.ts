/**
 * POST /replay on a running Worker, and a wait until the replayed work has settled. Shared by
 * `npm run replay` (test/local/replay.ts) and the chaos suite.
 */
import type { Db } from 'mongodb';
import { COLLECTIONS } from '../../shared/store/db.ts';

export interface ReplayAnswer {
  replayed: string[];
  parked: string[];
}

export async function postReplay(workerUrl: string, adminToken: string): Promise<ReplayAnswer> {
  const response = await fetch(`${workerUrl.replace(/\/+$/, '')}/replay`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST /replay answered ${response.status}: ${text}`);
  return JSON.parse(text) as ReplayAnswer;
}

/** Window counts by state. */
export async function windowStates(db: Db): Promise<Record<string, number>> {
  const rows = await db.collection(COLLECTIONS.syncJobs).aggregate<{ _id: string; n: number }>([{ $match: { kind: 'window' } }, { $group: { _id: '$state', n: { $sum: 1 } } }]).toArray();
  return Object.fromEntries(rows.map((r) => [r._id, r.n]));
}

/** Waits until no window is queued, fetching or fetched; false on timeout. */
export async function waitUntilSettled(db: Db, timeoutMs: number, onIdle?: () => Promise<void>, idleMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let lastChange = Date.now();
  while (Date.now() < deadline) {
    const states = await windowStates(db);
    if (!states.queued && !states.fetching && !states.fetched) return true;
    const signature = JSON.stringify(states) + (await db.collection(COLLECTIONS.contracts).estimatedDocumentCount());
    if (signature !== last) {
      last = signature;
      lastChange = Date.now();
    } else if (onIdle && Date.now() - lastChange > idleMs) {
      await onIdle();
      lastChange = Date.now();
    }
    await new Promise((done) => setTimeout(done, 1000));
  }
  return false;
}
