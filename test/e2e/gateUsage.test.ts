import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readGatesThroughout } from '../../scripts/bench/gateReadings.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/localStack.ts';
import type { GateStatus } from '../../shared/rateGate/gateUsage.ts';

/**
 * The RateGate Durable Objects under workerd (wrangler dev) count every RPC call they serve and
 * every row they write, and the bench's reader (scripts/bench/gateReadings.ts) gets exactly the
 * calls made through the Worker, its own reads taken off, across an idle gap longer than the 10 s
 * after which workerd evicts an idle object (and its in-memory count with it). No cron: the only
 * calls are the test's.
 */
let stack: LocalStack;

beforeAll(async () => {
  const today = new Date().toISOString().slice(0, 10);
  stack = await startLocalStack({ startDates: { fts: today, cf: today }, perDay: { fts: 1, cf: 1 }, requestsPerMinute: 600, mongoUri: inject('mongoUri'), quiet: true });
}, 3 * 60_000);

afterAll(async () => {
  await stack?.stop();
});

const admin = async (path: string, source: string) => {
  const response = await fetch(`${stack.worker.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ source }) });
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
    expect(used.FIND_A_TENDER).toEqual({ calls: { reserve: 0, pause: 0, served: 0, hold: 1, release: 1, status: 0 }, total: 2, rowsWritten: 2, complete: true });
    // The second hold keeps its start but changes nothing else: still a row written (the reason is rewritten).
    expect(used.CONTRACTS_FINDER).toEqual({ calls: { reserve: 0, pause: 0, served: 0, hold: 2, release: 1, status: 0 }, total: 3, rowsWritten: 3, complete: true });
  }, 60_000);

  it('starts its count again once workerd evicts it idle: why the reader reads every 4 s', async () => {
    const before = (await gates()).FIND_A_TENDER.usage;
    await sleep(15_000);
    const after = (await gates()).FIND_A_TENDER.usage;
    expect(after.startedAt).toBeGreaterThan(before.startedAt);
    expect(after.calls.status).toBe(1);
  }, 60_000);
});
