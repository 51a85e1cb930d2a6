import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Change } from '../../shared/changes/readChanges.ts';
import { SETTLE_MS } from '../../shared/store/changes.ts';
import { webhooksCollection } from '../../shared/store/webhooks.ts';
import { startLocalStack, type LocalStack } from '../../scripts/local/localStack.ts';
import { waitForWindows } from '../../scripts/local/progress.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../scripts/local/webhookReceiver.ts';
import { daysAgo } from '../stack/history.ts';

/**
 * The "done when" under wrangler dev (workerd, local queues): a webhook receiver that is
 * down for the first part of a backfill (the Worker's POSTs refused, retried with backoff) and up
 * for the rest ends with every matching change of the run delivered once, in cursor order, each
 * signature verified by the receiver. WEBHOOK_E2E_DAYS shortens the history while developing.
 */
const DAYS = Number(process.env.WEBHOOK_E2E_DAYS ?? 60);
const SECRET = 'whsec-e2e-receivers-secret-0451';
let stack: LocalStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  stack = await startLocalStack({
    startDates: { fts: daysAgo(DAYS), cf: daysAgo(DAYS) },
    perDay: { fts: 3, cf: 2 },
    seed: 11,
    realReleases: 'eachKind',
    requestsPerMinute: 3000,
    mongoUri: inject('mongoUri'),
    quiet: true,
    workerVars: { FETCH_WINDOWS_IN_FLIGHT: '3', STALL_MINUTES: '5', DELTA_TICK_MINUTES: '0' },
  });
  receiver = await startWebhookReceiver(SECRET);
}, 180_000);

afterAll(async () => {
  await receiver?.stop();
  await stack?.stop();
});

describe('a webhook receiver down for part of the run', () => {
  it('ends with every matching change of the run delivered once, in cursor order, each signature verified', async () => {
    await receiver.stop();
    const registered = await fetch(`${stack.worker.url}/admin/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, secret: SECRET, filter: { sources: ['FIND_A_TENDER'] } }),
    });
    expect(registered.status).toBe(201);
    const { webhook } = (await registered.json()) as { webhook: { _id: string } };

    await stack.worker.runCron();
    // Down until the Worker has failed to deliver, and some more while the backfill goes on.
    await until(async () => ((await webhooksCollection(stack.db).findOne({ _id: webhook._id }))?.lastFailedAt ?? null) !== null, 5 * 60_000, 'the Worker never tried the receiver');
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await receiver.start();
    await waitForWindows(stack.db, { until: 'closed', timeoutMs: 10 * 60_000, idleMs: 60_000, onIdle: () => stack.worker.runCron() });

    const matching = (await readFeed()).filter((c) => c.source === 'FIND_A_TENDER');
    expect(matching.length).toBeGreaterThan(50);
    const last = matching.at(-1)!.cursor;
    await until(async () => ((await webhooksCollection(stack.db).findOne({ _id: webhook._id }))?.cursor ?? 0) >= last, 6 * 60_000, `the subscription never reached cursor ${last}`);
    expect(receiver.refused).toEqual([]);
    expect(receiver.delivered.map((d) => d.change.id)).toEqual(matching.map((c) => c.id));
    expect(receiver.delivered.map((d) => d.id)).toEqual(matching.map((c) => `${webhook._id}:${c.id}`));
    // Once on the wire too: no Worker was cut off here, so nothing was sent twice.
    expect(receiver.received).toHaveLength(receiver.delivered.length);
  }, 20 * 60_000);
});

async function until(condition: () => Promise<boolean>, timeoutMs: number, failure: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The whole feed through GET /changes, until it is caught up (behind a batch still being written, for SETTLE_MS at most). */
async function readFeed(): Promise<Change[]> {
  const changes: Change[] = [];
  let after = 0;
  const deadline = Date.now() + SETTLE_MS + 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${stack.worker.url}/changes?after=${after}&limit=1000`, { headers: { authorization: `Bearer ${stack.adminToken}` } });
    const page = (await response.json()) as { changes: Change[]; next: number; caughtUp: boolean };
    changes.push(...page.changes);
    if (page.caughtUp) return changes;
    if (page.next === after) await new Promise((resolve) => setTimeout(resolve, 2_000));
    after = page.next;
  }
  throw new Error('the feed was not caught up');
}
