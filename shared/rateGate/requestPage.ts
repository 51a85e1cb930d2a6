import type { Config } from '../config.ts';
import { sleep } from '../time/sleep.ts';
import type { SourceAdapter } from '../sources/source.ts';
import { ARRIVAL_JITTER_MS, isStopped } from './slotBook.ts';
import { sourceGate } from './sourceGate.ts';
import { TLS_PROBE_MS, tlsFailureOfError, tlsFailureOfStatus, tlsSentence } from './tlsFailure.ts';

export type PageResponse =
  | { kind: 'body'; bytes: ArrayBuffer }
  /** The gate will not give a slot soon enough: hand the window on, to continue after `delayMs`. */
  | { kind: 'wait'; delayMs: number }
  /** The service refused politely (rate limit): the source is paused for everyone; ask again later. */
  | { kind: 'paused'; reason: string }
  /** The service is down (5xx, timeout, connection failed, body cut off): the source is paused for everyone, then probed. */
  | { kind: 'down'; reason: string }
  /**
   * The origin's certificate could not be verified (tlsFailure.ts): the source is held for an hour
   * for everyone, then probed. `reason` is the status page's sentence, cause and remedy.
   */
  | { kind: 'tls'; reason: string }
  | { kind: 'permanent'; reason: string };

/**
 * One request upstream, inside the source's global budget: a slot from the source's RateGate
 * first (waiting for it if it comes within `maxWaitMs`; `onSlot` is told when the slot is, before
 * the wait), then the request with a timeout. A refusal pauses the source in the gate, an upstream
 * failure too, with a pause that grows while the failures go on (the gate then lets one request
 * out at a time: the probe); a TLS failure holds it an hour at a time. The fetch consumer pages
 * with it, and the doctor (POST /admin/doctor) asks its one page with it, so neither can go around
 * the budget.
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
  const reservation = await gate.reserve(source.requestsPerMinute(config), maxWaitMs, config.FETCH_TIMEOUT_MS + ARRIVAL_JITTER_MS);
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
    const tls = tlsFailureOfError(error);
    return tls ? tlsFailed(tls) : down(`request failed: ${(error as Error).message ?? String(error)}`);
  }
  if (response.status === 200) {
    let bytes: ArrayBuffer;
    try {
      bytes = await response.arrayBuffer();
    } catch (error) {
      return down(`body cut off: ${(error as Error).message}`);
    }
    // Served after refusals or failures: the row ends (the status page stops calling the source blocked), the source runs again.
    if (reservation.reportServed) await gate.served();
    return { kind: 'body', bytes };
  }
  await response.body?.cancel();
  const tls = tlsFailureOfStatus(response.status);
  if (tls) return tlsFailed(tls);
  const refusal = source.readRefusal(config, response.status, response.headers);
  if (refusal.kind === 'pause') {
    await gate.pause(refusal.pauseMs, refusal.reason);
    return { kind: 'paused', reason: `${refusal.reason}; source paused ${Math.round(refusal.pauseMs / 1000)} s` };
  }
  if (refusal.kind === 'transient') return down(`${refusal.reason} for ${url}`);
  return { kind: refusal.kind, reason: `${refusal.reason} for ${url}` };

  /** The service is down: every consumer of the source waits, then one probes (slotBook.ts, `failed`). */
  async function down(reason: string): Promise<PageResponse> {
    const { pausedUntil } = await gate.failed(reason, { firstMs: config.UPSTREAM_PROBE_SECONDS * 1000, maxMs: config.UPSTREAM_PROBE_MAX_SECONDS * 1000 });
    return { kind: 'down', reason: `${reason}; source paused ${Math.max(0, Math.round((pausedUntil - Date.now()) / 1000))} s` };
  }

  /** The certificate: every consumer waits TLS_PROBE_MS (not a growing pause: nothing changes by itself), then one probes. */
  async function tlsFailed(detail: string): Promise<PageResponse> {
    const reason = tlsSentence(`${detail}, for ${new URL(url).origin}`, source.tlsRemedy);
    await gate.failed(reason, { firstMs: TLS_PROBE_MS, maxMs: TLS_PROBE_MS }, 'tls');
    return { kind: 'tls', reason };
  }
}
