/**
 * The benchmark's main run: the real local stack (wrangler dev, the simulator, a local
 * MongoDB-compatible server) backfilling a generated history of the three services at once, in
 * compressed time (each service's limit and budget raised together). What it measures comes from
 * the simulator's request log (every request, when, what it answered, which releases), the
 * database (windows, stored notices, noted retries), wrangler's own queue log (deliveries) and the
 * RateGate Durable Objects' count of the calls they served (gateReadings.ts). Then, when asked,
 * reconciliation over that history on the same stack (reconcileRun.ts).
 */
import type { Db } from 'mongodb';
import { buildWriteMessages } from '../../consumer/fetch/buildWriteMessages.ts';
import { mapRelease } from '../../shared/mapping/mapRelease.ts';
import { parseRelease } from '../../shared/ocds/releaseSchema.ts';
import type { UsageBetween } from '../../shared/rateGate/gateUsage.ts';
import { jsonBytes } from '../../shared/queue/jsonBytes.ts';
import { SOURCE_NAMES, type SourceName } from '../../shared/sources/sourceName.ts';
import { sources } from '../../shared/sources/sources.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import type { Dataset } from '../../test/simulator/dataset.ts';
import type { RequestLogEntry } from '../../test/simulator/server.ts';
import { freePort } from '../local/freePort.ts';
import { startLocalStack } from '../local/localStack.ts';
import { startMongo } from '../local/mongoServer.ts';
import { readProgress, waitForWindows } from '../local/progress.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { dutyCycle, queueOperations, requestBoundMs, wallOverBound } from './costs.ts';
import { readGatesThroughout } from './gateReadings.ts';
import { BENCHED, SOURCE_KEY, type SourceKey } from './benchedSources.ts';
import { runReconciliation, type ReconcileRun, type ReconcileRunOptions } from './reconcileRun.ts';

export interface PipelineRunOptions {
  months: Record<SourceKey, number>;
  perDay: Record<SourceKey, number>;
  requestsPerMinute: Record<SourceKey, number>;
  pageLimit: number;
  /** How long to wait for the writes once every page is fetched. */
  writeWaitMs: number;
  /** Print what wrangler and the Worker log (every queue batch, every retry), to see why a run is slow. */
  workerLog?: boolean;
  /** After the backfill, reconciliation on over the same stack (reconcileRun.ts); absent: not run. */
  reconcile?: ReconcileRunOptions;
}

export interface ServiceRun {
  source: SourceName;
  requestsPerMinute: number;
  requests: number;
  refused: number;
  /** Pages asked again with a 200 although no fault was injected. */
  refetched: number;
  /** Distinct pages answered 200: the slices (first pages) plus their extra pages. */
  pagesNeeded: number;
  slices: number;
  boundS: number;
  wallS: number;
  wallOverBound: number;
  dutyCycle: number;
  releasesStored: number;
  /** Distinct releases served in whole 200 answers: what should be stored. */
  releasesServed: number;
}

export interface PipelineRun {
  options: PipelineRunOptions;
  services: ServiceRun[];
  /** From the cron to no window left to fetch. */
  fetchS: number;
  /** From the cron to every window closed (the writes included); null if the writes were still behind when the bench stopped waiting. */
  closedS: number | null;
  /** Distinct releases the simulator served in whole 200 answers. */
  releasesServed: number;
  releasesStored: number;
  queues: {
    /** Per queue: messages sent (computed from the pages served, as the fetch consumer splits them), deliveries and invocations (wrangler's queue log). */
    [queue: string]: { sent: number; bytes: number; deliveries: number; invocations: number; operations: number };
  };
  /** Calls the RateGates served from the cron to the last page fetched, by their own count (the bench's reads taken off). */
  durableObjectRequests: number;
  /** The same per source, by method, with the rows written; `complete` false if a gate restarted (a lower bound then). */
  gates: Record<SourceName, UsageBetween>;
  retriesNoted: number;
  deadLetters: number;
  reconcile: ReconcileRun | null;
}


