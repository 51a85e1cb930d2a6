import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../scripts/local/localStack.ts';
import type { ReconcileFigures } from '../../producer/status/reconcileFigures.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { FindingDoc } from '../../shared/store/reconciliation.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import type { SimRelease } from '../simulator/dataset.ts';
import { daysAgo } from '../stack/history.ts';

/**
 * Reconciliation under workerd (wrangler dev), its own small stack with RECONCILE on: a backfill
 * whose list page left one FTS release out (the simulator's omittedRelease, once), then a pass of
 * both sources' history that stores it and shows its finding on `GET /status`, then a pass over
 * the unchanged history whose walks store no write part. Waits on `GET /status` (each source's
 * pass) and MongoDB; the cron stands in for the hourly one every 10 s (it plans the next walk
 * when the writer closed the last one).
 */
let stack: LocalStack;
let omitted: SimRelease;
const SOURCES: SourceName[] = ['FIND_A_TENDER', 'CONTRACTS_FINDER'];

beforeAll(async () => {
  stack = await startLocalStack({
    startDates: { fts: daysAgo(12), cf: daysAgo(12) },
    perDay: { fts: 2, cf: 1 },
    seed: 22,
    realReleases: 'eachKind',
    requestsPerMinute: 600,
    mongoUri: inject('mongoUri'),
    quiet: true,
    // Record door off: this is about the list walk under workerd (the handler tests cover the door).
    workerVars: { RECONCILE: '600', RECONCILE_RECORDS: '0', DELTA_TICK_MINUTES: '0', STALL_MINUTES: '5' },
  });
  const older = stack.dataset!.FIND_A_TENDER.filter((r) => r.date.getTime() < Date.now() - 2 * 86_400_000);
  omitted = older[Math.floor(older.length / 2)];
  stack.simulator!.setFaults({ omittedRelease: { source: 'FIND_A_TENDER', releaseId: omitted.id, count: 1 } });
}, 3 * 60_000);

afterAll(async () => {
  await stack?.stop();
});

async function reconciliation(): Promise<Record<string, ReconcileFigures>> {
  const response = await fetch(`${stack.worker.url}/status`, { signal: AbortSignal.timeout(30_000) });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { sources: { source: string; figures: { reconciliation: ReconcileFigures } }[] };
  return Object.fromEntries(body.sources.map((s) => [s.source, s.figures.reconciliation]));
}

/** Until every month of both sources has been walked `passes` times (the pass under way is the next), a cron every 10 s. */
async function untilPasses(passes: number, timeoutMs: number): Promise<Record<string, ReconcileFigures>> {
  const deadline = Date.now() + timeoutMs;
  let lastCron = Date.now();
  for (;;) {
    const figures = await reconciliation();
    if (SOURCES.every((s) => figures[s].months > 0 && figures[s].pass > passes)) return figures;
    if (Date.now() > deadline) throw new Error(`not ${passes} pass(es) after ${timeoutMs / 1000} s: ${JSON.stringify(figures)}`);
    if (Date.now() - lastCron > 10_000) {
      await stack.worker.runCron();
      lastCron = Date.now();
    }
    await sleep(2000);
  }
}

/** Write parts stored for the month walks of a pass (generation = pass - 1). */
async function walkPartsStored(pass: number): Promise<number> {
  const walkIds = (await windowsCollection(stack.db).find({ span: 'reconcile', closerOf: { $exists: false } }, { projection: { _id: 1 } }).toArray()).map((w) => w._id);
  return stack.db.collection(COLLECTIONS.windowParts).countDocuments({ windowId: { $in: walkIds }, generation: pass - 1 });
}

describe('reconciliation under workerd', () => {
  it('a pass after the backfill stores the release a list page left out, with its finding on GET /status', async () => {
    await stack.worker.runCron();
    await untilPasses(1, 4 * 60_000);

    expect(stack.simulator!.stats().faultsInjected.omittedRelease).toBe(1);
    expect(await stack.db.collection(COLLECTIONS.contracts).findOne({ source: 'FIND_A_TENDER', noticeId: omitted.id })).toMatchObject({ releaseId: omitted.id });
    const found = await stack.db.collection<FindingDoc>(COLLECTIONS.reconciliation).find({}).toArray();
    expect(found.map((f) => [f.source, f.noticeId, f.kind])).toEqual([['FIND_A_TENDER', omitted.id, 'missing']]);
    const figures = await reconciliation();
    expect(figures.FIND_A_TENDER.lastFinding).toMatchObject({ kind: 'missing', noticeId: omitted.id });
    expect(figures.CONTRACTS_FINDER.lastFinding).toBeNull();
    expect(await walkPartsStored(1)).toBeGreaterThan(0);
  }, 5 * 60_000);

  it('a second pass over the unchanged history stores no write part', async () => {
    await untilPasses(2, 4 * 60_000);
    expect(await walkPartsStored(2)).toBe(0);
    expect(await stack.db.collection(COLLECTIONS.reconciliation).countDocuments()).toBe(1);
  }, 5 * 60_000);
});
