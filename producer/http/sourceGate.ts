import type { SourceName } from '../../shared/sources/sourceName.ts';

/** The RateGate Durable Object of a source: its request budget, refusals and operator's pause. */
export function sourceGate(env: Env, source: SourceName) {
  return env.RATE_GATE.get(env.RATE_GATE.idFromName(source));
}
