/**
 * `npm start`: the whole pipeline, end to end, on this machine. Starts MongoDB (or uses
 * MONGODB_URI), the upstream simulator with sample data (or FTS_API_URL / CF_API_URL), and the
 * Worker under wrangler dev; fires the cron; shows progress per source until every window is
 * closed; prints what landed; exits 0 (1 if a window failed for good).
 *
 * Embedded defaults: 12 months of history, ~6 FTS and ~4 CF releases a day, and the simulator's
 * limit and the pipeline's budget both raised to 600 requests a minute, so the run takes minutes.
 * LOCAL_MONTHS, LOCAL_REQUESTS_PER_MINUTE override them.
 */
import { COLLECTIONS } from '../shared/store/db.ts';
import { startLocalStack } from './local/localStack.ts';
import { waitForWindows, type SourceProgress } from './local/progress.ts';

const months = Number(process.env.LOCAL_MONTHS ?? 12);
const requestsPerMinute = Number(process.env.LOCAL_REQUESTS_PER_MINUTE ?? (process.env.FTS_API_URL || process.env.CF_API_URL ? 6 : 600));
const start = new Date();
start.setUTCMonth(start.getUTCMonth() - months, 1);
const startDate = process.env.START_DATE ?? start.toISOString().slice(0, 10);
const external = Boolean(process.env.FTS_API_URL || process.env.CF_API_URL);

console.log(`tender-sync local run: history from ${startDate}, ${requestsPerMinute} requests/min per source`);
const stack = await startLocalStack({
  startDates: { fts: process.env.FTS_START_DATE ?? startDate, cf: process.env.CF_START_DATE ?? startDate },
  perDay: { fts: 6, cf: 4 },
  requestsPerMinute,
  defectLongWindowLoss: true,
  mongoUri: process.env.MONGODB_URI,
  ftsApiUrl: process.env.FTS_API_URL,
  cfApiUrl: process.env.CF_API_URL,
  quiet: true,
  workerVars: { FETCH_WINDOWS_IN_FLIGHT: '4', STALL_MINUTES: external ? '30' : '1' },
});
let drawn = false;
let lastPrinted = 0;
const stopping = async () => {
  await stack.stop();
  process.exit(130);
};
process.on('SIGINT', stopping);

let exitCode = 0;
try {
  console.log(`worker at ${stack.worker.url} (status: ${stack.worker.url}/status), database ${stack.dbName}`);
  await stack.worker.runCron();
  const progress = await waitForWindows(stack.db, { until: 'closed',
    // Against real services a backfill takes days: keep going, firing the cron as the hourly trigger would.
    timeoutMs: external ? 30 * 24 * 3_600_000 : 60 * 60_000,
    idleMs: external ? 3_600_000 : 30_000,
    onIdle: () => stack.worker.runCron(),
    onTick: drawProgress,
  });
  process.stdout.write('\n');
  exitCode = await report(progress);
} catch (error) {
  console.error(`\nlocal run failed: ${(error as Error).message}`);
  console.error(stack.worker.output().split('\n').filter((l) => /error|fail/i.test(l) && !l.includes('ENOTFOUND')).slice(-20).join('\n'));
  exitCode = 1;
} finally {
  await stack.stop();
}
process.exit(exitCode);

function drawProgress(progress: Record<string, SourceProgress>): void {
  const lines = Object.entries(progress).map(([source, p]) => {
    const width = 30;
    const filled = Math.round((p.done / Math.max(1, p.windows)) * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    return `${source.padEnd(17)} [${bar}] ${String(p.done).padStart(3)}/${p.windows} windows  ${p.releasesWritten.toLocaleString('en-GB').padStart(7)} releases${p.failed ? `  ${p.failed} failed` : ''}`;
  });
  if (process.stdout.isTTY) process.stdout.write(`\x1b[${lines.length}A\x1b[0J`.repeat(drawn ? 1 : 0) + lines.join('\n') + '\n');
  else if (Date.now() - lastPrinted > 5000) {
    console.log(lines.join('\n'));
    lastPrinted = Date.now();
  }
  drawn = true;
}
async function report(progress: Record<string, SourceProgress>): Promise<number> {
  const db = stack.db;
  console.log('\nWhat landed in MongoDB:');
  for (const source of Object.keys(progress)) {
    const contracts = await db.collection(COLLECTIONS.contracts).countDocuments({ source });
    const served = stack.simulator?.stats().servedReleaseIds[source as 'FIND_A_TENDER'];
    console.log(`  ${source.padEnd(17)} ${contracts.toLocaleString('en-GB').padStart(7)} contracts${served ? ` (simulator served ${served.length.toLocaleString('en-GB')} distinct releases)` : ''}, windows ${JSON.stringify(progress[source].byState)}`);
  }
  console.log(`  buyers            ${(await db.collection(COLLECTIONS.buyers).countDocuments()).toLocaleString('en-GB').padStart(7)}`);
  console.log(`  quarantined       ${String(await db.collection(COLLECTIONS.quarantine).countDocuments()).padStart(7)}`);
  console.log(`  dead letters      ${String(await db.collection(COLLECTIONS.deadLetters).countDocuments({ state: { $ne: 'replayed' } })).padStart(7)}`);
  if (stack.simulator) {
    const stats = stack.simulator.stats();
    console.log(`  upstream requests ${JSON.stringify(stats.requests)}; refused for rate ${JSON.stringify(stats.rateLimited)}; busiest minute ${JSON.stringify(stats.maxRequestsInAnyPeriod)}`);
  }
  const failed = Object.values(progress).reduce((n, p) => n + p.failed, 0);
  return failed > 0 ? 1 : 0;
}
