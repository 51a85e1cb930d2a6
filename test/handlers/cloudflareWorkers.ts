/**
 * `cloudflare:workers` under vitest (aliased in test/vitest.config.ts): workerd provides the module,
 * Node does not, and worker.ts imports it through the RateGate it exports. Only the base class is
 * needed for worker.ts to load; the handler tests never construct the Durable Object (they use
 * InMemoryRateGates from ./fakeEnv.ts, which runs the same calls).
 */
export abstract class DurableObject<E = Env> {
  protected ctx: DurableObjectState;
  protected env: E;

  constructor(ctx: DurableObjectState, env: E) {
    this.ctx = ctx;
    this.env = env;
  }
}
