/**
 * `npm run bench`: figures, no assertions (CI does not run it). In order:
 * (1) stored size per STORE_RAW mode and what the full history would weigh; mapping speed; how
 *     pages split into queue messages (scripts/local/sizing.ts);
 * (2) the write path at full speed: throughput and MongoDB round trips per batch, on a local
 *     server and on MONGODB_URI when given (scripts/bench/writePath.ts);
 * (3) the Worker's limits, on the same local server: peak memory of one isolate running a fetch
 *     batch of the 4 largest real pages, a write batch and a dead-letter batch at once
 *     (scripts/bench/isolateMemory.ts), and the same with fetch batches of Public Contracts
 *     Scotland whole-month answers of a peak size (BENCH_PCS_MONTH_RELEASES, default 1,500:
 *     scripts/bench/batchPages.ts); CPU of the largest invocations (invocationCpu.ts); the
 *     connections one fetch invocation holds at once, queue sends counted (fetchConnections.ts);
 * (4) the real local stack backfilling the three services at once in compressed time: wall time over
 *     each service's request bound, refusals, pages asked twice, queue use, and the calls the
 *     RateGate Durable Objects served and the rows they wrote, by their own count
 *     (scripts/bench/pipelineRun.ts); then reconciliation on over that history, two full passes
 *     with deltas running: pages, queue messages and gate requests per pass, and the deltas'
 *     freshness meanwhile, as measured and bounded at the real rate (scripts/bench/reconcileRun.ts);
 * (5) the full history at 6 requests a minute, and the month's Cloudflare bill
 *     (scripts/bench/projection.ts), and a month after it with continuous reconciliation
 *     (from the walks' measured rates: pages a pass, queue operations, the bill, and which
 *     allowances it exceeds, by how much).
 * Prints markdown tables, writes bench/results/<date>.json and ends with one `bench:` line.
 *
 * Env: BENCH_WRITE_RELEASES (default 1000; keep FerretDB ≤ 2000), WRITE_CHUNK_SIZE (default 20,
 * safe on FerretDB; on Atlas 1000 fits any batch), BENCH_FTS_MONTHS / BENCH_CF_MONTHS /
 * BENCH_PCS_MONTHS (1.5 / 12 / 6), BENCH_FTS_RPM / BENCH_CF_RPM / BENCH_PCS_RPM (60 / 16 / 16: each
 * service's limit and budget, raised together), BENCH_FTS_PER_DAY / BENCH_CF_PER_DAY /
 * BENCH_PCS_PER_DAY (2 / 7 / 3 releases a day), BENCH_WRITE_WAIT_SECONDS (180: how
 * long to wait for the writes after the last page), BENCH_WORKER_LOG=on (print the Worker's log
 * during the pipeline run), BENCH_RECONCILE=off (skip the reconciliation run: the month's bill then
 * assumes the walks' rates), BENCH_RECONCILE_RPM (20: RECONCILE during it, 2 a minute raised as
 * FTS's budget is), BENCH_RECONCILE_PASSES (2), BENCH_PUBLISH_SECONDS (60: a notice of each service
 * published that often while it runs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { freePort } from './local/freePort.ts';
import { startMongo } from './local/mongoServer.ts';
import { formatBytes, jsonSize, mappingTable, measureMode, MODES, sampleReleases, SOURCES, sizingTable, stats, type ModeSizes } from './local/sizing.ts';
import { PRICES, type monthlyBillUsd, type MonthlyUsage } from './bench/costs.ts';
import { measureFetchConnections, type FetchConnections } from './bench/fetchConnections.ts';
import { measureInvocationCpu, type InvocationCpu } from './bench/invocationCpu.ts';
import { measureIsolateMemory, type IsolateMemory } from './bench/isolateMemory.ts';
import { SOURCE_KEY } from './bench/benchedSources.ts';
import { PCS_BATCHES } from './bench/batchPages.ts';
import { runPipeline } from './bench/pipelineRun.ts';
import { assumedWalkRates, CRON_MINUTES_PER_HOUR, HISTORY, lagAtRealRateMs, measuredWalkRates, overAllowances, passHoursAtRealPace, projectBackfill, projectMonth, projectReconciliation, RECONCILE_PER_MINUTE, REAL_REQUESTS_PER_MINUTE, type WalkRates } from './bench/projection.ts';
import { TAIL_WAIT_MS, type ReconcileRun } from './bench/reconcileRun.ts';
import { measureWritePath, writePathTable, type WritePathResult } from './bench/writePath.ts';
import { exitOnSignal } from './local/stopProcess.ts';

// Ctrl-C or a timeout stops the servers and the Worker this run started too.
exitOnSignal();
const env = process.env;
const num = (name: string, fallback: number) => Number(env[name] ?? fallback);
const WRITE_RELEASES = num('BENCH_WRITE_RELEASES', 1000);
const CHUNK_SIZE = num('WRITE_CHUNK_SIZE', 20);
const now = new Date();
/** The Worker's default delta tick spacing, which the bench keeps (real minutes). */
const DELTA_TICK_MINUTES = 5;
const machine = { nproc: availableParallelism(), memoryGb: Math.round(totalmem() / 1024 ** 3), node: process.version, loadAtStart: loadavg()[0] };

