import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readGatesThroughout } from '../../scripts/bench/gateReadings.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/localStack.ts';
import type { GateStatus } from '../../shared/rateGate/gateUsage.ts';

/**
 * The RateGate Durable Objects under workerd (wrangler dev) count every RPC call they serve and
 * every row they write, and the bench's reader (scripts/bench/gateReadings.ts) gets exactly the
 * calls made through the Worker, its own reads taken off, across an idle gap longer than the 10 s
 * after which workerd evicts an idle object (and its in-memory count with it); an operator's pause
 * outlives a restart of workerd (the gate keeps its book in Durable Object storage). No cron: the
 * only calls are the test's.
 */
let stack: LocalStack;

beforeAll(async () => {
  const today = new Date().toISOString().slice(0, 10);
  stack = await startLocalStack({ startDates: { fts: today, cf: today }, perDay: { fts: 1, cf: 1 }, requestsPerMinute: 600, mongoUri: inject('mongoUri'), quiet: true });
}, 3 * 60_000);

afterAll(async () => {
  await stack?.stop();
});

const admin = async (path: string, source: string, reason?: string) => {
  const response = await fetch(`${stack.worker.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ source, reason }) });
  expect(response.status, await response.clone().text()).toBe(200);
};
const gates = async () => (await (await fetch(`${stack.worker.url}/gates`)).json()) as Record<string, GateStatus>;

describe('the RateGate under workerd', () => {
  it("counts each call served and each row written; the bench's reader keeps the count across an idle gap", async () => {
    const readings = await readGatesThroughout(stack.worker.url);
    await admin('/admin/pause', 'FIND_A_TENDER');
    await sleep(15_000);
    await admin('/admin/resume', 'FIND_A_TENDER');
    await admin('/admin/pause', 'CONTRACTS_FINDER');
    await admin('/admin/pause', 'CONTRACTS_FINDER');
    await admin('/admin/resume', 'CONTRACTS_FINDER');
    const used = await readings.stop();
    expect(used.FIND_A_TENDER).toEqual({ calls: { reserve: 0, pause: 0, failed: 0, served: 0, hold: 1, release: 1, status: 0 }, total: 2, rowsWritten: 2, complete: true });
    // The second hold keeps its start but changes nothing else: still a row written (the reason is rewritten).
    expect(used.CONTRACTS_FINDER).toEqual({ calls: { reserve: 0, pause: 0, failed: 0, served: 0, hold: 2, release: 1, status: 0 }, total: 3, rowsWritten: 3, complete: true });
  }, 60_000);

  it('keeps an operator\'s pause across a restart of workerd: the gate is in Durable Object storage, not memory', async () => {
    await admin('/admin/pause', 'CONTRACTS_FINDER', 'e2e: across a restart');
    const before = (await gates()).CONTRACTS_FINDER.hold;
    expect(before).toMatchObject({ reason: 'e2e: across a restart' });

    await stack.restartWorker();

    const after = await gates();
    expect(after.CONTRACTS_FINDER.hold).toEqual(before);
    // A new object, not the old one still running: its count started again.
    expect(after.CONTRACTS_FINDER.usage.calls).toMatchObject({ hold: 0, status: 1 });
    expect(after.FIND_A_TENDER.hold ?? null).toBeNull();
    await admin('/admin/resume', 'CONTRACTS_FINDER');
  }, 60_000);

  it('starts its count again once workerd evicts it idle: why the reader reads every 4 s', async () => {
    const before = (await gates()).FIND_A_TENDER.usage;
    await sleep(15_000);
    const after = (await gates()).FIND_A_TENDER.usage;
    expect(after.startedAt).toBeGreaterThan(before.startedAt);
    expect(after.calls.status).toBe(1);
  }, 60_000);
});
