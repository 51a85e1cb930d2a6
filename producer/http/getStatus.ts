import type { Config } from '../../shared/config.ts';
import { withDb } from '../../shared/store/db.ts';
import { readStatus, type StatusReport } from '../status/readStatus.ts';
import { renderStatusPage } from '../status/renderStatusPage.ts';
import { html, json } from './respond.ts';
import { sourceGate } from './sourceGate.ts';

/** GET /status: the status as JSON (what `npm run status` draws). */
export async function getStatus(_request: Request, env: Env, config: Config): Promise<Response> {
  return json(200, await statusOf(env, config));
}

/** GET /: the same status as a page a person reads. */
export async function getStatusPage(_request: Request, env: Env, config: Config): Promise<Response> {
  return html(renderStatusPage(await statusOf(env, config)));
}

function statusOf(env: Env, config: Config): Promise<StatusReport> {
  return withDb(config, (db) => readStatus(db, (source) => sourceGate(env, source).status(), new Date()));
}
