import { mongoFailureText } from '../../shared/store/mongoUnreachable.ts';
import { adminOnly, adminWithAnyConfig, readerOnly, statusOnly, type Endpoint } from './adminOnly.ts';
import { getChanges } from './getChanges.ts';
import { getGates } from './getGates.ts';
import { getStatus, getStatusPage } from './getStatus.ts';
import { postDoctor } from './postDoctor.ts';
import { postPause } from './postPause.ts';
import { postReplan } from './postReplan.ts';
import { postReplay } from './postReplay.ts';
import { postResume } from './postResume.ts';
import { postUnmerge } from './unmergeRoute.ts';
import { getWebhooks, postWebhook } from './webhooksRoute.ts';
import { json, redactSecrets } from './respond.ts';

/**
 * The Worker's own endpoints, one file each; an admin route is wrapped in `adminOnly` (Bearer
 * ADMIN_TOKEN), a status route in `statusOnly` (Bearer STATUS_TOKEN when one is set), the change
 * feed in `readerOnly` (Bearer STATUS_TOKEN or ADMIN_TOKEN, always); each wrapper
 * reads the config, the doctor's after the token so it can report a bad variable. A new endpoint is
 * one line here. Anything else gets a JSON error that lists them.
 */
const ROUTES: Record<string, Endpoint> = {
  'GET /': statusOnly(getStatusPage),
  'GET /status': statusOnly(getStatus),
  'GET /gates': statusOnly(getGates),
  'GET /changes': readerOnly(getChanges),
  'POST /admin/pause': adminOnly(postPause),
  'POST /admin/resume': adminOnly(postResume),
  'POST /admin/replan': adminOnly(postReplan),
  'POST /admin/replay': adminOnly(postReplay),
  'POST /admin/buyers/unmerge': adminOnly(postUnmerge),
  'POST /admin/doctor': adminWithAnyConfig(postDoctor),
  'POST /admin/webhooks': adminOnly(postWebhook),
  'GET /admin/webhooks': adminOnly(getWebhooks),
  // The older name of /admin/replay, kept for `npm run replay` and scripts that call it.
  'POST /replay': adminOnly(postReplay),
};

export async function handleHttp(request: Request, env: Env): Promise<Response> {
  const { pathname } = new URL(request.url);
  const route = ROUTES[`${request.method} ${pathname}`];
  try {
    if (route) return await route(request, env);
    const methods = Object.keys(ROUTES).filter((key) => key.endsWith(` ${pathname}`));
    if (methods.length > 0) return json(405, { error: `${request.method} not allowed on ${pathname}`, accepted: Object.keys(ROUTES) });
    return json(404, { error: `no endpoint ${pathname}`, accepted: Object.keys(ROUTES) });
  } catch (error) {
    // Whatever failed (config, MongoDB, the gate), neither the answer nor the log shows a secret;
    // MongoDB unreachable or refusing the login is said in words first.
    const message = redactSecrets(mongoFailureText(error), env);
    console.error(`${request.method} ${pathname}: ${message}`);
    return json(500, { error: message });
  }
}