console.log('# tender-sync bench\n');
console.log(`Machine: ${machine.nproc} cores, ${machine.memoryGb} GB, Node ${machine.node}, load average ${machine.loadAtStart.toFixed(1)} at start\n`);

// (1) Sizing and mapping.
const sample = sampleReleases();
console.log(`Sample: ${SOURCES.map((s) => `${sample.filter((r) => r.source === s).length} ${s}`).join(', ')} (one generated year, 3/day/source, seed 1, plus all real captured releases)\n`);
const raw = (source?: string) => stats(sample.filter((r) => !source || r.source === source).map((r) => jsonSize(r.release)));
console.log(`Raw release JSON, avg bytes: FTS ${Math.round(raw('FIND_A_TENDER').avg)}, CF ${Math.round(raw('CONTRACTS_FINDER').avg)}, PCS ${Math.round(raw('PUBLIC_CONTRACTS_SCOTLAND').avg)}, all ${Math.round(raw().avg)} (max ${raw().max})\n`);
const rows: ModeSizes[] = [];
for (const mode of MODES) rows.push(await measureMode(sample, mode, now));
console.log('## Stored contract document, BSON bytes\n');
console.log(sizingTable(rows));
console.log('\nBSON size is before WiredTiger compression and without indexes; Atlas M0 counts its 512 MB on data + indexes.\n');
console.log('## Mapping and message splitting (single thread)\n');
console.log(mappingTable(rows));
const objectRows = rows.find((r) => r.mode === 'object')!;

// (2) Write path at full speed.
const toWrite = [...objectRows.mapping.mapped].sort((a, b) => a.contract.releaseDate.localeCompare(b.contract.releaseDate)).slice(0, WRITE_RELEASES);
console.log(`\n## Write path at full speed (${toWrite.length} releases, STORE_RAW=object, pages of 100, batches of 10 messages, WRITE_CHUNK_SIZE ${CHUNK_SIZE})\n`);
const writes: WritePathResult[] = [];
const local = await startMongo({ port: await freePort() });
let limits: { memory: IsolateMemory & { pcs: IsolateMemory[] }; cpu: InvocationCpu; connections: FetchConnections };
try {
  writes.push(await measureWritePath(local.uri, local.kind, toWrite, CHUNK_SIZE));
  // (3) The limits, on the same server once the write path is done (printed after the write path's table).
  limits = { memory: { ...measureIsolateMemory(local.uri), pcs: PCS_BATCHES.map((batch) => measureIsolateMemory(local.uri, batch)) }, cpu: await measureInvocationCpu(local.uri), connections: await measureFetchConnections(local.uri, `bench_connections_${Date.now().toString(36)}`) };
} finally {
  await local.stop();
}
if (env.MONGODB_URI) writes.push(await measureWritePath(env.MONGODB_URI, 'MONGODB_URI', toWrite, CHUNK_SIZE));
console.log(writePathTable(writes));
console.log("\nCommands sent side by side share a round trip. One command per step is what production sends (wrangler.toml's WRITE_CHUNK_SIZE 1000 fits a batch): chunks are the only repeats.");
console.log(`Commands of the first batch: ${writes[0].firstBatchCommands.join(', ')}`);
const buyers = writes[0].buyers;
console.log(`Buyers stored: ${buyers.count}, BSON bytes avg ${Math.round(buyers.avgBytes)}, median ${Math.round(buyers.medianBytes)}, max ${buyers.maxBytes}; links: ${buyers.links}`);

