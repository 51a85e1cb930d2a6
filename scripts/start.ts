/**
 * `npm start`: the whole pipeline, end to end, on this machine (`npm start -- --help` for the modes).
 * Starts what is not given: a MongoDB-compatible server, the upstream simulator, and the Worker
 * under wrangler dev; fires the cron; draws progress per source until every window is closed;
 * prints what landed. Every process it started is stopped on exit, Ctrl-C, SIGTERM or a failure.
 */
import { parseArgs } from 'node:util';
import { CONFIG_NAMES, readConfig } from '../shared/config.ts';
import { sleep } from '../shared/time/sleep.ts';
import type { SourceName } from '../shared/sources/sourceName.ts';
import { COLLECTIONS } from '../shared/store/db.ts';
import { newestCursor, webhooksCollection } from '../shared/store/webhooks.ts';
import { configVarsFrom } from './local/configVars.ts';
import { deliveryLine, startLocalWebhook } from './local/localWebhook.ts';
import type { WebhookReceiver } from './local/webhookReceiver.ts';
import { startLocalStack, type LocalStack } from './local/localStack.ts';
import { waitForWindows, type SourceProgress } from './local/progress.ts';
import { progressLines } from './local/progressLines.ts';
import { DEFAULT_WORKER_PORT } from './local/workerProcess.ts';

const HELP = `npm start [-- --help]

Runs tender-sync locally, end to end: cron → fetch queue → fetch consumer → write queue → write
consumer → MongoDB, under wrangler dev (the real workerd, local queues and Durable Objects).

Modes, by what the environment gives:
  nothing            a MongoDB-compatible server of its own (mongod on PATH, else FerretDB built
                     into .cache/), the upstream simulator serving LOCAL_MONTHS of generated history
                     plus real captured releases (LOCAL_REAL), limit and budget both LOCAL_REQUESTS_PER_MINUTE;
                     exits when every window is closed (0), or 1 if one failed for good.
  MONGODB_URI        that server, database MONGODB_DB (default tendhunt) and no other; wrangler's
                     queue and Durable Object state is kept in .wrangler/tender-sync-state/<database>,
                     so a second npm start on the same database resumes where the first stopped.
  FTS_API_URL,       those upstreams (the real services or any other) at the Worker's budgets
  CF_API_URL         (FTS_REQUESTS_PER_MINUTE / CF_REQUESTS_PER_MINUTE, default 6 a minute); the cron
                     fires hourly and the run goes on until stopped (Ctrl-C or SIGTERM).

Variables of this command:
  LOCAL_MONTHS               months of simulated history (default 12)
  LOCAL_REQUESTS_PER_MINUTE  the simulator's limit, and the budget unless set below (default 600)
  LOCAL_REAL                 which real captured releases the simulator serves beside the generated
                             ones: eachKind (default: the first of each notice type and tag set) or
                             all (the whole corpus: three captured days of ~500 FTS notices each,
                             which the local MongoDB-compatible server takes many minutes to write)
  START_DATE                 first day of simulated history (default LOCAL_MONTHS ago)
  LOCAL_WEBHOOK=on           also start a small webhook receiver, register it for every change,
                             and print each delivery as it arrives, its signature verified
  WORKER_PORT                the Worker's port (default 8787: GET / is the status page,
                             npm run status reads it)

Worker variables, passed through to the Worker when set (see README, Configuration):
  ${CONFIG_NAMES.join(', ')}
`;

const { values: flags } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } } });
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}

const env = process.env;
const external = Boolean(env.FTS_API_URL || env.CF_API_URL || env.PCS_API_URL);
const workerVars = configVarsFrom(env);
// Every Worker variable given is checked by the Worker's own parser before anything starts: a bad
// one stops here with the parser's message, not later inside the Worker where nobody sees it.
try {
  readConfig({ MONGODB_URI: 'mongodb://127.0.0.1/', ...workerVars });
} catch (error) {
  console.error(`npm start: ${(error as Error).message}\n(nothing was started; see README, Configuration)`);
  process.exit(2);
}
const months = Number(env.LOCAL_MONTHS ?? 12);
const realReleases = env.LOCAL_REAL === 'all' ? 'all' : 'eachKind';
const requestsPerMinute = Number(env.LOCAL_REQUESTS_PER_MINUTE ?? (external ? 6 : 600));
const start = new Date();
start.setUTCMonth(start.getUTCMonth() - months, 1);
const startDate = env.START_DATE ?? start.toISOString().slice(0, 10);
const dbName = env.MONGODB_URI ? (env.MONGODB_DB ?? 'tendhunt') : 'tendhunt';

