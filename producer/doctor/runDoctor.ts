import { readConfig, type Config } from '../../shared/config.ts';
import { enabledSources } from '../../shared/enabledSources.ts';
import { SOURCE_NAMES, type SourceName } from '../../shared/sources/sourceName.ts';
import { sources } from '../../shared/sources/sources.ts';
import { runCheck, skipped, type Check, type DoctorReport } from './check.ts';
import { checkGate, GATE_FIX } from './gateCheck.ts';
import { mongoChecks, mongoChecksSkipped } from './mongoChecks.ts';
import { checkQueues } from './queuesCheck.ts';
import { askUpstream } from './upstreamCheck.ts';

const CONFIG_CHECK = 'config';
const QUEUES_FIX = 'keep the four [[queues.producers]] blocks of wrangler.toml (FETCH_QUEUE, WRITE_QUEUE, FETCH_DLQ, WRITE_DLQ), and deploy again.';
const CONFIG_FIX = 'set the variable it names to a value its check accepts (wrangler.toml [vars], or wrangler secret put for MONGODB_URI and the tokens; README, Configuration), and deploy again.';

/**
 * POST /admin/doctor's checks, from inside the Worker with its own settings: config, MongoDB
 * (connect, probe document, indexes), queue bindings, each source's rate gate and upstream. Each
 * runs whatever the others found, except those that need a failed one (MongoDB's need the config
 * and the connection; an upstream needs the config and its gate), which are skipped saying so.
 * MongoDB's client is closed before the gates and upstreams are asked, so it never competes with
 * them for the invocation's six connections (GET /status hung on that); the two sources are then
 * asked side by side, a gate call and a request each.
 */
export async function runDoctor(env: Env): Promise<DoctorReport> {
  const configCheck = await runCheck(CONFIG_CHECK, async () => ({ ok: true, detail: `every variable passes its check; database ${readConfig(env).MONGODB_DB}` }), () => CONFIG_FIX);
  // readConfig keeps what it read per env: this is the config the check passed.
  const config = configCheck.ok ? readConfig(env) : null;

  const checks = [
    configCheck,
    ...(config ? await mongoChecks(config) : mongoChecksSkipped(CONFIG_CHECK)),
    await runCheck('queues', () => checkQueues(env), () => QUEUES_FIX),
    ...(await Promise.all(SOURCE_NAMES.map((source) => sourceChecks(env, config, source)))).flat(),
  ];
  return { ok: checks.every((check) => check.ok), checks };
}

/** A source's gate, then its upstream through that gate: the two sources side by side, each on its own gate. */
async function sourceChecks(env: Env, config: Config | null, source: SourceName): Promise<Check[]> {
  const gate = await runCheck(`rate gate ${source}`, () => checkGate(env, source, Date.now()), () => GATE_FIX);
  const upstream = `upstream ${source}`;
  if (!config) return [gate, skipped(upstream, CONFIG_CHECK)];
  if (!enabledSources(config).some((adapter) => adapter.name === source)) return [gate, switchedOff(upstream)];
  if (!gate.ok) return [gate, skipped(upstream, gate.name)];
  // requestPage answers every failure of the request itself: what throws is the gate.
  return [gate, await runCheck(upstream, () => askUpstream(env, config, sources[source], Date.now()), () => GATE_FIX)];
}

/** A source switched off is not asked: its upstream check passes, saying why it was not run. */
function switchedOff(name: string): Check {
  return { name, ok: true, ms: 0, detail: 'skipped: the source is switched off (PCS_ENABLED=false), so it is never asked' };
}
