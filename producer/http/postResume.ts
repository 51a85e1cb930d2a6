import * as v from 'valibot';
import type { Config } from '../../shared/config.ts';
import { BODY_NOT_OBJECT, SourceField } from './adminFields.ts';
import { readBody } from './adminOnly.ts';
import { json } from './respond.ts';
import { sourceGate } from '../../shared/rateGate/sourceGate.ts';

const ResumeBody = v.object({ source: SourceField }, BODY_NOT_OBJECT);

/**
 * POST /admin/resume `{"source": "CONTRACTS_FINDER"}`: ends an operator's pause; windows handed on
 * during it continue within 5 minutes. A pause set by a refusal upstream still runs to its end
 * (the service asked for it), and the answer says until when. The hour a TLS failure holds the
 * source ends too (the operator fixed the trust: the next request probes; shared/rateGate/slotBook.ts, `release`).
 */
export async function postResume(request: Request, env: Env, _config: Config): Promise<Response> {
  const body = await readBody(request, ResumeBody);
  if (!body.ok) return body.response;
  const book = await sourceGate(env, body.value.source).release();
  const refused = book.pausedUntil > Date.now() ? { until: new Date(book.pausedUntil), reason: book.pauseReason } : null;
  return json(200, { source: body.value.source, paused: null, refusedUntil: refused });
}