export async function runPipeline(options: PipelineRunOptions, log: (line: string) => void): Promise<PipelineRun> {
  // Always a server of our own: MONGODB_URI is for the write-path figures only.
  const mongo = await startMongo({ port: await freePort() });
  const monthsAgo = (months: number) => new Date(Date.now() - months * 30.44 * 86_400_000).toISOString().slice(0, 10);
  const stack = await startLocalStack({
    startDates: { fts: monthsAgo(options.months.fts), cf: monthsAgo(options.months.cf) },
    perDay: options.perDay,
    pcs: { startDate: monthsAgo(options.months.pcs), perDay: options.perDay.pcs },
    seed: 3,
    requestsPerMinute: options.requestsPerMinute,
    defectLongWindowLoss: false,
    mongoUri: mongo.uri,
    quiet: !options.workerLog,
    workerVars: { FETCH_WINDOWS_IN_FLIGHT: '2', STALL_MINUTES: '5', PAGE_LIMIT: String(options.pageLimit) },
  });
  try {
    const gateReadings = await readGatesThroughout(stack.worker.url);
    const started = Date.now();
    let lastLog = 0;
    const onTick = (progress: Awaited<ReturnType<typeof readProgress>>) => {
      if (Date.now() - lastLog < 15_000) return;
      lastLog = Date.now();
      const parts = Object.entries(progress).map(([s, p]) => `${s} ${JSON.stringify(p.byState)}, ${p.releasesStored} stored`);
      log(`  ${Math.round((Date.now() - started) / 1000)} s: ${parts.join('; ')}`);
    };
    await stack.worker.runCron();
    await waitForFetchSide(stack.db, 30 * 60_000, onTick);
    const fetchDoneAt = Date.now();
    const gates = await gateReadings.stop();
    const fetchS = (fetchDoneAt - started) / 1000;
    // The writes go on after the last page; wait for them a while, not for ever (FerretDB is slow).
    let closedS: number | null = null;
    try {
      await waitForWindows(stack.db, { until: 'closed', timeoutMs: options.writeWaitMs, onTick });
      closedS = (Date.now() - started) / 1000;
    } catch {
      log(`  writes still behind after ${options.writeWaitMs / 1000} s more: stopping`);
    }
    const requests = stack.simulator!.requests;
    const stored = await storedPerSource(stack.db);
    const served = stack.simulator!.stats().servedReleaseIds;
    // The backfill's requests: a delta tick that comes while the writes catch up (every
    // DELTA_TICK_MINUTES) is not backfill work, and its wait would count as the backfill's wall time.
    const backfillRequests = requests.filter((r) => r.at <= fetchDoneAt);
    const services = BENCHED.map((source) => ({
      ...serviceRun(source, backfillRequests, options.requestsPerMinute[SOURCE_KEY[source]], stored[source] ?? 0),
      releasesServed: served[source].length,
    }));
    const windows = await stack.db.collection<WindowDoc>(COLLECTIONS.syncJobs).find({ kind: 'window' }).toArray();
    const deliveries = queueDeliveries(stack.worker.output());
    const writes = await writeMessageBytes(requests, stack.dataset!);
    const fetchMessages = windows.reduce((n, w) => n + w.seq, 0);
    const fetchBytes = fetchMessages * 120;
    const queues: PipelineRun['queues'] = {
      fetch: { sent: fetchMessages, bytes: fetchBytes, ...deliveries.fetch, operations: 0 },
      write: { sent: writes.length, bytes: writes.reduce((a, b) => a + b, 0), ...deliveries.write, operations: 0 },
    };
    queues.fetch.operations = operationsOf(Array<number>(fetchMessages).fill(fetchBytes / Math.max(1, fetchMessages)), queues.fetch.deliveries);
    queues.write.operations = operationsOf(writes, queues.write.deliveries);
    const backfill = {
      options,
      services,
      fetchS,
      closedS,
      releasesServed: SOURCE_NAMES.reduce((n, s) => n + served[s].length, 0),
      releasesStored: Object.values(stored).reduce((a, b) => a + b, 0),
      queues,
      durableObjectRequests: SOURCE_NAMES.reduce((n, s) => n + gates[s].total, 0),
      gates,
      retriesNoted: await stack.db.collection(COLLECTIONS.messageFailures).countDocuments(),
      deadLetters: await stack.db.collection(COLLECTIONS.deadLetters).countDocuments(),
    };
    // Reconciliation over the history just backfilled: measured on its own, after the backfill's figures are taken.
    return { ...backfill, reconcile: options.reconcile ? await runReconciliation(stack, options.reconcile, log) : null };
  } finally {
    await stack.stop();
    await mongo.stop();
  }
}