// (3) The Worker's limits.
const { memory, cpu, connections } = limits;
const mb = (n: number) => `${n.toFixed(0)} MB`;
console.log('\n## One isolate, the three consumers at once: peak memory (a Worker isolate has 128 MB)\n');
console.log(`Fetch batch: ${memory.pages.length} windows, each on one of the largest real pages (${memory.pages.map((p) => `${p.label} ${(p.bytes / 1e6).toFixed(2)} MB, ${p.releases} releases, ${p.parts} parts`).join('; ')}), read, mapped and split at once; beside it a write batch (${memory.writeBatch.parts} parts, ${memory.writeBatch.releases} releases, ${formatBytes(memory.writeBatch.bytes)}; stored: ${memory.writeBatch.acked ? 'acked' : 'NOT acked'}) and a dead-letter batch (${memory.deadLetters.letters} letters; ${memory.deadLetters.acked ? 'acked' : 'NOT acked'}), on ${local.kind}.\n`);
const pcsPage = memory.pcs[0].pages.find((p) => p.source === 'PUBLIC_CONTRACTS_SCOTLAND')!;
console.log(`Then the same with fetch batches of Public Contracts Scotland whole-month answers (no paging: one body per month and notice type), each of a peak month's size, generated by the simulator and served as it serves them: ${pcsPage.label}, ${(pcsPage.bytes / 1e6).toFixed(1)} MB, ${pcsPage.releases} releases read in ${pcsPage.chunks} chunks as the fetch consumer reads them, ${pcsPage.parts} parts (+ ${pcsPage.oversized} releases too big for a part). A batch holds one such answer at most (one whole-month window pages at a time in an isolate). The same write and dead-letter batches beside each.\n`);
const batchName = { largestPages: '4 largest real pages', pcsMonth: '1 PCS month', pcsBesideLargest: '1 PCS month + 3 largest real pages' } as const;
console.log('| fetch batch | JS heap before | JS heap, peak | heap + buffers the batches added, peak | live with every window held (after a full collection; buffers added included) | peak RSS of the Node process |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const m of [memory, ...memory.pcs]) {
  const over = m.heapAndExternalHeldMb > 128 ? ' **over 128 MB**' : '';
  console.log(`| ${batchName[m.batch]} | ${mb(m.heapBeforeMb)} | ${mb(m.heapPeakMb)} | **${mb(m.heapAndExternalPeakMb)}** | ${mb(m.heapHeldMb)} (${mb(m.heapAndExternalHeldMb)}${over})${m.writeRunningWhenHeld ? ', the write batch still running' : ', the write batch had ended'} | ${mb(m.rssPeakMb)} |`);
}
console.log(`\nSampled every 2 ms and at each step, in a Node process of its own per batch (V8, as workerd, its heap not capped: garbage not yet collected counts in the peak); "before" is Node and the modules loaded. Fetch ${memory.seconds.fetch.toFixed(1)} s, write ${memory.seconds.write.toFixed(1)} s, dead letters ${memory.seconds.deadLetters.toFixed(1)} s (largest real pages).`);

