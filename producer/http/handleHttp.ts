import type { Db } from 'mongodb';
import { readConfig } from '../../shared/config.ts';
import { isAuthorized } from './isAuthorized.ts';
import { handleUnmerge, UNMERGE_PATH } from './unmergeRoute.ts';
import { replayDeadLetters } from '../replayDeadLetters.ts';
import { errorText } from '../../shared/errors.ts';
import { COLLECTIONS, withDb } from '../../shared/store/db.ts';

/**
 * The Worker's own endpoints:
 *   GET  /status  — per source: the syncJobs summary; plus counts of contracts, buyers, quarantine, dead letters
 *   POST /replay  — re-sends stored dead letters (Authorization: Bearer ADMIN_TOKEN)
 * Anything else gets a JSON error that says what is accepted.
 */
export async function handleHttp(request: Request, env: Env): Promise<Response> {
  const { pathname } = new URL(request.url);
  const route = `${request.method} ${pathname}`;
  try {
    const config = readConfig(env);
    if (route === 'GET /status' || route === 'GET /') {
      return json(200, await withDb(config, readStatus));
    }
    if (route === 'POST /replay') {
      if (!config.ADMIN_TOKEN) return json(403, { error: 'replay is closed: set the ADMIN_TOKEN secret to open it' });
      if (!isAuthorized(request.headers.get('authorization'), config.ADMIN_TOKEN)) return json(401, { error: 'replay needs Authorization: Bearer <ADMIN_TOKEN>' });
      return json(200, await withDb(config, (db) => replayDeadLetters(env, db, new Date())));
    }
    if (route === `POST ${UNMERGE_PATH}`) return await handleUnmerge(request, config).then(({ status, body }) => json(status, body));
    if (pathname === '/status' || pathname === '/replay') return json(405, { error: `${request.method} not allowed on ${pathname}`, accepted: ENDPOINTS });
    return json(404, { error: `no endpoint ${pathname}`, accepted: ENDPOINTS });
  } catch (error) {
    return json(500, { error: errorText(error) });
  }
}

const ENDPOINTS = ['GET /status', 'POST /replay'];

async function readStatus(db: Db) {
  const [sources, contracts, buyers, quarantined, deadLetters] = await Promise.all([
    db.collection(COLLECTIONS.syncJobs).find({ kind: 'source' }).toArray(),
    db.collection(COLLECTIONS.contracts).estimatedDocumentCount(),
    db.collection(COLLECTIONS.buyers).estimatedDocumentCount(),
    db.collection(COLLECTIONS.quarantine).estimatedDocumentCount(),
    db.collection(COLLECTIONS.deadLetters).countDocuments({ state: { $ne: 'replayed' } }),
  ]);
  return { sources, counts: { contracts, buyers, quarantined, deadLetters } };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body, null, 2), { status, headers: { 'content-type': 'application/json' } });
}
