import type { GateStatus } from '../../shared/rateGate/gateUsage.ts';
import { sourceGate } from '../../shared/rateGate/sourceGate.ts';
import type { SourceName } from '../../shared/sources/sourceName.ts';
import type { Finding } from './check.ts';

export const GATE_FIX = 'the RATE_GATE Durable Object does not answer: keep its [[durable_objects.bindings]] (RATE_GATE, class RateGate) and [[migrations]] in wrangler.toml, and deploy again.';

/** The source's RateGate answers `status`; a pause or an operator's hold is reported, not failed (the upstream check acts on it). */
export async function checkGate(env: Env, source: SourceName, now: number): Promise<Finding> {
  return { ok: true, detail: describeBook(await sourceGate(env, source).status(), now) };
}

function describeBook(book: GateStatus, now: number): string {
  const parts = [book.nextSlotAt > now ? `next slot in ${seconds(book.nextSlotAt - now)}` : 'a slot free now'];
  if (book.pausedUntil > now) parts.push(`paused by a refusal until ${new Date(book.pausedUntil).toISOString()} (${book.pauseReason})`);
  if (book.hold) parts.push(`held by an operator since ${new Date(book.hold.since).toISOString()}: ${book.hold.reason}`);
  if (book.refusals) parts.push(`${book.refusals.count} refusal(s) in a row since ${new Date(book.refusals.since).toISOString()}`);
  if (book.outage) parts.push(`upstream down: ${book.outage.failures} failure(s) in a row since ${new Date(book.outage.since).toISOString()}, last: ${book.outage.lastReason}`);
  return parts.join('; ');
}

export const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;
