import type { Config } from '../../shared/config.ts';
import { requestPage } from '../../shared/rateGate/requestPage.ts';
import { sourceGate } from '../../shared/rateGate/sourceGate.ts';
import type { SourceAdapter } from '../../shared/sources/source.ts';
import type { Finding } from './check.ts';
import { seconds } from './gateCheck.ts';

/**
 * How long the doctor waits for a slot: the fetch consumers may have taken the next ones (10 s
 * apart at 6 a minute); the consumers wait as long in line (consumer/fetch/fetchWindow.ts).
 */
export const SLOT_WAIT_MS = 30_000;
const HOUR_MS = 3_600_000;

/**
 * Asks the source once for one small page (one release of the last hour) through requestPage, as
 * a fetch consumer asks: a slot from the source's RateGate first, so the doctor stays inside the
 * budget, and a refusal pauses the source for everyone, as the consumers' would. A source paused
 * or held is not asked.
 */
export async function askUpstream(env: Env, config: Config, source: SourceAdapter, now: number): Promise<Finding> {
  const gate = sourceGate(env, source.name);
  const book = await gate.status();
  const budget = settingOf(source, '_REQUESTS_PER_MINUTE');
  if (book.hold) {
    return { ok: false, detail: `not asked: held by an operator since ${iso(book.hold.since)} (${book.hold.reason})`, fix: `POST /admin/resume {"source":"${source.name}"} once the hold's reason is dealt with, and run the doctor again.` };
  }
  if (book.pausedUntil > now && book.outage?.cause === 'tls') {
    return { ok: false, detail: `not asked until ${iso(book.pausedUntil)}: ${book.outage.lastReason}`, fix: afterTrustFixed(source) };
  }
  if (book.pausedUntil > now) {
    return { ok: false, detail: `not asked: paused by a refusal until ${iso(book.pausedUntil)} (${book.pauseReason})`, fix: waitOutRefusals(book.pausedUntil, budget) };
  }
  const url = source.firstPageUrl({ ...config, PAGE_LIMIT: 1 }, { from: new Date(now - HOUR_MS), to: new Date(now) });
  const asked = Date.now();
  let slotAt = asked;
  const answer = await requestPage(env, config, source, url, SLOT_WAIT_MS, (at) => (slotAt = at));
  const waited = `${Math.max(0, slotAt - asked)} ms waiting for its slot`;
  switch (answer.kind) {
    case 'body':
      return { ok: true, detail: `HTTP 200, ${answer.bytes.byteLength} bytes in ${Date.now() - Math.max(asked, slotAt)} ms, after ${waited}` };
    case 'wait':
      return { ok: false, detail: `not asked: no slot within ${seconds(SLOT_WAIT_MS)} (the next in ${seconds(answer.delayMs)}): the fetch consumers are using the budget, or the source was paused meanwhile`, fix: 'run the doctor again in a minute.' };
    case 'paused': {
      // The gate's book says until when, as every consumer will read it.
      const { pausedUntil } = await gate.status();
      return { ok: false, detail: `refused: ${answer.reason}, until ${iso(pausedUntil)} for every consumer; after ${waited}`, fix: waitOutRefusals(pausedUntil, budget) };
    }
    case 'tls':
      return { ok: false, detail: `${answer.reason} After ${waited}.`, fix: afterTrustFixed(source) };
    case 'down':
    case 'permanent':
      return { ok: false, detail: `${answer.reason}, after ${waited}`, fix: `check ${settingOf(source, '_API_URL')} (now ${new URL(url).origin}) and whether the service is up.` };
  }
}

/** A TLS failure holds the source an hour; once its remedy is applied, a resume probes at once. */
function afterTrustFixed(source: SourceAdapter): string {
  return `apply the remedy above, then POST /admin/resume {"source":"${source.name}"} (otherwise the next probe is within the hour) and run the doctor again.`;
}

function waitOutRefusals(until: number, budget: string): string {
  return `nothing to change for one refusal: run the doctor again after ${iso(until)}; if refusals keep coming, lower ${budget} (README, Configuration).`;
}

/** The source's own variable ending in `suffix` (FTS_API_URL, CF_REQUESTS_PER_MINUTE), as its adapter declares it. */
function settingOf(source: SourceAdapter, suffix: string): string {
  return Object.keys(source.settings.entries).find((name) => name.endsWith(suffix)) ?? `its *${suffix}`;
}

const iso = (ms: number) => new Date(ms).toISOString();
