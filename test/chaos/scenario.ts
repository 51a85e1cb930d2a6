/**
 * One chaos scenario: a fresh local stack (simulator + wrangler dev + MongoDB) with a short
 * history, a fault, the run to the end (cron when idle, replay of dead letters if any), then the
 * invariants every scenario must keep. Returns a row for the summary table.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { SOURCE_NAMES, type SourceName } from '../../shared/sources/sourceName.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { Faults } from '../simulator/faults.ts';
import { daysAgo } from '../stack/history.ts';
import { expectAllWindowsDone, expectBuyersExact, expectEveryServedReleaseStoredOnce, noticesOf, releasesDue } from '../stack/expectations.ts';
import { landedWhileWorkRemained, readWorkTimeline, simulatorFaultEvents, type FaultEvent } from './faultLanded.ts';
import { freePort } from '../../scripts/local/freePort.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/localStack.ts';
import { startMongo, type MongoServer } from '../../scripts/local/mongoServer.ts';
import { waitForWindows } from '../../scripts/local/progress.ts';
import { postReplay } from '../../scripts/local/replayClient.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export const REQUESTS_PER_MINUTE = 600;
const LOG_DIR = resolve(import.meta.dirname, '../../test-output');

export interface Row {
  fault: string;
  injected: number;
  /** Injected events that took effect while work remained, of those meant to (all but the ones
   * injected into the finished run on purpose). */
  landed: { landed: number; of: number };
  expected: number;
  stored: number;
  /** Contracts beyond one per notice, per source (0, or the row fails; PCS runs in its own row only). */
  duplicates: Record<SourceName, number>;
  overBudget: number;
  seconds: number;
  notes: string;
}

export interface ScenarioContext {
  stack: LocalStack;
  /** Only in scenarios that run their own MongoDB. */
  mongo?: RestartableMongo;
  /** Arms simulator faults now; each fault armed must take effect while work remains. */
  arm(faults: Partial<Faults>): void;
  /** Records an event injected from outside the simulator (a kill, MongoDB stopped, the cron fired
   * again), just before it happens: it must take effect while work remains. */
  inject(name: string): void;
  /** Counts events injected into the finished run on purpose (messages delivered again afterwards). */
  injectAfterRun(n: number): void;
  note(text: string): void;
}

export interface ScenarioOptions {
  fault: string;
  mongoUri?: string;
  faults?: Partial<Faults>;
  workerVars?: Record<string, string>;
  perDay?: { fts: number; cf: number };
  /** Public Contracts Scotland copied too, this many simulated notices a day (off otherwise, as in the other rows). */
  pcsPerDay?: number;
  /** Runs after the first cron, before waiting for the windows to close. */
  during?: (ctx: ScenarioContext) => Promise<void>;
  /** Runs after every invariant held (more checks, e.g. duplicates through replay). */
  after?: (ctx: ScenarioContext) => Promise<void>;
  /** Releases of a fault that may be quarantined (truncated bodies): stored may be below the history. */
  allowQuarantine?: boolean;
  timeoutMs?: number;
}

