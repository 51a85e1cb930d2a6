import { randomBytes } from 'node:crypto';
import type { Delivery } from '../../consumer/notify/deliverWebhook.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhookReceiver.ts';
import { adminHeaders } from './workerHeaders.ts';

/**
 * `LOCAL_WEBHOOK=on npm start`: a receiver on a free port (scripts/local/webhookReceiver.ts, which
 * verifies every signature and drops repeats), registered with the local Worker for every change
 * from the feed's start, `onDelivery` called for each change as it arrives.
 */
export async function startLocalWebhook(workerUrl: string, adminToken: string, onDelivery: (delivery: Delivery) => void): Promise<WebhookReceiver> {
  const secret = randomBytes(24).toString('hex');
  const receiver = await startWebhookReceiver(secret, onDelivery);
  const response = await fetch(`${workerUrl}/admin/webhooks`, {
    method: 'POST',
    headers: { ...adminHeaders(adminToken), 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url, secret, after: 0 }),
  });
  if (response.status !== 201) {
    await receiver.stop();
    throw new Error(`POST /admin/webhooks answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
  return receiver;
}

/** One line per delivery, as `npm start` prints them. */
export const deliveryLine = (d: Delivery): string => `webhook ← ${d.change.cursor} ${d.change.kind} ${d.change.source} ${d.change.noticeId ?? d.change.ocid}${d.change.fields.length ? ` (${d.change.fields.join(', ')})` : ''}`;
