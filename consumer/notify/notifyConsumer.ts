import type { Db } from 'mongodb';
import { readConfig } from '../../shared/config.ts';
import { notifyMessage, NotifyMessageSchema, type NotifyMessage } from '../../shared/queue/messages.ts';
import { queueBinding } from '../../shared/queue/queues.ts';
import { SETTLE_MS } from '../../shared/store/changes.ts';
import { withDb } from '../../shared/store/db.ts';
import { webhookIds, webhooksCollection } from '../../shared/store/webhooks.ts';
import { consumeEach } from '../consumeEach.ts';
import { waitingForMongo } from '../waitForMongo.ts';
import { deliverWebhook } from './deliverWebhook.ts';

/** Messages a fan-out sends at once (a queue's sendBatch takes at most 100). */
const SEND_BATCH = 100;

/**
 * `notify` queue (docs/webhooks.md). A message without a subscription (the feed moved: sent by the
 * write consumer and the cron) becomes one message per subscription, so that each is retried with
 * its own backoff and a receiver that is down holds no other. A subscription's message delivers its
 * matching changes (deliverWebhook.ts); past a bound it sends itself again, and at a batch still
 * being written it looks again once such a batch may be passed over. Messages of one batch for the
 * same subscription (or several fan-outs) are one delivery: the rest are acked with it.
 */
export async function consumeNotifyBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = readConfig(env);
  const notify = queueBinding(env, 'notify');
  const running = new Set<string>();
  await waitingForMongo('notify', batch, () =>
    withDb(config, (db) =>
      consumeEach(batch, env, db, 'notify', NotifyMessageSchema, async (body) => {
        const key = body.subscription ?? '*';
        if (running.has(key)) return;
        running.add(key);
        if (body.subscription === undefined) return fanOut(db, notify);
        await deliver(db, notify, body.subscription);
      }),
    ),
  );
}

async function fanOut(db: Db, notify: Queue): Promise<void> {
  const ids = await webhookIds(db);
  for (let i = 0; i < ids.length; i += SEND_BATCH) {
    await notify.sendBatch(ids.slice(i, i + SEND_BATCH).map((id) => ({ body: notifyMessage(id) satisfies NotifyMessage, contentType: 'json' as const })));
  }
}

async function deliver(db: Db, notify: Queue, subscription: string): Promise<void> {
  const webhook = await webhooksCollection(db).findOne({ _id: subscription });
  if (!webhook) return console.warn(`notify: subscription ${subscription} no longer exists`);
  const { outcome, delivered } = await deliverWebhook(db, webhook, () => new Date());
  console.log(`notify: ${subscription}: ${delivered} delivered, ${outcome}`);
  if (outcome === 'more') await notify.send(notifyMessage(subscription), { contentType: 'json' });
  if (outcome === 'waiting') await notify.send(notifyMessage(subscription), { contentType: 'json', delaySeconds: SETTLE_MS / 1000 });
}