/** A MongoDB of its own on a fixed port and data folder, so it can be stopped and started again. */
export interface RestartableMongo {
  uri: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startRestartableMongo(): Promise<RestartableMongo> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tender-sync-chaos-mongo-'));
  let server: MongoServer | null = await startMongo({ port, dataDir, keepData: true });
  return {
    uri: server.uri,
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      server = await startMongo({ port, dataDir, keepData: true });
    },
    async dispose() {
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Days of history each scenario serves (about 240 releases). */
export const HISTORY_DAYS = 35;

export async function runScenario(options: ScenarioOptions): Promise<Row> {
  const started = Date.now();
  const start = daysAgo(HISTORY_DAYS);
  const armed = armedFaults(options.faults ?? {});
  const outside: FaultEvent[] = [];
  let injectedAfterRun = 0;
  const notes: string[] = [];
  const mongo = options.mongoUri ? undefined : await startRestartableMongo();
  let stack: LocalStack | undefined;
  try {
    stack = await startLocalStack({
      startDates: { fts: start, cf: start },
      perDay: options.perDay ?? { fts: 4, cf: 3 },
      ...(options.pcsPerDay !== undefined && { pcs: { startDate: start, perDay: options.pcsPerDay } }),
      seed: 11,
      requestsPerMinute: REQUESTS_PER_MINUTE,
      pauseSeconds: { ftsDefaultRetry: 2, cfBlock: 3 },
      // Two windows a source page at once, a slot 100 ms apart: one may be on its way, or past its
      // gate, when the other's refusal arrives (four stacks on two cores slow that hand-over).
      inFlightGraceMs: 1000,
      // No delta ticks unless a scenario asks: a tick landing between the last window closing and
      // the checks would plan one more window, unfetched.
      workerVars: { STALL_MINUTES: '1', FETCH_TIMEOUT_MS: '3000', FETCH_INVOCATION_SECONDS: '20', DELTA_TICK_MINUTES: '0', ...options.workerVars },
      mongoUri: options.mongoUri ?? mongo!.uri,
      faults: options.faults,
      quiet: true,
    });
    const ctx: ScenarioContext = {
      stack,
      mongo,
      arm(faults) {
        stack!.simulator!.setFaults(faults);
        armed.push(...armedFaults(faults));
      },
      inject: (name) => outside.push({ name, at: Date.now(), source: null }),
      injectAfterRun: (n) => (injectedAfterRun += n),
      note: (t) => notes.push(t),
    };
    const cron = () => stack!.worker.runCron();
    await cron();
    await options.during?.(ctx);
    const timeoutMs = options.timeoutMs ?? 4 * 60_000;
    await waitForWindows(stack.db, { until: 'closed', timeoutMs, idleMs: 15_000, onIdle: cron });

    // Dead letters: every failed message is kept; replay them and let the pipeline settle again.
    const letters = stack.db.collection(COLLECTIONS.deadLetters);
    // Letters may still be on their way (a dead-letter consumer retries until MongoDB answers): a few rounds.
    for (let round = 0; round < 3; round++) {
      await sleep(5000);
      const dead = await letters.countDocuments({ state: 'dead' });
      if (dead === 0) break;
      const report = await postReplay(stack.worker.url, stack.adminToken);
      notes.push(`${dead} dead letter(s): replayed ${report.replayed.length}, parked ${report.parked.length}`);
      expect(report.parked).toEqual([]);
      await sleep(3000);
      await waitForWindows(stack.db, { until: 'closed', timeoutMs: 2 * 60_000, idleMs: 15_000, onIdle: cron });
    }
    expect(await letters.countDocuments({ state: { $ne: 'replayed' } }), 'dead letters not replayed').toBe(0);

    const counts = await expectEveryServedReleaseStoredOnce(stack.db, stack.simulator!, stack.dataset!);
    await expectBuyersExact(stack.db);
    await expectAllWindowsDone(stack.db);
    const stats = stack.simulator!.stats();
    let overBudget = 0;
    for (const source of SOURCE_NAMES) {
      expect(stats.early[source], `${source}: requests before a refusal's pause ended`).toBe(0);
      expect(stats.maxRequestsInAnyPeriod[source], `${source}: requests (refused ones too) in the busiest minute`).toBeLessThanOrEqual(REQUESTS_PER_MINUTE);
      overBudget += stats.early[source] + Math.max(0, stats.maxRequestsInAnyPeriod[source] - REQUESTS_PER_MINUTE);
    }
    const quarantined = await stack.db.collection(COLLECTIONS.quarantine).countDocuments();
    if (quarantined) notes.push(`${quarantined} page(s)/release(s) quarantined`);
    const due = await releasesDue(stack.db, stack.dataset!);
    // One contract per notice: a CF notice's versions are one contract.
    const expected = SOURCE_NAMES.reduce((sum, s) => sum + noticesOf(due[s]), 0);
    const stored = await stack.db.collection(COLLECTIONS.contracts).countDocuments();
    if (!options.allowQuarantine) {
      expect(quarantined, 'quarantined').toBe(0);
      expect(stored, 'every notice of the history stored').toBe(expected);
    }
    await options.after?.(ctx);

    // The fault took effect while work remained, not after the run (see faultLanded.ts).
    const timeline = await readWorkTimeline(stack.db);
    const events = [...simulatorFaultEvents(stack.simulator!.requests), ...outside];
    const landed = events.filter((event) => landedWhileWorkRemained(event, timeline));
    for (const { name, source } of armed) {
      expect(landed.some((e) => e.name === name && e.source === source), `${name} on ${source} took effect while work remained`).toBe(true);
    }
    for (const event of outside) {
      expect(landed.includes(event), `${event.name} at ${new Date(event.at).toISOString()}: windows open and releases unstored then`).toBe(true);
    }
    const injected = Object.values(stats.faultsInjected).reduce((a, b) => a + b, 0) + outside.length + injectedAfterRun;
    return {
      fault: options.fault,
      injected,
      landed: { landed: landed.length, of: events.length },
      expected,
      stored,
      duplicates: { FIND_A_TENDER: counts.FIND_A_TENDER.duplicates, CONTRACTS_FINDER: counts.CONTRACTS_FINDER.duplicates, PUBLIC_CONTRACTS_SCOTLAND: counts.PUBLIC_CONTRACTS_SCOTLAND.duplicates },
      overBudget,
      seconds: Math.round((Date.now() - started) / 1000),
      notes: notes.join('; '),
    };
  } catch (error) {
    const notable = stack?.worker.output().split('\n').filter((line) => /retrying|dead-letter|closed \d+ window|ERROR|Error/.test(line));
    if (notable?.length) console.log(`[${options.fault}] worker log:\n${notable.slice(-25).join('\n')}`);
    // The whole log, for what the lines above do not tell (CI keeps test-output/).
    if (stack) {
      mkdirSync(LOG_DIR, { recursive: true });
      const file = join(LOG_DIR, `chaos-${options.fault.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.log`);
      writeFileSync(file, stack.worker.output());
      console.log(`[${options.fault}] the Worker's whole log: ${file}`);
    }
    throw error;
  } finally {
    await stack?.stop().catch(() => {});
    await mongo?.dispose().catch(() => {});
  }
}

/** The (fault, source) pairs a faults object arms (an outage by its time, the others by their count). */
function armedFaults(faults: Partial<Faults>): { name: string; source: SourceName }[] {
  return Object.entries(faults).flatMap(([name, fault]) =>
    typeof fault === 'object' && ('durationMs' in fault || fault.count === 'always' || fault.count > 0) ? [{ name, source: fault.source }] : [],
  );
}

export function table(rows: Row[]): string {
  const lines = [
    '| fault | injected | fault landed | notices expected | notices stored | duplicates per notice (FTS · CF · PCS) | requests over budget | s | notes |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.fault} | ${r.injected} | ${r.landed.landed}/${r.landed.of} | ${r.expected} | ${r.stored} | ${r.duplicates.FIND_A_TENDER} · ${r.duplicates.CONTRACTS_FINDER} · ${r.duplicates.PUBLIC_CONTRACTS_SCOTLAND} | ${r.overBudget} | ${r.seconds} | ${r.notes} |`,
    ),
    '',
    'fault landed: injected events that took effect while a window of their source was open and one of its releases unstored.',
    'duplicates per notice: contracts beyond one per notice (the versions of a CF notice, `<GUID>-<counter>`, are one contract): must be 0.',
  ];
  return lines.join('\n');
}
