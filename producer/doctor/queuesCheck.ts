import { QUEUE_BINDINGS } from '../../shared/queue/queues.ts';
import type { Finding } from './check.ts';

/**
 * Every queue binding the Worker sends through is in its env. Presence only: a message sent to a
 * work queue would be consumed as work, and a queue has no harmless call that proves delivery.
 */
export async function checkQueues(env: Env): Promise<Finding> {
  const bindings = Object.entries(QUEUE_BINDINGS).map(([queue, binding]) => ({ queue, binding, bound: typeof (env[binding] as Partial<Queue> | undefined)?.send === 'function' }));
  const missing = bindings.filter((b) => !b.bound);
  if (missing.length === 0) return { ok: true, detail: `bound: ${bindings.map((b) => b.binding).join(', ')} (presence only: nothing is sent, a message would be consumed as work)` };
  const blocks = missing.map((b) => `[[queues.producers]] binding = "${b.binding}", queue = "${b.queue}"`).join('; ');
  const creates = missing.map((b) => `npx wrangler queues create ${b.queue}`).join(', ');
  return {
    ok: false,
    detail: `not bound: ${missing.map((b) => `${b.binding} (queue ${b.queue})`).join(', ')}`,
    fix: `put ${blocks} back in wrangler.toml, create the queue if it does not exist (${creates}), and deploy again.`,
  };
}
