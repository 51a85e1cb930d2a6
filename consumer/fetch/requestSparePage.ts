import type { Config } from '../../shared/config.ts';
import { requestPage, type PageResponse } from '../../shared/rateGate/requestPage.ts';
import { sourceGate } from '../../shared/rateGate/sourceGate.ts';
import type { SourceAdapter } from '../../shared/sources/source.ts';
import { sleep } from '../../shared/time/sleep.ts';

/** While reconciliation is off, a walk already under way asks again this seldom (the queue's longest delay). */
const OFF_RECHECK_MS = 12 * 3_600_000;

/**
 * One request of a reconciliation walk, with spare budget only. First the walk's own pace: a
 * second RateGate object per source (`<source>:reconcile`, the same Durable Object class) spaces
 * a source's walk requests at RECONCILE a minute (or at its adapter's own pace: PCS's whole months
 * are far larger pages). Then the source's own gate, asked never to wait
 * (`maxWaitMs` 0): a slot is taken only when it is free at once, so a delta or backfill request
 * that comes next waits at most that one slot; while the source's next slot is taken, the walk
 * waits until it is free and asks again, within `maxWaitMs` (the fetch invocation's time left).
 */
export async function requestSparePage(env: Env, config: Config, source: SourceAdapter, url: string, maxWaitMs: number, onSlot: (slotAt: number) => void): Promise<PageResponse> {
  if (config.RECONCILE === 0) return { kind: 'wait', delayMs: OFF_RECHECK_MS };
  const until = Date.now() + maxWaitMs;
  // The pace gate is told of no upstream failure, so it never holds a probe: no answer time to give.
  const pace = await sourceGate(env, paceGateName(source.name)).reserve(source.reconcilePerMinute?.(config) ?? config.RECONCILE, maxWaitMs, 0);
  if (!pace.granted) return { kind: 'wait', delayMs: pace.retryInMs };
  await sleep(pace.waitMs);
  for (;;) {
    const response = await requestPage(env, config, source, url, 0, onSlot);
    if (response.kind !== 'wait' || Date.now() + response.delayMs > until) return response;
    await sleep(response.delayMs);
  }
}

export const paceGateName = (source: string): string => `${source}:reconcile`;
