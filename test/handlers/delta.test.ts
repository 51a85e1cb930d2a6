import { describe, expect, it } from 'vitest';
import { produce } from '../../producer/scheduled.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { republished } from '../simulator/republish.ts';
import { deliverAll } from './deliverAll.ts';
import { handlerStack } from './handlerStack.ts';

/**
 * After the backfill, the next hourly run's delta window picks up what the services published
 * since: a new notice on each service, and a changed FTS notice (FTS filters on last-updated, so
 * the change comes back dated by itself). Cron, fetch and write handlers in process, with a clock
 * of the test's choosing; the upstream simulator and MongoDB are real.
 */
const backfillAt = new Date('2024-03-10T12:00:00Z');
const nextHour = new Date('2024-03-10T13:00:00Z');
const dataset = generateDataset({ seed: 9, from: new Date('2024-02-01T00:00:00Z'), to: new Date('2024-03-10T11:00:00Z'), ftsPerDay: 6, cfPerDay: 4 });
const stack = handlerStack({ prefix: 'h_delta', upstream: { dataset }, vars: { FTS_START_DATE: '2024-02-01', CF_START_DATE: '2024-02-01' } });

/**
 * One cron run at `now`, then every message it and its consumers send, until a run sends nothing
 * more. The delta ticks it sends for later in the hour are dropped: this test is about the hourly run.
 */
async function runHour(now: Date): Promise<void> {
  for (let run = 0; run < 20; run++) {
    await produce(stack.env, now);
    stack.env.FETCH_QUEUE.takeWhere((m) => (m.body as { type?: string }).type === 'tick');
    if (stack.env.FETCH_QUEUE.sent.length === 0) return;
    // What the consumers finish is closed and topped up by the next run.
    await deliverAll(stack.env);
  }
  throw new Error('the pipeline did not settle in 20 runs');
}

const contract = (source: string, noticeId: string) => stack.db.collection(COLLECTIONS.contracts).findOne({ source, noticeId });

describe('a delta after the backfill', () => {
  it('backfills the history first', async () => {
    await runHour(backfillAt);
    const open = await windowsCollection(stack.db).countDocuments({ kind: 'window', state: { $ne: 'done' } });
    expect(open).toBe(0);
    for (const source of ['FIND_A_TENDER', 'CONTRACTS_FINDER'] as const) {
      // One contract per notice: a CF notice's versions are one contract.
      expect(await stack.db.collection(COLLECTIONS.contracts).countDocuments({ source })).toBe(new Set(dataset[source].map((r) => r.notice)).size);
    }
    // The change feed: exactly one `new` entry per notice stored.
    const stored = (await stack.db.collection(COLLECTIONS.contracts).find({}, { projection: { _id: 1 } }).toArray()).map((c) => String(c._id));
    const fresh = (await stack.db.collection(COLLECTIONS.changes).find({ kind: 'new' }).toArray()).map((e) => `${e.source}:${e.noticeId}`);
    expect(fresh.sort()).toEqual(stored.sort());
  });

  it('picks up a new notice on each service and a changed FTS notice at the next hourly run', async () => {
    const [changedFts, newFtsTemplate] = dataset.FIND_A_TENDER.filter((r) => (r.release.tender as { title?: unknown } | undefined)?.title !== undefined);
    const newCfTemplate = dataset.CONTRACTS_FINDER.find((r) => (r.release.tender as { title?: unknown } | undefined)?.title !== undefined)!;
    const before = await contract('FIND_A_TENDER', changedFts.id);
    expect(before?.title).not.toBe('Changed after the backfill');

    stack.simulator.publish('FIND_A_TENDER', [
      republished(changedFts, new Date('2024-03-10T12:20:00Z'), { title: 'Changed after the backfill' }),
      republished(newFtsTemplate, new Date('2024-03-10T12:10:00Z'), { id: '900001-2024', title: 'New after the backfill' }),
    ]);
    stack.simulator.publish('CONTRACTS_FINDER', [republished(newCfTemplate, new Date('2024-03-10T12:15:00Z'), { id: '0b0b0b0b-0000-4000-8000-000000000001-000001', title: 'New CF notice after the backfill' })]);
    const lastCursor = (await stack.db.collection(COLLECTIONS.changes).find({ cursor: { $gt: 0 } }).sort({ cursor: -1 }).limit(1).next())!.cursor as number;
    const counts = { fts: await stack.db.collection(COLLECTIONS.contracts).countDocuments({ source: 'FIND_A_TENDER' }), cf: await stack.db.collection(COLLECTIONS.contracts).countDocuments({ source: 'CONTRACTS_FINDER' }) };

    await runHour(nextHour);

    const delta = await windowsCollection(stack.db).findOne({ _id: 'FIND_A_TENDER:delta:2024-03-10T11:59:00.000Z' });
    expect(delta).toMatchObject({ span: 'delta', state: 'done', to: new Date('2024-03-10T12:59:00Z'), from: new Date('2024-03-10T11:44:00Z') });
    expect(await contract('FIND_A_TENDER', '900001-2024')).toMatchObject({ title: 'New after the backfill', releaseDate: new Date('2024-03-10T12:10:00Z') });
    expect(await contract('CONTRACTS_FINDER', '0b0b0b0b-0000-4000-8000-000000000001')).toMatchObject({ title: 'New CF notice after the backfill', releaseId: '0b0b0b0b-0000-4000-8000-000000000001-000001' });
    const changed = await contract('FIND_A_TENDER', changedFts.id);
    expect(changed).toMatchObject({ title: 'Changed after the backfill', releaseDate: new Date('2024-03-10T12:20:00Z'), createdAt: before!.createdAt });
    expect(await stack.db.collection(COLLECTIONS.contracts).countDocuments({ source: 'FIND_A_TENDER' })).toBe(counts.fts + 1);
    expect(await stack.db.collection(COLLECTIONS.contracts).countDocuments({ source: 'CONTRACTS_FINDER' })).toBe(counts.cf + 1);
    // The change feed: one entry per notice that changed, none for the notices the delta's overlap read again.
    const later = await stack.db.collection(COLLECTIONS.changes).find({ cursor: { $gt: lastCursor }, kind: { $ne: 'batch' } }).sort({ cursor: 1 }).toArray();
    // The new CF notice joins its template's procurement (the same ocid), whose deadline it moves: an entry for the procurement.
    expect(later.map((e) => `${e.kind} ${e.noticeId ?? e.ocid}`).sort()).toEqual(
      ['new 0b0b0b0b-0000-4000-8000-000000000001', 'new 900001-2024', `updated ${changedFts.id}`, `deadline changed ${String(newCfTemplate.release.ocid)}`].sort(),
    );
    expect(later.find((e) => e.noticeId === changedFts.id)?.fields).toContain('title');
  });
});
