import * as v from 'valibot';
import type { Config } from '../../shared/config.ts';
import { BODY_NOT_OBJECT, SourceField } from './adminFields.ts';
import { readBody } from './adminOnly.ts';
import { json } from './respond.ts';
import { sourceGate } from '../../shared/rateGate/sourceGate.ts';

const PauseBody = v.object({
  source: SourceField,
  reason: v.optional(v.pipe(v.string('must be a string'), v.maxLength(200, 'must be at most 200 characters')), 'paused by an operator'),
}, BODY_NOT_OBJECT);

/**
 * POST /admin/pause `{"source": "CONTRACTS_FINDER", "reason": "…"}`: no request goes to that
 * service until POST /admin/resume. Held in the source's RateGate, which every request passes:
 * a consumer that meets the hold hands its window on for 5 minutes (windows keep their
 * checkpoints), and nothing else changes.
 */
export async function postPause(request: Request, env: Env, _config: Config): Promise<Response> {
  const body = await readBody(request, PauseBody);
  if (!body.ok) return body.response;
  const book = await sourceGate(env, body.value.source).hold(body.value.reason);
  return json(200, { source: body.value.source, paused: book.hold ? { since: new Date(book.hold.since), reason: book.hold.reason } : null });
}
