import type { Config } from '../config.ts';
import { sleep } from '../time/sleep.ts';
import type { SourceAdapter } from '../sources/source.ts';
import { isStopped } from './slotBook.ts';
import { sourceGate } from './sourceGate.ts';

export type PageResponse =
  | { kind: 'body'; bytes: ArrayBuffer }
  /** The gate will not give a slot soon enough: hand the window on, to continue after `delayMs`. */
  | { kind: 'wait'; delayMs: number }
  /** The service refused politely (rate limit): the source is paused for everyone; ask again later. */
  | { kind: 'paused'; reason: string }
  | { kind: 'transient'; reason: string }
  | { kind: 'permanent'; reason: string };

/**
 * One request upstream, inside the source's global budget: a slot from the source's RateGate
 * first (waiting for it if it comes within `maxWaitMs`; `onSlot` is told when the slot is, before
 * the wait), then the request with a timeout. The fetch consumer pages with it, and the doctor
 * (POST /admin/doctor) asks its one page with it, so neither can go around the budget.
 */
export async function requestPage(
  env: Env,
  config: Config,
  source: SourceAdapter,
  url: string,
  maxWaitMs: number,
  onSlot: (slotAt: number) => void = () => {},
): Promise<PageResponse> {
  const gate = sourceGate(env, source.name);
  const reservation = await gate.reserve(source.requestsPerMinute(config), maxWaitMs);
  if (!reservation.granted) return { kind: 'wait', delayMs: reservation.retryInMs };
  const slotAt = Date.now() + reservation.waitMs;
  onSlot(slotAt);
  if (reservation.waitMs > 0) {
    await sleep(reservation.waitMs);
    // A refusal seen by another consumer (or an operator's pause) while this one waited: the slot is
    // void. Judged at the slot's time, not the clock's: a slot granted at a pause's end, with the
    // timer firing a millisecond early (or the gate's clock ahead of this one), is not void.
    const book = await gate.status();
    if (isStopped(book, Math.max(Date.now(), slotAt))) return { kind: 'paused', reason: `source paused while waiting for a slot: ${book.hold?.reason ?? book.pauseReason}` };
  }

  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json', 'user-agent': 'tender-sync (OCDS copy; polite: one request per slot)' },
      signal: AbortSignal.timeout(config.FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    return { kind: 'transient', reason: `request failed: ${(error as Error).message ?? String(error)}` };
  }
  if (response.status === 200) {
    // Served after refusals: the row of refusals ends (the status page stops calling the source blocked).
    if (reservation.refusedBefore) await gate.served();
    try {
      return { kind: 'body', bytes: await response.arrayBuffer() };
    } catch (error) {
      return { kind: 'transient', reason: `body cut off: ${(error as Error).message}` };
    }
  }
  await response.body?.cancel();
  const refusal = source.readRefusal(config, response.status, response.headers);
  if (refusal.kind === 'pause') {
    await gate.pause(refusal.pauseMs, refusal.reason);
    return { kind: 'paused', reason: `${refusal.reason}; source paused ${Math.round(refusal.pauseMs / 1000)} s` };
  }
  return { kind: refusal.kind, reason: `${refusal.reason} for ${url}` };
}
