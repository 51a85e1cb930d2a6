import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Delivery } from '../../consumer/notify/deliverWebhook.ts';
import { SIGNATURE_HEADER, verifySignature } from '../../consumer/notify/signature.ts';

export interface WebhookReceiver {
  /** The URL to register (stable across stop and start). */
  url: string;
  /** Deliveries accepted, once per idempotency key, in the order they came. */
  delivered: Delivery[];
  /** Every request with a valid signature, duplicates included: what came over the wire. */
  received: Delivery[];
  /** Requests refused, with why (a bad signature, a replay outside the window). */
  refused: string[];
  /** Down: the port closed, as a receiver that is not running (connections refused). */
  stop(): Promise<void>;
  /** Up again on the same port. */
  start(): Promise<void>;
}

/**
 * A small webhook receiver, as a product would write one (docs/webhooks.md): verifies the signature
 * over the raw body (401 otherwise), drops a delivery whose idempotency key it has already seen
 * (answering 200, so it is not sent again), and keeps the rest. `npm start` runs one with
 * LOCAL_WEBHOOK=on; the tests drive it.
 */
export async function startWebhookReceiver(secret: string, onDelivery: (delivery: Delivery) => void = () => {}, port = 0): Promise<WebhookReceiver> {
  const seen = new Set<string>();
  const receiver = { delivered: [] as Delivery[], received: [] as Delivery[], refused: [] as string[] };
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verdict = await verifySignature(secret, body, request.headers[SIGNATURE_HEADER] as string | undefined ?? null, new Date());
      if (!verdict.ok) {
        receiver.refused.push(verdict.reason);
        response.writeHead(401).end(verdict.reason);
        return;
      }
      const delivery = JSON.parse(body) as Delivery;
      receiver.received.push(delivery);
      const duplicate = seen.has(delivery.id);
      if (!duplicate) {
        seen.add(delivery.id);
        receiver.delivered.push(delivery);
        onDelivery(delivery);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ duplicate }));
    });
  };
  let current: Server | null = null;
  // A server of its own each time it starts: a closed one is not listened on again.
  const listen = (on: number) =>
    new Promise<number>((resolve, reject) => {
      const server = createServer(handle);
      server.once('error', reject);
      server.listen(on, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
      current = server;
    });
  const bound = await listen(port);
  return {
    ...receiver,
    url: `http://127.0.0.1:${bound}/webhook`,
    stop: () => new Promise<void>((resolve) => {
      if (!current) return resolve();
      current.close(() => resolve());
      current.closeAllConnections();
      current = null;
    }),
    start: async () => void (await listen(bound)),
  };
}