const largestFetchReleases = 2 * REAL_REQUESTS_PER_MINUTE * 100;
const largestFetchMs = largestFetchReleases * cpu.fetch.msPerRelease;
console.log('\n## CPU of the largest invocations (`[limits] cpu_ms` = 30,000)\n');
console.log(`Fetch path on the ${cpu.fetch.pages} largest real pages: ${cpu.fetch.ms.toFixed(0)} ms for ${cpu.fetch.releases} releases (${cpu.fetch.msPerRelease.toFixed(2)} ms a release); a write batch of ${cpu.write.parts} parts (${cpu.write.releases} releases): ${cpu.write.ms.toFixed(0)} ms (${cpu.write.msPerRelease.toFixed(2)} ms a release; ${cpu.write.acked ? 'acked' : 'NOT acked'}). Node's process CPU, warm: an upper bound of the isolate's.`);
console.log(`One peak PCS month answer (${(cpu.pcsMonth.bytes / 1e6).toFixed(1)} MB, ${cpu.pcsMonth.releases} releases, ${cpu.pcsMonth.parts} parts + ${cpu.pcsMonth.oversized} too big for a part), read, mapped and split in ${cpu.pcsMonth.chunks} chunks: ${cpu.pcsMonth.ms.toFixed(0)} ms (${cpu.pcsMonth.msPerRelease.toFixed(2)} ms a release); a fetch invocation paging PCS for its minute at ${REAL_REQUESTS_PER_MINUTE} answers a minute, each this size (an upper bound: only contract notices reach it), ~${Math.round(REAL_REQUESTS_PER_MINUTE * cpu.pcsMonth.ms).toLocaleString('en-GB')} ms, beside the other sources' windows.`);
console.log(`The largest fetch invocation at the default budgets (a minute of both sources at ${REAL_REQUESTS_PER_MINUTE} a minute: ${largestFetchReleases.toLocaleString('en-GB')} releases of the largest) needs ~${Math.round(largestFetchMs).toLocaleString('en-GB')} ms of CPU: cpu_ms 30,000 is ${(30_000 / Math.max(largestFetchMs, cpu.write.ms)).toFixed(0)}× the larger of it and a write batch.`);

console.log(`\n## Connections one fetch invocation holds at once (Workers: 6)\n`);
const at = (c: Record<string, number>) => `${c.mongo} MongoDB + ${c.upstream} upstream + ${c.queue} queue sends + ${c.gate} gate calls`;
console.log(`${connections.windows} windows paged at once, the gate spacing requests ${connections.spacingMs} ms apart and each answer taking ${connections.answerMs} ms, a queue send ${connections.latencyMs.queue} ms and a gate call ${connections.latencyMs.gate} ms; ${connections.pages.FIND_A_TENDER + connections.pages.CONTRACTS_FINDER} pages, ${connections.peak.opened.queue} queue sends, ${connections.peak.opened.gate} gate calls${connections.acked ? '' : '; NOT all acked'}.\n`);
console.log('| counted | most at once | then |');
console.log('|---|---:|---|');
console.log(`| what Cloudflare counts (sockets, fetch, queue sends), against one server | **${connections.peak.listed}** | ${at(connections.peak.listedAt)} |`);
console.log(`| the same, gate calls counted too | ${connections.peak.withGate} | ${at(connections.peak.withGateAt)} |`);
console.log(`| upstream requests and queue sends, beside MongoDB | ${connections.besideMongo} | at most one call out per window |`);
console.log(`| on a 3-node replica set (3 monitors + the pool of ${connections.mongoSockets - 1} + the above) | ${connections.onReplicaSetOf3} | a 7th waits for one to end (docs/workers-limits.md) |`);

