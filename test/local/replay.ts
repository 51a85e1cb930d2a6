/**
 * `npm run replay`: re-sends the stored dead letters (`deadLetters`, state dead) to their queues.
 *
 *   WORKER_URL=https://tender-sync.example.workers.dev ADMIN_TOKEN=... npm run replay
 *     → POST ${WORKER_URL}/replay on that Worker and print its JSON report.
 *   MONGODB_URI=mongodb://... [MONGODB_DB=tendhunt] [FTS_API_URL=...] [CF_API_URL=...] npm run replay
 *     → start the Worker locally (wrangler dev) on that database, POST /replay, wait until no
 *       window is queued, fetching or fetched (REPLAY_TIMEOUT_SECONDS, default 600), print what was
 *       replayed or parked and the window states, stop.
 * Exit 0 when the replay ran, 1 on any error.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { startWorker, type WorkerProcess } from '../stack/workerProcess.ts';
import { postReplay, waitUntilSettled, windowStates } from './replayClient.ts';

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
  if (!/^mongodb(\+srv)?:\/\//.test(env.MONGODB_URI)) throw new Error('MONGODB_URI must start with mongodb:// or mongodb+srv://');
  const dbName = env.MONGODB_DB || 'tendhunt';
  const timeoutMs = Number(env.REPLAY_TIMEOUT_SECONDS ?? 600) * 1000;
  const client = await new MongoClient(env.MONGODB_URI, { serverSelectionTimeoutMS: 10_000 }).connect();
  const db = client.db(dbName);
  const dead = await db.collection(COLLECTIONS.deadLetters).countDocuments({ state: 'dead' });
  console.log(`${dead} dead letter(s) waiting in ${dbName}.${COLLECTIONS.deadLetters}`);
  const adminToken = randomBytes(16).toString('hex');
  const vars: Record<string, string> = { MONGODB_URI: env.MONGODB_URI, MONGODB_DB: dbName, ADMIN_TOKEN: adminToken };
  // Passed through when set, so the local Worker behaves like the one that failed.
  for (const key of ['FTS_API_URL', 'CF_API_URL', 'FTS_REQUESTS_PER_MINUTE', 'CF_REQUESTS_PER_MINUTE', 'FTS_START_DATE', 'CF_START_DATE', 'STORE_RAW', 'WRITE_CHUNK_SIZE', 'PAGE_LIMIT']) {
    if (env[key]) vars[key] = env[key]!;
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'tender-sync-replay-'));
  let worker: WorkerProcess | null = null;
  try {
    worker = await startWorker(vars, stateDir, { quiet: !env.VERBOSE });
    const report = await postReplay(worker.url, adminToken);
    console.log(`replayed ${report.replayed.length}, parked ${report.parked.length}`);
    for (const id of report.replayed) console.log(`  replayed ${id}`);
    for (const id of report.parked) console.log(`  parked   ${id}`);
    const settled = await waitUntilSettled(db, timeoutMs);
    if (!settled) console.warn(`windows still in flight after ${timeoutMs / 1000} s`);
    console.log(`windows: ${JSON.stringify(await windowStates(db))}`);
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

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`replay failed: ${error.message}`);
    process.exit(1);
  },
);
