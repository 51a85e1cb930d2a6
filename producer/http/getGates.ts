import type { Config } from '../../shared/config.ts';
import { SOURCE_NAMES } from '../../shared/sources/sourceName.ts';
import { json } from './respond.ts';
import { sourceGate } from '../../shared/rateGate/sourceGate.ts';

/**
 * GET /gates: each source's RateGate as it answers `status` (its book, and the calls and rows it has
 * served since it started), without touching MongoDB: cheap enough for the bench to read every few
 * seconds, which also keeps the objects from being evicted (and their counts from restarting).
 */
export async function getGates(_request: Request, env: Env, _config: Config): Promise<Response> {
  return json(200, Object.fromEntries(await Promise.all(SOURCE_NAMES.map(async (source) => [source, await sourceGate(env, source).status()] as const))));
}
