import { runDoctor } from '../doctor/runDoctor.ts';
import { json, redactSecrets } from './respond.ts';

/**
 * POST /admin/doctor (adminWithAnyConfig: the token, whatever the other variables hold): the
 * doctor's checks from inside this Worker (producer/doctor/runDoctor.ts), answered 200 with
 * `{ ok, checks: [{ name, ok, ms, detail, fix? }] }` whatever they found. Every text in it has the
 * secrets blanked out, as an error answer does: a driver's message may quote what it was given.
 */
export async function postDoctor(_request: Request, env: Env): Promise<Response> {
  const report = await runDoctor(env);
  return json(200, JSON.parse(JSON.stringify(report), (_key, value) => (typeof value === 'string' ? redactSecrets(value, env) : value)));
}