let stack: LocalStack | null = null;
/** LOCAL_WEBHOOK=on: the receiver. */
let webhook: WebhookReceiver | null = null;
/** Lines of progress last drawn on the terminal, to draw over. */
let drawnLines = 0;
let lastPrinted = 0;
/** Set by the first reason to stop; a field, not a variable, so code after an await sees it set. */
const run: { stopped: { code: number; done: Promise<void> } | null } = { stopped: null };
/**
 * Stops everything this command started, once, says so, and exits with the code of the first
 * reason to stop (a signal that arrives while the run is failing, or the other way round, waits
 * for the same stop instead of exiting half-way).
 */
async function stopAll(code: number, why: string): Promise<never> {
  run.stopped ??= {
    code,
    done: (async () => {
      if (!stack) return;
      console.log(`\n${why}: stopping wrangler dev, workerd${stack.simulator ? ', the simulator' : ''}${env.MONGODB_URI ? '' : ' and the MongoDB-compatible server'}…`);
      await stack.stop();
      await webhook?.stop();
      console.log('stopped; no process of this run is left.');
    })(),
  };
  await run.stopped.done;
  process.exit(run.stopped.code);
}
process.on('SIGINT', () => void stopAll(130, 'SIGINT'));
process.on('SIGTERM', () => void stopAll(143, 'SIGTERM'));

try {
  console.log(`tender-sync local run: history from ${startDate}${external ? '' : `, simulator at ${requestsPerMinute} requests/min per source`}`);
  stack = await startLocalStack({
    startDates: { fts: env.FTS_START_DATE ?? startDate, cf: env.CF_START_DATE ?? startDate },
    perDay: { fts: 6, cf: 4 },
    // Public Contracts Scotland, unless PCS_ENABLED=false: a few site notices a day.
    pcs: env.PCS_ENABLED === 'false' ? undefined : { startDate: env.PCS_START_DATE ?? startDate, perDay: 3 },
    realReleases,
    requestsPerMinute,
    defectLongWindowLoss: true,
    mongoUri: env.MONGODB_URI,
    dbName,
    // The queues' messages and the gates belong with the database they work on.
    stateDir: env.MONGODB_URI ? `.wrangler/tender-sync-state/${dbName}` : undefined,
    ftsApiUrl: env.FTS_API_URL,
    cfApiUrl: env.CF_API_URL,
    pcsApiUrl: env.PCS_API_URL,
    quiet: true,
    workerPort: Number(env.WORKER_PORT ?? DEFAULT_WORKER_PORT),
    workerVars: { FETCH_WINDOWS_IN_FLIGHT: '4', STALL_MINUTES: external ? '30' : '1', ...workerVars },
  });
  console.log(`worker at ${stack.worker.url} (status page: ${stack.worker.url}/, npm run status), database ${stack.dbName}`);
  if (env.LOCAL_WEBHOOK === 'on') await listenForWebhooks(stack);
  await stack.worker.runCron();
  const progress = await waitForWindows(stack.db, {
    until: 'closed',
    // Against real services a backfill takes days: keep going, firing the cron as the hourly trigger would.
    timeoutMs: external ? 30 * 24 * 3_600_000 : 60 * 60_000,
    idleMs: external ? 3_600_000 : 30_000,
    onIdle: () => stack!.worker.runCron(),
    onTick: drawProgress,
  });
  const code = await report(stack, progress);
  if (!external) await stopAll(code, 'done');
  // Real upstreams: the backfill is done, the deltas go on. The cron fires hourly, as it would on
  // Cloudflare, until Ctrl-C or SIGTERM.
  console.log('\nbackfill closed; firing the cron hourly for the deltas until stopped (Ctrl-C)');
  for (;;) {
    await sleep(3_600_000);
    await stack.worker.runCron();
    console.log(`${new Date().toISOString().slice(0, 16)}Z cron fired`);
  }
} catch (error) {
  // Stopping closed the database under the run: not a failure of its own.
  if (run.stopped) await stopAll(run.stopped.code, 'stopping');
  console.error(`\nlocal run failed: ${(error as Error).message}`);
  if (stack) console.error(stack.worker.output().split('\n').filter((l) => /error|fail/i.test(l) && !l.includes('ENOTFOUND')).slice(-20).join('\n'));
  await stopAll(1, 'failed');
}

