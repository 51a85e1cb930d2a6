import * as v from 'valibot';
import { readAdminToken, readConfig, type Config } from '../../shared/config.ts';
import { isAuthorized } from './isAuthorized.ts';
import { json } from './respond.ts';
import { forgetStatusAnswers } from '../status/statusCache.ts';

export type Route = (request: Request, env: Env, config: Config) => Promise<Response>;
/** What the router calls: the wrappers below read the config (readConfig throws naming a bad variable). */
export type Endpoint = (request: Request, env: Env) => Promise<Response>;

/**
 * An admin route: answered only with `Authorization: Bearer <ADMIN_TOKEN>` (compared in constant
 * time), 401 otherwise; 403 while no ADMIN_TOKEN is configured. The token is checked before the
 * body is read, so a caller without it learns nothing about what a body should hold. Once it has
 * run, this isolate's cached status answers are forgotten: an operator's pause or replan shows on
 * the next GET / (other isolates catch up within STATUS_CACHE_MS).
 */
export function adminOnly(route: Route): Endpoint {
  return async (request, env) => {
    const config = readConfig(env);
    return asAdmin(request, config.ADMIN_TOKEN, () => route(request, env, config));
  };
}

/**
 * An admin route that runs whatever the other variables hold: the doctor, whose first check is the
 * config. It opens with ADMIN_TOKEN read alone (readAdminToken), as closed as adminOnly otherwise.
 */
export function adminWithAnyConfig(route: Endpoint): Endpoint {
  return (request, env) => asAdmin(request, readAdminToken(env), () => route(request, env));
}

async function asAdmin(request: Request, adminToken: string | undefined, run: () => Promise<Response>): Promise<Response> {
  if (!adminToken) return json(403, { error: 'admin endpoints are closed: set the ADMIN_TOKEN secret to open them' });
  if (!isAuthorized(request.headers.get('authorization'), adminToken)) return json(401, { error: 'admin endpoints need Authorization: Bearer <ADMIN_TOKEN>' });
  try {
    return await run();
  } finally {
    forgetStatusAnswers();
  }
}

/**
 * A status route (GET /, /status, /gates): open while no STATUS_TOKEN is set, as on `npm start`;
 * with one, answered only with `Authorization: Bearer <STATUS_TOKEN>` (the admin token's scheme and
 * constant-time check; not taken from the query string, where it would land in logs and history),
 * 401 otherwise, before anything is read.
 */
export function statusOnly(route: Route): Endpoint {
  return async (request, env) => {
    const config = readConfig(env);
    if (config.STATUS_TOKEN && !isAuthorized(request.headers.get('authorization'), config.STATUS_TOKEN)) {
      const refused = json(401, { error: 'the status endpoints need Authorization: Bearer <STATUS_TOKEN>' });
      refused.headers.set('www-authenticate', 'Bearer realm="tender-sync status"');
      return refused;
    }
    return route(request, env, config);
  };
}

/**
 * The change feed (GET /changes): never open, since it lists the data. Answered with
 * `Authorization: Bearer <STATUS_TOKEN>` (the token a reader of the product holds) or the
 * operator's ADMIN_TOKEN, 401 otherwise; 403 while neither is configured.
 */
export function readerOnly(route: Route): Endpoint {
  return async (request, env) => {
    const config = readConfig(env);
    const tokens = [config.STATUS_TOKEN, config.ADMIN_TOKEN].filter((token): token is string => token !== undefined);
    if (tokens.length === 0) return json(403, { error: 'the change feed is closed: set the STATUS_TOKEN secret (or ADMIN_TOKEN) to open it' });
    const header = request.headers.get('authorization');
    if (!tokens.some((token) => isAuthorized(header, token))) return json(401, { error: 'the change feed needs Authorization: Bearer <STATUS_TOKEN> (or <ADMIN_TOKEN>)' });
    return route(request, env, config);
  };
}

/**
 * The request's JSON body checked against `schema`, or the 400 to answer: the message names each
 * bad field (`source: must be one of …`). Messages never repeat what was sent, which could be
 * anything, a secret pasted in the wrong place included.
 */
export async function readBody<S extends v.GenericSchema>(request: Request, schema: S): Promise<{ ok: true; value: v.InferOutput<S> } | { ok: false; response: Response }> {
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return { ok: false, response: json(400, { error: 'body: not valid JSON (send a JSON object, content-type application/json)' }) };
  }
  const result = v.safeParse(schema, body);
  if (!result.success) return { ok: false, response: json(400, { error: result.issues.map(describeIssue).join('; ') }) };
  return { ok: true, value: result.output };
}

/** `field: message`; a missing field is reported by its object schema, whose message is about the body: say `is required`. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = v.getDotPath(issue);
  if (path === null) return issue.message;
  return `${path}: ${issue.type === 'object' ? 'is required' : issue.message}`;
}
