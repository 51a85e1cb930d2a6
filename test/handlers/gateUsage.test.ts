import { describe, expect, it, vi } from 'vitest';
import type { GateStatus } from '../../shared/rateGate/gateUsage.ts';
import { fetchMessage } from '../../shared/queue/messages.ts';
import { claimWindow } from '../../shared/store/windows.ts';
import worker from '../../worker.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { callWorker } from './callWorker.ts';
import { decisionsOf, fakeBatch } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { monthWindow, recordWindow } from './recordWindow.ts';

/**
 * GET /gates reports the calls each source's gate served, by method, and the rows it wrote: a CF
 * window fetched through two refusals makes one reserve per request the simulator saw, a pause per
 * refusal and a `served` after them, each changing the book (a row), and a `status` per reserve
 * that had to wait (the fetch checks the book again after its wait); FTS's gate sees only the read.
 * The GET's own `status` call is the one figure it makes itself: every other is checked against
 * what the fetch did (the simulator's log, the gate's calls as the fetch made them).
 */
const dataset = generateDataset({ seed: 4, from: new Date('2024-03-01T00:00:00Z'), to: new Date('2024-04-01T00:00:00Z'), ftsPerDay: 2, cfPerDay: 2 });
const stack = handlerStack({ prefix: 'h_gateuse', upstream: { dataset, pauseAfterRefusalMs: { CONTRACTS_FINDER: 1000 } }, vars: { CF_BLOCK_PAUSE_SECONDS: '1', FETCH_INVOCATION_SECONDS: '20' } });

describe('GET /gates', () => {
  it("counts every call each gate served and every row it wrote", async () => {
    const window = await recordWindow(stack.db, monthWindow('CONTRACTS_FINDER', '2024-03'));
    expect(await claimWindow(stack.db, window, null, new Date())).toBe(1);
    stack.simulator.setFaults({ rateLimitStorm: { source: 'CONTRACTS_FINDER', count: 2, retryAfterSeconds: null } });
    const gate = stack.env.RATE_GATE.gate('CONTRACTS_FINDER');
    const reserves = vi.spyOn(gate, 'reserve');
    const statusReads = vi.spyOn(gate, 'status');
    const batch = fakeBatch('fetch', [fetchMessage(window._id, 1)]);
    await worker.queue(batch, stack.env);
    expect(decisionsOf(batch)).toEqual([{ kind: 'ack' }]);
    const reservations = await Promise.all(reserves.mock.results.map((result) => result.value as ReturnType<typeof gate.reserve>));
    const waited = reservations.filter((r) => r.granted && r.waitMs > 0).length;
    const statusByFetch = statusReads.mock.calls.length;
    vi.restoreAllMocks();

    const { status, body } = await callWorker(stack.env, 'GET', '/gates');
    expect(status).toBe(200);
    const gates = body as Record<string, GateStatus>;
    const requests = stack.simulator.requests.filter((r) => r.source === 'CONTRACTS_FINDER').length;
    const cf = gates.CONTRACTS_FINDER.usage;
    expect(requests).toBeGreaterThan(2);
    expect(cf.calls).toMatchObject({ reserve: requests, pause: 2, served: 1, hold: 0, release: 0 });
    // A status call after each reserve that had to wait (after a refusal's pause at least), and this read.
    expect(waited).toBeGreaterThanOrEqual(2);
    expect(statusByFetch, 'status calls the fetch made').toBe(waited);
    expect(cf.calls.status, 'status calls the gate counted: the fetch’s and this read').toBe(statusByFetch + 1);
    expect(cf.rowsWritten).toBe(requests + 2 + 1);
    expect(gates.FIND_A_TENDER.usage).toMatchObject({ calls: { reserve: 0, pause: 0, failed: 0, served: 0, hold: 0, release: 0, status: 1 }, rowsWritten: 0 });
    expect(gates.CONTRACTS_FINDER.refusals).toBeNull();
  });
});