function serviceRun(source: SourceName, log: readonly RequestLogEntry[], requestsPerMinute: number, releasesStored: number): Omit<ServiceRun, 'releasesServed'> {
  const own = log.filter((r) => r.source === source);
  const seen = new Set<string>();
  let refetched = 0;
  let slices = 0;
  for (const r of own) {
    if (r.status !== 200) continue;
    const key = `${r.path}?${new URLSearchParams(r.query).toString()}`;
    if (seen.has(key)) {
      if (!r.fault) refetched++;
      continue;
    }
    seen.add(key);
    if (!('cursor' in r.query)) slices++;
  }
  const [firstAt, lastAt] = [own[0]?.at ?? 0, own.at(-1)?.at ?? 0];
  const pagesNeeded = seen.size;
  return {
    source,
    requestsPerMinute,
    requests: own.length,
    refused: own.filter((r) => r.rateLimited).length,
    refetched,
    pagesNeeded,
    slices,
    boundS: requestBoundMs(pagesNeeded, requestsPerMinute) / 1000,
    wallS: (lastAt - firstAt + 60_000 / requestsPerMinute) / 1000,
    wallOverBound: wallOverBound(firstAt, lastAt, pagesNeeded, requestsPerMinute),
    dutyCycle: dutyCycle(own.length, firstAt, lastAt, requestsPerMinute),
    releasesStored,
  };
}

async function storedPerSource(db: Db): Promise<Record<string, number>> {
  const rows = await db.collection(COLLECTIONS.contracts).aggregate<{ _id: string; n: number }>([{ $group: { _id: '$source', n: { $sum: 1 } } }]).toArray();
  return Object.fromEntries(rows.map((r) => [r._id, r.n]));
}

/**
 * The write messages the fetch consumer sent, rebuilt from the pages the simulator served (every
 * 200, repeats included): their releases mapped and split exactly as the consumer does. Sizes in bytes.
 */
async function writeMessageBytes(log: readonly RequestLogEntry[], dataset: Dataset): Promise<number[]> {
  const byId = Object.fromEntries(SOURCE_NAMES.map((s) => [s, new Map(dataset[s].map((r) => [r.id, r.release]))])) as Record<SourceName, Map<string, Record<string, unknown>>>;
  const sizes: number[] = [];
  for (const [page, r] of log.entries()) {
    if (r.status !== 200 || !r.source || r.releaseIds.length === 0) continue;
    const mapped = [];
    // What the request says of its releases (PCS: the notice type), as the fetch consumer passes it.
    const context = sources[r.source].pageContext?.(`http://simulator${r.path}?${new URLSearchParams(r.query).toString()}`);
    for (const id of r.releaseIds) {
      const parsed = parseRelease(byId[r.source].get(id));
      if (parsed.ok) mapped.push(await mapRelease(sources[r.source], parsed.release, { storeRaw: 'object', page: context }));
    }
    const { messages, oversized } = buildWriteMessages({ windowId: `${r.source}:2024-01`, generation: 1, page }, mapped);
    sizes.push(...messages.map(jsonBytes));
    if (oversized.length > 0) sizes.push(200 + 40 * oversized.length);
  }
  return sizes;
}

/** wrangler prints `QUEUE <name> <acked>/<delivered> (<ms>ms)` after each invocation. */
function queueDeliveries(output: string): Record<'fetch' | 'write', { deliveries: number; invocations: number }> {
  const result = { fetch: { deliveries: 0, invocations: 0 }, write: { deliveries: 0, invocations: 0 } };
  for (const match of output.matchAll(/QUEUE (fetch|write) (\d+)\/(\d+)/g)) {
    const queue = match[1] as 'fetch' | 'write';
    result[queue].invocations++;
    result[queue].deliveries += Number(match[3]);
  }
  return result;
}

/**
 * Queue operations of messages of these sizes, written and deleted once each, read once per
 * delivery: deliveries beyond one per message (retries) are spread over the messages evenly.
 */
function operationsOf(sizes: readonly number[], deliveries: number): number {
  if (sizes.length === 0) return 0;
  const perMessage = Math.max(1, deliveries / sizes.length);
  return sizes.reduce((n, bytes) => n + queueOperations(bytes, perMessage), 0);
}

/** Until no window of either source is left to fetch (pending, queued or fetching). */
async function waitForFetchSide(db: Db, timeoutMs: number, onTick: (progress: Awaited<ReturnType<typeof readProgress>>) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    onTick(await readProgress(db));
    const open = await db.collection(COLLECTIONS.syncJobs).countDocuments({ kind: 'window', state: { $in: ['pending', 'queued', 'fetching'] } });
    if (open === 0 && (await db.collection(COLLECTIONS.syncJobs).countDocuments({ kind: 'window' })) > 0) return;
    await sleep(500);
  }
  throw new Error(`pages still to fetch after ${timeoutMs / 1000} s: ${JSON.stringify(await readProgress(db))}`);
}
