import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Db } from 'mongodb';
import { expect } from 'vitest';
import { freePort } from '../../scripts/local/freePort.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import { daysAgo } from '../stack/history.ts';
import { openTestDb } from '../stack/testDb.ts';
import type { Row } from './scenario.ts';

const root = resolve(import.meta.dirname, '../..');

/**
 * npm start on `database` (MONGODB_URI and MONGODB_DB); resolves with its exit code and output once
 * it exits. `stopWhen`: SIGTERM once it holds. `whileRunning`: runs beside it (told whether it still runs).
 */
export async function npmStart(
  database: { uri: string; name: string },
  port: number,
  options: { stopWhen?: () => Promise<boolean>; whileRunning?: (running: () => boolean) => Promise<void> } = {},
): Promise<{ code: number | null; output: string }> {
  const unset = ['FTS_API_URL', 'CF_API_URL'].flatMap((name) => ['-u', name]);
  const env = { MONGODB_URI: database.uri, MONGODB_DB: database.name, START_DATE: daysAgo(15), LOCAL_REQUESTS_PER_MINUTE: '600', WORKER_PORT: String(port) };
  const child = spawn('env', [...unset, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'npm', 'start'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  if (options.stopWhen) {
    while (running() && !(await options.stopWhen())) await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGTERM');
  }
  await options.whileRunning?.(running);
  return { code: await exited, output };
}

/** Some window closed and some not: a run under way. */
export async function midBackfill(db: Db): Promise<boolean> {
  const all = await db.collection<WindowDoc>(COLLECTIONS.syncJobs).find({ kind: 'window' }, { projection: { state: 1 } }).toArray();
  return all.some((w) => w.state === 'done') && all.some((w) => w.state !== 'done');
}

/** Removes the wrangler state `npm start` keeps beside a database of the user. */
export function removeNpmStartState(database: string): void {
  rmSync(resolve(root, '.wrangler/tender-sync-state', database), { recursive: true, force: true });
}

/**
 * `npm start` with MONGODB_URI keeps wrangler's state beside the database: stopped with SIGTERM mid
 * backfill (exit 143), a second `npm start` on the same database resumes where the first stopped
 * (the windows the first closed are not fetched again) and exits 0 once every window is closed.
 * Mostly a wait for the stall rule to resume what the first run left: a chaos row, overlapped.
 */
export async function stopAndResumeNpmStart(): Promise<Row> {
  const started = Date.now();
  const testDb = await openTestDb('chaos_resume');
  const windows = () => testDb.db.collection<WindowDoc>(COLLECTIONS.syncJobs).find({ kind: 'window' }).toArray();
  try {
      const port = await freePort();
      const first = await npmStart(testDb, port, { stopWhen: () => midBackfill(testDb.db) });
      expect(first.code, first.output.slice(-2000)).toBe(143);
      const doneBefore = new Map((await windows()).filter((w) => w.state === 'done').map((w) => [w._id, w.doneAt]));
      expect(doneBefore.size).toBeGreaterThan(0);

      const second = await npmStart(testDb, port);
      expect(second.code, second.output.slice(-2000)).toBe(0);
      const after = await windows();
      expect(after.filter((w) => w.state !== 'done').map((w) => [w._id, w.state])).toEqual([]);
      // Resumed, not started over: what the first run closed stayed closed, untouched.
      for (const [id, doneAt] of doneBefore) expect(after.find((w) => w._id === id)?.doneAt, id).toEqual(doneAt);
    return {
      fault: 'npm start on the user\'s MongoDB stopped mid-backfill, then started again',
      injected: 1,
      landed: { landed: 1, of: 1 },
      expected: after.length,
      stored: after.filter((w) => w.state === 'done').length,
      duplicates: { FIND_A_TENDER: 0, CONTRACTS_FINDER: 0, PUBLIC_CONTRACTS_SCOTLAND: 0 },
      overBudget: 0,
      seconds: Math.round((Date.now() - started) / 1000),
      notes: `windows, not notices: ${doneBefore.size} closed before the stop, kept; exit 143 then 0`,
    };
  } finally {
    removeNpmStartState(testDb.name);
    await testDb.close();
  }
}
