import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { requestSparePage } from '../../consumer/fetch/requestSparePage.ts';
import { readConfig } from '../../shared/config.ts';
import { slotIntervalMs } from '../../shared/rateGate/slotBook.ts';
import { sources } from '../../shared/sources/sources.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * A reconciliation request takes only a slot the source's gate has free at once: it never books
 * ahead of a delta or backfill request, so one of those waits at most the one slot it took; and
 * the walk keeps its own pace (RECONCILE a minute) in a second gate object. The in-memory gate runs
 * the Durable Object's own calls; the simulator is real.
 */
const dataset = generateDataset({ seed: 5, from: new Date('2024-03-04T00:00:00Z'), to: new Date('2024-03-05T00:00:00Z'), ftsPerDay: 20, cfPerDay: 0, real: 'none' });
const BUDGET = 120;
const stack = handlerStack({ prefix: 'h_spare', upstream: { dataset }, vars: { FTS_REQUESTS_PER_MINUTE: String(BUDGET), RECONCILE: '60' }, perTest: 'env' });
const fts = sources.FIND_A_TENDER;
const url = () => fts.firstPageUrl(readConfig(stack.env), { from: new Date('2024-03-04T00:00:00Z'), to: new Date('2024-03-04T06:00:00Z') });
const gate = () => stack.env.RATE_GATE.gate('FIND_A_TENDER');

describe('a reconciliation request', () => {
  it('never books ahead of a delta: a delta asking while the walk waits gets the next slot, the walk the one after', async () => {
    const interval = slotIntervalMs(BUDGET);
    // A walk paced faster than the source's budget: the source's gate alone decides here.
    const config = { ...readConfig(stack.env), RECONCILE: 6000 };
    stack.simulator.resetLog();
    // A delta has the slot now, so the source's next is an interval away.
    expect(await gate().reserve(BUDGET, 30_000, 0)).toMatchObject({ granted: true, waitMs: 0 });
    const free = (await gate().status()).nextSlotAt;

    const tooSoon = await requestSparePage(stack.env, config, fts, url(), interval / 4, () => {});
    expect(tooSoon.kind).toBe('wait');
    expect(stack.simulator.requests).toHaveLength(0);
    expect((await gate().status()).nextSlotAt, 'nothing booked ahead').toBe(free);

    const walk = requestSparePage(stack.env, config, fts, url(), 5_000, () => {});
    await sleep(interval / 2);
    const delta = await gate().reserve(BUDGET, 30_000, 0);
    expect(delta.granted && delta.waitMs, 'the delta waits only for the slot that was free anyway').toBeLessThanOrEqual(interval / 2 + 20);
    expect((await walk).kind).toBe('body');
    expect(stack.simulator.requests).toHaveLength(1);
    expect(stack.simulator.requests[0].at, 'the walk asked after the delta\'s slot').toBeGreaterThanOrEqual(free + interval - 20);
    // And the walk's own slot delays the next request by that one slot at most.
    const next = await gate().reserve(BUDGET, 30_000, 0);
    expect(next.granted && next.waitMs).toBeLessThanOrEqual(interval);
  });

  it('keeps the walk at RECONCILE a minute, however free the source is', async () => {
    stack.simulator.resetLog();
    for (let i = 0; i < 3; i++) expect((await requestSparePage(stack.env, readConfig(stack.env), fts, url(), 5_000, () => {})).kind).toBe('body');
    const at = stack.simulator.requests.map((r) => r.at);
    expect(at).toHaveLength(3);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(slotIntervalMs(60) - 50);
  });

  it("keeps a Public Contracts Scotland walk at its own pace, PCS_RECONCILE_PER_HOUR, a whole month a request", async () => {
    stack.simulator.resetLog();
    const config = { ...readConfig(stack.env), PCS_RECONCILE_PER_HOUR: 1_800 };
    const pcs = sources.PUBLIC_CONTRACTS_SCOTLAND;
    const month = pcs.firstPageUrl(config, { from: new Date('2024-03-01T00:00:00Z'), to: new Date('2024-04-01T00:00:00Z') });
    for (let i = 0; i < 3; i++) expect((await requestSparePage(stack.env, config, pcs, month, 5_000, () => {})).kind).toBe('body');
    const at = stack.simulator.requests.map((r) => r.at);
    expect(at).toHaveLength(3);
    // 30 a minute, not RECONCILE's 60.
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(slotIntervalMs(30) - 50);
  });

  it('asks nothing while RECONCILE is off', async () => {
    stack.simulator.resetLog();
    const off = { ...readConfig(stack.env), RECONCILE: 0 };
    expect(await requestSparePage(stack.env, off, fts, url(), 5_000, () => {})).toMatchObject({ kind: 'wait' });
    expect(stack.simulator.requests).toHaveLength(0);
  });
});