// (4) The pipeline, the three services at once. PCS asks a month of a notice type a request, so its
// history's length, not its volume, sets its requests: 6 months are 24 (and its current month's re-reads).
const options = {
  months: { fts: num('BENCH_FTS_MONTHS', 1.5), cf: num('BENCH_CF_MONTHS', 12), pcs: num('BENCH_PCS_MONTHS', 6) },
  perDay: { fts: num('BENCH_FTS_PER_DAY', 2), cf: num('BENCH_CF_PER_DAY', 7), pcs: num('BENCH_PCS_PER_DAY', 3) },
  requestsPerMinute: { fts: num('BENCH_FTS_RPM', 60), cf: num('BENCH_CF_RPM', 16), pcs: num('BENCH_PCS_RPM', 16) },
  pageLimit: 100,
  writeWaitMs: num('BENCH_WRITE_WAIT_SECONDS', 180) * 1000,
  workerLog: env.BENCH_WORKER_LOG === 'on',
  // Reconciliation's real pace (2 a minute of a budget of 6) raised as FTS's budget is: 20 of 60.
  reconcile:
    env.BENCH_RECONCILE === 'off'
      ? undefined
      : { perMinute: num('BENCH_RECONCILE_RPM', 20), passes: num('BENCH_RECONCILE_PASSES', 2), publishEveryMs: num('BENCH_PUBLISH_SECONDS', 60) * 1000, passTimeoutMs: 20 * 60_000 },
};
console.log(`\n## The three services at once under wrangler dev (FTS ${options.months.fts} months at ${options.requestsPerMinute.fts}/min, CF ${options.months.cf} months at ${options.requestsPerMinute.cf}/min, PCS ${options.months.pcs} months at ${options.requestsPerMinute.pcs}/min; limit = budget per service)\n`);
const run = await runPipeline(options, (line) => console.log(line));
console.log('');
console.log('| service | budget/min | pages needed (slices + extra) | requests | refused | refetched | bound s | wall s | wall/bound | duty cycle | served | stored |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const s of run.services) {
  console.log(`| ${s.source} | ${s.requestsPerMinute} | ${s.pagesNeeded} (${s.slices} + ${s.pagesNeeded - s.slices}) | ${s.requests} | ${s.refused} | ${s.refetched} | ${s.boundS.toFixed(1)} | ${s.wallS.toFixed(1)} | ${s.wallOverBound.toFixed(2)} | ${s.dutyCycle.toFixed(2)} | ${s.releasesServed} | ${s.releasesStored} |`);
}
const releasesServed = run.releasesServed;
const queueOps = Object.values(run.queues).reduce((n, q) => n + q.operations, 0);
const per1k = (n: number) => (n / Math.max(1, releasesServed)) * 1000;
console.log(`\nFetch side done in ${run.fetchS.toFixed(0)} s; every window closed (the writes too) ${run.closedS === null ? `not within the wait (${run.releasesStored} of ${releasesServed} stored)` : `after ${run.closedS.toFixed(0)} s`}. Load average at the end ${loadavg()[0].toFixed(1)}.`);
console.log(`Queues (messages sent, rebuilt from the pages served; deliveries and invocations from wrangler's queue log): ${Object.entries(run.queues).map(([q, v]) => `${q} ${v.sent} sent, ${formatBytes(v.bytes)}, ${v.deliveries} delivered in ${v.invocations} invocations, ${Math.round(v.operations)} operations`).join('; ')}. Retries noted ${run.retriesNoted}, dead letters ${run.deadLetters}.`);
console.log(`Per 1,000 releases: ${per1k(queueOps).toFixed(0)} queue operations, ${per1k(run.durableObjectRequests).toFixed(0)} Durable Object requests (counted by the gates, cron to last page).`);
console.log('\n| gate | reserve | status | pause | served | hold | release | requests | per upstream request | rows written |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const s of run.services) {
  const g = run.gates[s.source];
  const lowerBound = g.complete ? '' : ' (at least: the gate restarted during the run)';
  console.log(`| ${s.source} | ${g.calls.reserve} | ${g.calls.status} | ${g.calls.pause} | ${g.calls.served} | ${g.calls.hold} | ${g.calls.release} | ${g.total}${lowerBound} | ${(g.total / Math.max(1, s.requests)).toFixed(2)} | ${g.rowsWritten} |`);
}
console.log('\nThe bench\'s own reads of the gates (GET /gates every 4 s, which keeps them from being evicted) are not counted.');

// (4b) Reconciliation over the history just backfilled, deltas running.
const walkRates = run.reconcile ? printReconciliation(run.reconcile) : null;

