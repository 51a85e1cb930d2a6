/**
 * The RateGate Durable Object of a source (by its name, `FIND_A_TENDER`): its request budget,
 * refusals and operator's pause. One object per name, whoever asks for it.
 */
export function sourceGate(env: Pick<Env, 'RATE_GATE'>, source: string) {
  return env.RATE_GATE.get(env.RATE_GATE.idFromName(source));
}