/** LOCAL_WEBHOOK=on: each delivery printed above the progress bars, which are drawn afresh below it. */
async function listenForWebhooks(stack: LocalStack): Promise<void> {
  webhook = await startLocalWebhook(stack.worker.url, stack.adminToken, (delivery) => {
    console.log(deliveryLine(delivery));
    drawnLines = 0;
  });
  console.log(`webhook receiver at ${webhook.url}, registered for every change`);
}

/** Waits (a minute at most) for the webhook's cursor to reach the feed's newest: its last deliveries trail the writes. */
async function caughtUp(stack: LocalStack): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const [newest, subscription] = await Promise.all([newestCursor(stack.db), webhooksCollection(stack.db).findOne({}, { sort: { createdAt: -1 } })]);
    if ((subscription?.cursor ?? 0) >= newest) return;
    await sleep(1000);
  }
}

function drawProgress(progress: Record<string, SourceProgress>, mongoUnreachableSince: Date | null): void {
  const lines = progressLines(progress, mongoUnreachableSince);
  if (process.stdout.isTTY) {
    process.stdout.write((drawnLines > 0 ? `\x1b[${drawnLines}A\x1b[0J` : '') + lines.join('\n') + '\n');
    drawnLines = lines.length;
  } else if (Date.now() - lastPrinted > 5000) {
    console.log(lines.join('\n'));
    lastPrinted = Date.now();
  }
}

async function report(stack: LocalStack, progress: Record<string, SourceProgress>): Promise<number> {
  const db = stack.db;
  console.log('\nWhat landed in MongoDB:');
  for (const [source, p] of Object.entries(progress)) {
    console.log(`  ${source.padEnd(17)} ${p.releasesStored.toLocaleString('en-GB').padStart(7)} contracts${servedText(stack, source as SourceName)}, windows ${JSON.stringify(p.byState)}`);
  }
  console.log(`  buyers            ${(await db.collection(COLLECTIONS.buyers).countDocuments()).toLocaleString('en-GB').padStart(7)}`);
  console.log(`  quarantined       ${String(await db.collection(COLLECTIONS.quarantine).countDocuments()).padStart(7)}`);
  console.log(`  dead letters      ${String(await db.collection(COLLECTIONS.deadLetters).countDocuments({ state: { $ne: 'replayed' } })).padStart(7)}`);
  if (webhook) await caughtUp(stack);
  if (webhook) console.log(`  webhook           ${String(webhook.delivered.length).padStart(7)} changes delivered so far, each signature verified (${webhook.received.length - webhook.delivered.length} repeats dropped, ${webhook.refused.length} refused)`);
  if (stack.simulator) {
    const stats = stack.simulator.stats();
    console.log(`  upstream requests ${JSON.stringify(stats.requests)}; refused for rate ${JSON.stringify(stats.rateLimited)}; busiest minute ${JSON.stringify(stats.maxRequestsInAnyPeriod)}`);
  }
  const failed = Object.values(progress).reduce((n, p) => n + p.failed, 0);
  return failed > 0 ? 1 : 0;
}

/** What the simulator served of a source: distinct releases, and the notices they are versions of (one contract each). */
function servedText(stack: LocalStack, source: SourceName): string {
  if (!stack.simulator || !stack.dataset) return '';
  const served = new Set(stack.simulator.stats().servedReleaseIds[source]);
  const notices = new Set(stack.dataset[source].filter((r) => served.has(r.id)).map((r) => r.notice));
  return ` (simulator served ${served.size.toLocaleString('en-GB')} distinct releases of ${notices.size.toLocaleString('en-GB')} notices)`;
}
