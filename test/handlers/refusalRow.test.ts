import { describe, expect, it } from 'vitest';
import { fetchMessage } from '../../shared/queue/messages.ts';
import { claimWindow } from '../../shared/store/windows.ts';
import worker from '../../worker.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { callWorker } from './callWorker.ts';
import { decisionsOf, fakeBatch } from './fakeEnv.ts';
import { handlerStack } from './handlerStack.ts';
import { monthWindow, recordWindow } from './recordWindow.ts';

/**
 * The row of refusals the status page calls `blocked` when it does not end: the fetch consumer
 * adds to it at each refusal and ends it at the first request served after them. With CF's block
 * pause at 1 s, one invocation meets the refusals and gets past them.
 */
const dataset = generateDataset({ seed: 3, from: new Date('2024-03-01T00:00:00Z'), to: new Date('2024-04-01T00:00:00Z'), ftsPerDay: 2, cfPerDay: 2 });
const stack = handlerStack({ prefix: 'h_refusals', upstream: { dataset, pauseAfterRefusalMs: { CONTRACTS_FINDER: 1000 } }, vars: { CF_BLOCK_PAUSE_SECONDS: '1', FETCH_INVOCATION_SECONDS: '20' } });

describe('refusals in a row', () => {
  it('are counted at each refusal and end at the first request served; the source is not blocked', async () => {
    const window = await recordWindow(stack.db, monthWindow('CONTRACTS_FINDER', '2024-03'));
    expect(await claimWindow(stack.db, window, null, new Date())).toBe(1);
    stack.simulator.setFaults({ rateLimitStorm: { source: 'CONTRACTS_FINDER', count: 2, retryAfterSeconds: null } });
    const seen: (number | undefined)[] = [];
    const gate = stack.env.RATE_GATE.gate('CONTRACTS_FINDER');
    const pause = gate.pause.bind(gate);
    gate.pause = async (pauseMs, reason) => {
      await pause(pauseMs, reason);
      seen.push((await gate.status()).refusals?.count);
    };

    const batch = fakeBatch('fetch', [fetchMessage(window._id, 1)]);
    await worker.queue(batch, stack.env);

    expect(decisionsOf(batch)).toEqual([{ kind: 'ack' }]);
    expect(stack.simulator.requests.map((r) => r.status).slice(0, 3)).toEqual([403, 403, 200]);
    expect(seen).toEqual([1, 2]);
    expect((await gate.status()).refusals).toBeNull();
    const { body } = await callWorker(stack.env, 'GET', '/status');
    expect((body.sources as { source: string; figures: { blocked: unknown } }[]).find((s) => s.source === 'CONTRACTS_FINDER')?.figures.blocked).toBeNull();
  });
});