// (5) Projections.
const backfill = projectBackfill(HISTORY, now);
const upstream = run.services.reduce((n, s) => n + s.requests, 0);
const rates = {
  bytesPerRelease: run.queues.write.bytes / Math.max(1, releasesServed),
  // At the real budget a fetch message pages a minute, its source's slots shared by 2 windows in flight.
  pagesPerFetchMessage: REAL_REQUESTS_PER_MINUTE / 2,
  durableObjectRequestsPerPage: run.durableObjectRequests / Math.max(1, upstream),
  durableObjectRowsWrittenPerPage: Object.values(run.gates).reduce((n, g) => n + g.rowsWritten, 0) / Math.max(1, upstream),
  // Reading, mapping and writing, measured on the largest real pages (an upper bound for the average release).
  cpuMsPerRelease: cpu.fetch.msPerRelease + cpu.write.msPerRelease,
};
const month = projectMonth(HISTORY, backfill, rates);
console.log(`\n## The full history at ${REAL_REQUESTS_PER_MINUTE} requests a minute per service\n`);
console.log(`| service | history from | releases (assumed) | slices | pages | backfill at the budget, h | ${CRON_MINUTES_PER_HOUR.map((m) => `one cron an hour paging ${m} min, h`).join(' | ')} |`);
console.log(`|---|---|---:|---:|---:|---:|${CRON_MINUTES_PER_HOUR.map(() => '---:').join('|')}|`);
for (const [i, p] of backfill.entries()) {
  console.log(`| ${p.name} | ${HISTORY[i].startDate} | ${HISTORY[i].releases.toLocaleString('en-GB')} | ${p.slices} | ${p.pages} | ${p.hoursAtBudget.toFixed(1)} | ${CRON_MINUTES_PER_HOUR.map((m) => p.hoursHourlyCron[m].toLocaleString('en-GB')).join(' | ')} |`);
}
console.log('\nPages assume releases spread evenly over the slices; real peaks only add pages. PCS is not paged: its slices are its requests, a month × notice type each, whatever it holds. The services run at once, so the backfill takes the longest.');
console.log(`\n## Cloudflare, the month holding the whole backfill (${month.releases.toLocaleString('en-GB')} releases with a month of deltas), Workers Paid\n`);
printBill(month);
console.log(`\nPrices: ${PRICES.pages.join(', ')}. Durable Object duration counts each gate (128 MB) active through its backfill and 10 s after each delta page; an idle gate can hibernate and is then not billed, so the real duration is lower.`);
for (const [i, h] of HISTORY.entries()) {
  if (h.paging.kind !== 'wholeMonths') continue;
  const d = month.deltas[i];
  const others = HISTORY.filter((o) => o !== h);
  const without = projectMonth(others, projectBackfill(others, now), rates);
  console.log(`${h.name} has no updated-since filter: its hourly re-reads of the current month (and the previous one in a month's first 7 days) cost ${d.requests.toLocaleString('en-GB')} requests a month, reading ${d.releasesRead.toLocaleString('en-GB')} releases (${Math.round(d.releasesRead * rates.cpuMsPerRelease).toLocaleString('en-GB')} CPU ms at the fetch-and-write rate, an upper bound) to write the ${d.releasesWritten.toLocaleString('en-GB')} new or changed a month (assumed). Without ${h.name} the month above would cost USD ${without.bill.total.toFixed(2)}.`);
}

const reconciling = projectReconciliation(HISTORY, backfill, rates, now, walkRates ?? undefined);
console.log(`\n## Continuous reconciliation at ${RECONCILE_PER_MINUTE} requests a minute per service, PCS at ${HISTORY.find((h) => h.name === 'PCS')!.reconcilePerMinute! * 60} an hour (PCS_RECONCILE_PER_HOUR; ${walkRates ? "the walks' rates measured above" : 'the walks\' rates assumed: BENCH_RECONCILE=off'})\n`);
console.log('| service | pages a pass (with its record sample) | days a pass | with each month waiting up to a tick for the next, days |');
console.log('|---|---:|---:|---:|');
for (const p of reconciling.passes) console.log(`| ${p.name} | ${p.pagesPerPass.toLocaleString('en-GB')} | ${p.passDays.toFixed(1)} | ${(passHoursAtRealPace(p.pagesPerPass, p.months, p.perMinute, DELTA_TICK_MINUTES) / 24).toFixed(1)} |`);
const walk = walkRates ?? assumedWalkRates(rates);
console.log(`\nA walk at ${walk.fetchMessagesPerMinute.toFixed(2)} fetch messages a minute of walking, ${walk.writeMessagesPerPage.toFixed(3)} write messages and ${walk.durableObjectRequestsPerPage.toFixed(2)} Durable Object requests (${walk.durableObjectRowsWrittenPerPage.toFixed(2)} rows written) a walked page${walkRates ? ' (measured, the walks of the three sources pooled, PCS at the pace of the others, a page each of its whole-month requests; the pace gate\'s reserve, not read by GET /gates, counted as 1 a page)' : ''}. Deltas keep their slots: a walk's request takes only a free one (test/handlers/spareSlot.test.ts). The month after the backfill, deltas and reconciliation, Workers Paid:\n`);
printBill(reconciling);
const over = overAllowances(reconciling.usage);
console.log(over.length === 0 ? '\nWithin every allowance of the plan.' : `\nOver the plan's allowances: ${over.map((o) => `${o.meter} ${Math.round(o.used).toLocaleString('en-GB')} of ${o.included.toLocaleString('en-GB')} (${((o.used / o.included - 1) * 100).toFixed(0)}% over)`).join('; ')}: USD ${(reconciling.bill.total - PRICES.planUsd).toFixed(2)} above the plan's ${PRICES.planUsd}.`);

