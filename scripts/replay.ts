/**
 * `npm run replay`: re-sends the stored dead letters (`deadLetters`, state dead) to their queues.
 *
 *   WORKER_URL=https://tender-sync.example.workers.dev ADMIN_TOKEN=... npm run replay
 *     → POST ${WORKER_URL}/replay on that Worker and print its JSON report.
 *   MONGODB_URI=mongodb://... [MONGODB_DB=tendhunt] [FTS_API_URL=...] [CF_API_URL=...] npm run replay
 *     → start the Worker locally (wrangler dev) on that database, POST /replay, wait until its
 *       consumers have taken every replayed message and no window is queued, fetching or fetched
 *       (REPLAY_TIMEOUT_SECONDS, default 600, each), print what was replayed or parked and the
 *       window states, stop.
 * Exit 0 when the replay ran, 1 on any error.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { readConfig } from '../shared/config.ts';
import { COLLECTIONS } from '../shared/store/db.ts';
import { startWorker, type WorkerProcess } from './local/workerProcess.ts';
import { configVarsFrom } from './local/configVars.ts';
import { consumedMessages } from './local/consumedMessages.ts';
import { readProgress, waitForWindows } from './local/progress.ts';
import { postReplay } from './local/replayClient.ts';

const env = process.env;

async function main(): Promise<number> {
  if (env.WORKER_URL) {
    if (!env.ADMIN_TOKEN) throw new Error('WORKER_URL is set but ADMIN_TOKEN is not: the Worker needs Authorization: Bearer <ADMIN_TOKEN> for POST /replay');
    const report = await postReplay(env.WORKER_URL, env.ADMIN_TOKEN);
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  if (!env.MONGODB_URI) {
    throw new Error('set WORKER_URL (+ ADMIN_TOKEN) to replay on a running Worker, or MONGODB_URI (+ MONGODB_DB, default tendhunt; FTS_API_URL / CF_API_URL if replayed fetches must reach an upstream) to replay with a local Worker');
  }
  // The Worker's own parser: a bad variable fails here, named, before anything starts.
  const config = readConfig(env);
  const timeoutMs = Number(env.REPLAY_TIMEOUT_SECONDS ?? 600) * 1000;
  const client = await new MongoClient(config.MONGODB_URI, { serverSelectionTimeoutMS: 10_000 }).connect();
  const db = client.db(config.MONGODB_DB);
  const dead = await db.collection(COLLECTIONS.deadLetters).countDocuments({ state: 'dead' });
  console.log(`${dead} dead letter(s) waiting in ${config.MONGODB_DB}.${COLLECTIONS.deadLetters}`);
  const adminToken = randomBytes(16).toString('hex');
  // Every Worker variable set here is passed through, so the local Worker behaves like the one that failed.
  const vars: Record<string, string> = { ...configVarsFrom(env), MONGODB_DB: config.MONGODB_DB, ADMIN_TOKEN: adminToken };
  const stateDir = mkdtempSync(join(tmpdir(), 'tender-sync-replay-'));
  let worker: WorkerProcess | null = null;
  try {
    worker = await startWorker(vars, stateDir, { quiet: !env.VERBOSE });
    const started = new Date();
    const logFrom = worker.output().length;
    const report = await postReplay(worker.url, adminToken);
    console.log(`replayed ${report.replayed.length}, parked ${report.parked.length}`);
    for (const id of report.replayed) console.log(`  replayed ${id}`);
    for (const id of report.parked) console.log(`  parked   ${id}`);
    // Taken by the Worker's consumers before it is stopped: a window's state alone does not say so
    // (a dead-lettered write leaves its window failed, and the replayed part does not change that).
    const running = worker;
    const taken = await waitForReplayed(db, report.replayed, started, () => consumedMessages(running.output().slice(logFrom)), timeoutMs);
    if (!taken) console.warn(`not every replayed message was taken within ${timeoutMs / 1000} s`);
    const progress = await waitForWindows(db, { until: 'settled', timeoutMs }).catch((error: Error) => {
      console.warn(error.message);
      return readProgress(db);
    });
    for (const [source, p] of Object.entries(progress)) console.log(`windows of ${source}: ${JSON.stringify(p.byState)}`);
    const failed = await db.collection(COLLECTIONS.syncJobs).find({ kind: 'window', state: 'failed' }, { projection: { lastError: 1 } }).toArray();
    for (const w of failed) console.log(`  failed ${w._id}: ${w.lastError}`);
    const left = await db.collection(COLLECTIONS.deadLetters).find({ state: { $ne: 'replayed' } }, { projection: { state: 1, error: 1, parkedReason: 1 } }).toArray();
    for (const l of left) console.log(`  letter ${l._id} ${l.state}: ${l.parkedReason ?? l.error}`);
    return 0;
  } finally {
    await worker?.stop();
    await client.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/**
 * Waits until the Worker's consumers have finished as many messages of each queue as were replayed,
 * or a replayed letter failed again (dead once more since the replay). False on timeout.
 */
async function waitForReplayed(db: Db, replayed: readonly string[], since: Date, consumed: () => { fetch: number; write: number }, timeoutMs: number): Promise<boolean> {
  const letters = db.collection<{ _id: string; queue: 'fetch' | 'write' }>(COLLECTIONS.deadLetters);
  const sent = await letters.find({ _id: { $in: [...replayed] } }, { projection: { queue: 1 } }).toArray();
  const want = { fetch: sent.filter((l) => l.queue === 'fetch').length, write: sent.filter((l) => l.queue === 'write').length };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const done = consumed();
    const failedAgain = await letters.countDocuments({ _id: { $in: [...replayed] }, state: 'dead', lastFailedAt: { $gte: since } });
    if (Math.min(done.fetch, want.fetch) + Math.min(done.write, want.write) + failedAgain >= want.fetch + want.write) return true;
    await sleep(500);
  }
  return false;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`replay failed: ${error.message}`);
    process.exit(1);
  },
);
