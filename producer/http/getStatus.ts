import type { Config } from '../../shared/config.ts';
import { enabledSources } from '../../shared/enabledSources.ts';
import { SOURCE_NAMES } from '../../shared/sources/sourceName.ts';
import { withDb } from '../../shared/store/db.ts';
import { readStatus, type StatusReport } from '../status/readStatus.ts';
import { renderStatusPage } from '../status/renderStatusPage.ts';
import { html, json } from './respond.ts';
import { sourceGate } from '../../shared/rateGate/sourceGate.ts';
import { cachedStatus } from '../status/statusCache.ts';

/** GET /status: the status as JSON (what `npm run status` draws). */
export async function getStatus(_request: Request, env: Env, config: Config): Promise<Response> {
  return json(200, await statusOf(env, config));
}

/** GET /: the same status as a page a person reads. */
export async function getStatusPage(_request: Request, env: Env, config: Config): Promise<Response> {
  return html(renderStatusPage(await statusOf(env, config)));
}

/**
 * The status as this isolate last read it, if within STATUS_CACHE_MS (statusCache.ts): one read
 * pass an interval, whatever the traffic. Keyed by the database, the URI never leaving memory.
 */
function statusOf(env: Env, config: Config): Promise<StatusReport> {
  return cachedStatus(`${config.MONGODB_URI}\n${config.MONGODB_DB}`, () => readFresh(env, config));
}

/**
 * One read pass. The gates first, then MongoDB: a Durable Object call waits for a free outbound
 * connection, and while the MongoDB client is open its pool and monitoring can hold all six a
 * Worker invocation may have (under workerd, GET /status hung there).
 */
async function readFresh(env: Env, config: Config): Promise<StatusReport> {
  const gates = new Map(await Promise.all(SOURCE_NAMES.map(async (source) => [source, await sourceGate(env, source).status()] as const)));
  const on = enabledSources(config).map((source) => source.name);
  return withDb(config, (db) => readStatus(db, gates, new Date(), config.RECONCILE === 0, SOURCE_NAMES.filter((source) => !on.includes(source))));
}