const date = now.toISOString().slice(0, 10);
const resultsDir = resolve(import.meta.dirname, '..', 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const file = resolve(resultsDir, `${date}.json`);
writeFileSync(file, `${JSON.stringify({ at: now.toISOString(), machine, sizing: rows.map(({ mode, perSource, all, pages }) => ({ mode, perSource, all, pages })), memory, cpu, connections, writes, run, backfill, month, walkRates, reconciling, prices: PRICES }, null, 2)}\n`);
console.log(`\nResults: ${file}\n`);

const lags = run.reconcile ? realRateLags(run.reconcile) : [];
const freshnessLine = lags.length ? `, delta lag during reconciliation max ${minutes(Math.max(...lags.map((l) => l.measured)))} measured, ≤ ${minutes(Math.max(...lags.map((l) => l.realBound)))} at the real rate` : '';
const wallOverBounds = run.services.map((s) => `${SOURCE_KEY[s.source].toUpperCase()} wall/bound ${s.wallOverBound.toFixed(2)}`).join(', ');
const total = (key: 'refused' | 'refetched') => run.services.reduce((n, s) => n + s[key], 0);
// Round trips in sequence as production sends them (one command a step), not FerretDB's chunks of 20.
console.log(
  `bench: ${wallOverBounds}, refused ${total('refused')}, refetched ${total('refetched')}, round trips/batch ${Math.round(writes[0].runs[0].productionRoundTrips.avg)}, queue ops/1k releases ${Math.round(per1k(queueOps))}, DO requests/1k releases ${Math.round(per1k(run.durableObjectRequests))}, isolate peak ${memory.heapAndExternalPeakMb.toFixed(0)} MB, fetch connections ${connections.peak.listed} (${connections.onReplicaSetOf3} on 3 nodes), projected USD/month ${month.bill.total.toFixed(2)}, with reconciliation ${reconciling.bill.total.toFixed(2)}${freshnessLine}`,
);

/** A month's meters against the plan's allowances. */
function printBill({ usage, bill }: { usage: MonthlyUsage; bill: ReturnType<typeof monthlyBillUsd> }): void {
  console.log('| meter | used | included | USD |');
  console.log('|---|---:|---:|---:|');
  console.log(`| plan | | | ${bill.lines.plan.toFixed(2)} |`);
  console.log(`| queue operations | ${Math.round(usage.queueOperations).toLocaleString('en-GB')} | ${PRICES.queueOperations.included.toLocaleString('en-GB')} | ${bill.lines.queueOperations.toFixed(2)} |`);
  console.log(`| Durable Object requests | ${Math.round(usage.durableObjectRequests).toLocaleString('en-GB')} | ${PRICES.durableObjectRequests.included.toLocaleString('en-GB')} | ${bill.lines.durableObjectRequests.toFixed(2)} |`);
  console.log(`| Durable Object duration, GB-s (upper bound) | ${Math.round(usage.durableObjectGbSeconds).toLocaleString('en-GB')} | ${PRICES.durableObjectGbSeconds.included.toLocaleString('en-GB')} | ${bill.lines.durableObjectGbSeconds.toFixed(2)} |`);
  console.log(`| Durable Object SQLite rows written | ${Math.round(usage.durableObjectRowsWritten).toLocaleString('en-GB')} | ${PRICES.durableObjectRowsWritten.included.toLocaleString('en-GB')} | ${bill.lines.durableObjectRowsWritten.toFixed(2)} |`);
  console.log(`| Worker requests (invocations) | ${Math.round(usage.workerRequests).toLocaleString('en-GB')} | ${PRICES.workerRequests.included.toLocaleString('en-GB')} | ${bill.lines.workerRequests.toFixed(2)} |`);
  console.log(`| CPU ms (estimated) | ${Math.round(usage.cpuMs).toLocaleString('en-GB')} | ${PRICES.cpuMs.included.toLocaleString('en-GB')} | ${bill.lines.cpuMs.toFixed(2)} |`);
  console.log(`| **total** | | | **${bill.total.toFixed(2)}** |`);
}

function minutes(ms: number): string {
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** Each stored publication's lag as measured, and bounded at the real budget (projection.ts lagAtRealRateMs). */
function realRateLags(r: ReconcileRun): { source: string; measured: number; realBound: number }[] {
  const compression = { FIND_A_TENDER: options.requestsPerMinute.fts / REAL_REQUESTS_PER_MINUTE, CONTRACTS_FINDER: options.requestsPerMinute.cf / REAL_REQUESTS_PER_MINUTE };
  return r.publications.flatMap((p) =>
    p.storedAt === null || p.servedAt === null ? [] : [{ source: p.source, measured: p.storedAt - p.publishedAt, realBound: lagAtRealRateMs({ ...p, servedAt: p.servedAt, storedAt: p.storedAt }, compression[p.source], DELTA_TICK_MINUTES) }],
  );
}

/** Prints the measured passes and the deltas' freshness meanwhile; returns the walks' rates for the month's bill. */
function printReconciliation(r: ReconcileRun): WalkRates {
  console.log(`\n## Reconciliation over that history, deltas running (RECONCILE ${r.options.perMinute} a minute per service, ${r.options.passes} passes, a notice of FTS and of CF published every ${r.options.publishEveryMs / 1000} s; PCS's new notices wait for the hourly cron's month re-read, not fired here)\n`);
  console.log('| service | pass | months | list pages | record-door pages | closer looks | fetch messages | write messages | source gate requests (rows written) | findings missing / newer | wall s | at its pace, s | at 2 a minute, h (+ ≤ 5 min a month for the next tick) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const p of r.passes) {
    const pages = p.listPages + p.recordPages;
    console.log(`| ${p.source} | ${p.pass} | ${p.months} | ${p.listPages} | ${p.recordPages} | ${p.closerLooks} | ${p.fetchSends} | **${p.writeSends}** | ${p.gate.total}${p.gate.complete ? '' : ' (at least)'} (${p.gate.rowsWritten}) | ${p.findings.missing} / ${p.findings.newer} | ${((p.endedAt - p.startedAt) / 1000).toFixed(0)} | ${((pages / r.options.perMinute) * 60).toFixed(0)} | ${passHoursAtRealPace(pages, p.months, RECONCILE_PER_MINUTE, DELTA_TICK_MINUTES).toFixed(1)} |`);
  }
  const lost = r.publications.filter((p) => p.storedAt === null).length;
  console.log('\nOne cron started it; then only the Worker\'s delta ticks (every 5 min) and consumers. "At its pace": the pages at RECONCILE a minute, the least a pass can take. A walk that wrote nothing closes at its last page and plans the next month at once; one that wrote waits for its writes and then for the next tick (≤ 5 min: the last column\'s allowance).');
  const lags = realRateLags(r);
  const measured = stats(lags.map((l) => l.measured));
  const bound = stats(lags.map((l) => l.realBound));
  console.log(`\nDelta freshness meanwhile: ${lags.length} notices published and stored${lost ? `, **${lost} not stored** within ${TAIL_WAIT_MS / 60_000} min of the last pass` : ''}; publication to stored, as measured: median ${minutes(measured.median)}, max **${minutes(measured.max)}**; bounded at the real budget (a tick spacing of ${DELTA_TICK_MINUTES} min, plus the planned-to-served time scaled by the bench's compression, ×${(options.requestsPerMinute.fts / REAL_REQUESTS_PER_MINUTE).toFixed(1)} FTS and ×${(options.requestsPerMinute.cf / REAL_REQUESTS_PER_MINUTE).toFixed(1)} CF, plus the write path as measured): median ${minutes(bound.median)}, max **${minutes(bound.max)}** (goal ≤ 10 min: ${bound.max <= 10 * 60_000 && lost === 0 ? 'met' : 'NOT met'}).`);
  return measuredWalkRates(r.passes.map((p) => ({ pages: p.listPages + p.recordPages, fetchSends: p.fetchSends, writeSends: p.writeSends, gateRequests: p.gate.total, gateRowsWritten: p.gate.rowsWritten, wallMs: p.endedAt - p.startedAt })));
}
