import { afterAll, describe, expect, it } from 'vitest';
import { produce } from '../../producer/scheduled.ts';
import type { WriteMessage } from '../../shared/queue/messages.ts';
import { pcsNoticeByScRef } from '../../shared/mapping/relatedNotices.ts';
import { TLS_PROBE_MS } from '../../shared/rateGate/tlsFailure.ts';
import { findATender } from '../../shared/sources/findATender.ts';
import { pcsOcidLinkedBy, scRefOf } from '../../shared/sources/pcs/pcsReferences.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import { generateDataset } from '../simulator/dataset.ts';
import { ftsCopyOf } from '../simulator/ftsCopiesOfPcs.ts';
import { mulberry32 } from '../simulator/random.ts';
import { expectBuyersExact } from '../stack/expectations.ts';
import { callWorker } from './callWorker.ts';
import { deliverAll } from './deliverAll.ts';
import { handlerStack, type HandlerStack } from './handlerStack.ts';
import { startUntrustedServer } from './untrustedServer.ts';

/**
 * Public Contracts Scotland end to end in process: cron, fetch and write handlers against the
 * simulator's `/v1/Notices` (a month of one notice type per request, no paging, a BOM, empty months
 * without `releases`) and MongoDB. The backfill stores every simulated PCS notice once, asking each
 * month × notice type once; the next hour re-reads the current month and writes only what changed
 * (a new notice, and a notice's new release). The notices PCS sent on to Find a Tender (the
 * simulator's copies, ftsCopiesOfPcs.ts) and their copies name each other, whichever came first, and
 * share their registry buyer (issue 25's "Done when"). PCS off, or its TLS failing, leaves the other two as ever.
 */
const PCS = 'PUBLIC_CONTRACTS_SCOTLAND';
const backfillAt = new Date('2024-03-10T12:00:00Z');
const nextHour = new Date('2024-03-10T13:00:00Z');
const dataset = generateDataset({ seed: 25, from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-03-10T00:00:00Z'), ftsPerDay: 2, cfPerDay: 2, pcsPerDay: 3, real: 'none' });
const START_DATES = { FTS_START_DATE: '2024-03-01', CF_START_DATE: '2024-03-01', PCS_START_DATE: '2024-01-01' };
const on = handlerStack({ prefix: 'h_pcs', upstream: { dataset }, vars: { ...START_DATES, PCS_ENABLED: 'true' } });
const off = handlerStack({ prefix: 'h_pcs_off', upstream: { dataset }, vars: { ...START_DATES, PCS_ENABLED: 'false' } });
// PCS's servers leave out their intermediate certificate (UPSTREAM.md): PCS_API_URL at a server whose chain cannot be verified.
const untrusted = await startUntrustedServer();
afterAll(() => untrusted.close());
const tls = handlerStack({ prefix: 'h_pcs_tls', upstream: { dataset }, vars: { ...START_DATES, PCS_ENABLED: 'true', PCS_API_URL: untrusted.url } });

/**
 * Cron runs at `now`, each followed by every message they send, until a run sends nothing more to do
 * now (the hour's delta ticks dropped; windows handed on for later stay on the queue).
 */
async function runHour(stack: HandlerStack, now: Date): Promise<WriteMessage[]> {
  const writes: WriteMessage[] = [];
  for (let run = 0; run < 20; run++) {
    await produce(stack.env, now);
    stack.env.FETCH_QUEUE.takeWhere((m) => (m.body as { type?: string }).type === 'tick');
    if (stack.env.FETCH_QUEUE.sent.every((m) => m.delaySeconds)) return writes;
    await deliverAll(stack.env, (delivered) => writes.push(...(delivered as WriteMessage[])));
  }
  throw new Error('the pipeline did not settle in 20 runs');
}

const pcsAsked = (stack: HandlerStack) => stack.simulator.requests.filter((r) => r.source === PCS).map((r) => `${r.query.dateFrom} ${r.query.noticeType}`);
const storedNotices = async (stack: HandlerStack, source: string) => (await stack.db.collection(COLLECTIONS.contracts).find({ source }, { projection: { noticeId: 1 } }).toArray()).map((c) => String(c.noticeId)).sort();
/** The notices a source's history holds: FTS and CF start in March. */
const noticesOf = (source: keyof typeof dataset) => [...new Set(dataset[source].filter((r) => source === PCS || r.date >= new Date(`${START_DATES.FTS_START_DATE}T00:00:00Z`)).map((r) => r.notice))].sort();
const TYPES = ['101', '102', '103', '104'];
/** The status page's figures of each source. */
const figuresOf = async (stack: HandlerStack) => {
  const { body } = await callWorker(stack.env, 'GET', '/status');
  return new Map((body.sources as { source: string; figures: Record<string, unknown> }[]).map((s) => [s.source, s.figures]));
};
const FTS = 'FIND_A_TENDER';
/** The Find a Tender copies of simulated PCS notices that FTS's history holds (from March), and which notice each is a copy of. */
const pcsByScRef = new Map(dataset[PCS].map((r) => [scRefOf(r.release.description), r.notice]));
const copies = dataset[FTS].filter((r) => noticesOf(FTS).includes(r.notice) && pcsOcidLinkedBy(r.release.links) !== undefined && pcsByScRef.has(scRefOf(r.release.description)));
const pcsOf = new Map(copies.map((copy) => [copy.id, pcsByScRef.get(scRefOf(copy.release.description))!]));
const copyOf = new Map(copies.map((copy) => [pcsOf.get(copy.id)!, copy]));
/** Each contract's `relatedNotices` (none: []), by contract id. */
const relatedNoticesBySource = async (stack: HandlerStack) =>
  new Map((await stack.db.collection(COLLECTIONS.contracts).find({}, { projection: { relatedNotices: 1 } }).toArray()).map((c) => [String(c._id), c.relatedNotices ?? []]));

describe('Public Contracts Scotland, on', () => {
  it('backfills every simulated notice once, each month × notice type asked once', async () => {
    await runHour(on, backfillAt);

    expect(dataset[PCS].length).toBeGreaterThan(150);
    expect(new Set(dataset[PCS].map((r) => r.noticeType))).toEqual(new Set([101, 102, 103, 104]));
    expect(await storedNotices(on, PCS)).toEqual(noticesOf(PCS));
    expect(await on.db.collection(COLLECTIONS.contracts).countDocuments({ source: PCS })).toBe(dataset[PCS].length);
    // January and February as history, March as this hour's re-read: each month's chain is its four notice types.
    expect(pcsAsked(on).sort()).toEqual(['01-2024', '02-2024', '03-2024'].flatMap((month) => TYPES.map((type) => `${month} ${type}`)));
    expect(await windowsCollection(on.db).find({ kind: 'window', source: PCS, state: { $ne: 'done' } }, { projection: { state: 1, lastError: 1, events: 1 } }).toArray()).toEqual([]);
    // The other two sources, beside it, as ever.
    for (const source of ['FIND_A_TENDER', 'CONTRACTS_FINDER'] as const) expect(await storedNotices(on, source)).toEqual(noticesOf(source));
  });

  it('links each PCS notice sent on to Find a Tender with its copy and the copy with it; PCS buyers in the registry with exact counts', async () => {
    const named = await relatedNoticesBySource(on);
    expect(copies.length, 'PCS notices with a copy stored').toBeGreaterThanOrEqual(3);
    for (const pcs of dataset[PCS]) {
      const copy = copyOf.get(pcs.notice);
      expect(named.get(`${PCS}:${pcs.notice}`), `${pcs.notice} names its copy`).toEqual(copy ? [{ source: FTS, noticeId: copy.id, url: findATender.sourceUrl(copy.id) }] : []);
    }
    for (const copy of copies) expect(named.get(`${FTS}:${copy.id}`), `${copy.id} names its PCS notice`).toEqual([{ source: PCS, url: pcsNoticeByScRef(scRefOf(copy.release.description)!) }]);

    // Every PCS buyer in the registry, known by its name within its postcode district unless a copy's
    // buyer of that name was registered first; a copy and its PCS notice share their buyer.
    const buyerOf = new Map((await on.db.collection(COLLECTIONS.contracts).find({}, { projection: { buyerOrg: 1 } }).toArray()).map((c) => [String(c._id), c.buyerOrg as string]));
    const pcsBuyers = [...new Set(dataset[PCS].map((r) => buyerOf.get(`${PCS}:${r.notice}`)!))];
    expect(pcsBuyers.filter((id) => /^name-[a-z0-9-]+@[a-z]{1,2}\d[a-z\d]?$/.test(id)).length).toBeGreaterThan(20);
    expect(await on.db.collection(COLLECTIONS.buyers).countDocuments({ _id: { $in: pcsBuyers as never[] }, mergedInto: { $exists: false } })).toBe(pcsBuyers.length);
    for (const copy of copies) expect(buyerOf.get(`${FTS}:${copy.id}`), `${copy.id}'s buyer`).toBe(buyerOf.get(`${PCS}:${pcsOf.get(copy.id)}`));
    await expectBuyersExact(on.db);
  });

  it('re-reads the current month the next hour, writing only the new and the changed notice, with no reconciliation finding', async () => {
    const march = dataset[PCS].filter((r) => r.date >= new Date('2024-03-01T00:00:00Z'));
    const [changed, template] = march;
    // A PCS notice changes as a new release of it: `rls-<n>-<notice>` with a higher n.
    const changedId = changed.id.replace(/^rls-1-/, 'rls-2-');
    const count = await on.db.collection(COLLECTIONS.contracts).countDocuments({ source: PCS });
    // A copy sent on a day late, of a PCS notice the backfill stored: the PCS notice stored first, its copy the next hour
    // (the backfill's pairs met the other way round or in one batch).
    const lateOriginal = march.find((r) => r.noticeType === 102 && !copyOf.has(r.notice) && r !== changed)!;
    const lateCopy = ftsCopyOf({ release: lateOriginal.release, noticeType: 102 }, new Date('2024-03-10T12:30:00Z'), { ocid: () => 'ocds-h6vhtk-0fff01', release: () => ({ id: '999001-2024', noticeGuid: null }) }, mulberry32(25));
    on.simulator.publish(FTS, [lateCopy]);
    on.simulator.publish(PCS, [
      { ...changed, id: changedId, release: { ...changed.release, id: changedId, tender: { ...(changed.release.tender as object), title: 'Changed after the backfill' } } },
      {
        ...template,
        id: 'rls-1-MAR999001',
        notice: 'MAR999001',
        date: new Date('2024-03-10T00:00:00Z'),
        release: { ...template.release, id: 'rls-1-MAR999001', ocid: 'ocds-r6ebe6-0000999001', date: '2024-03-10T00:00:00Z', tender: { ...(template.release.tender as object), title: 'New after the backfill' } },
      },
    ]);
    on.simulator.resetLog();

    const writes = await runHour(on, nextHour);

    expect(pcsAsked(on)).toEqual(TYPES.map((type) => `03-2024 ${type}`));
    const written = writes.flatMap((w) => w.releases.filter((r) => r.contract.source === PCS).map((r) => r.contract.noticeId));
    expect(written.sort()).toEqual(['MAR999001', changed.notice].sort());
    const reread = await windowsCollection(on.db).findOne({ _id: `${PCS}:delta:2024-03-10T13:2024-03` });
    expect(reread).toMatchObject({ span: 'delta', state: 'done', releasesWritten: 2, from: new Date('2024-03-01T00:00:00Z'), to: nextHour });
    expect(await on.db.collection(COLLECTIONS.contracts).findOne({ source: PCS, noticeId: 'MAR999001' })).toMatchObject({ title: 'New after the backfill' });
    expect(await on.db.collection(COLLECTIONS.contracts).findOne({ source: PCS, noticeId: changed.notice })).toMatchObject({ title: 'Changed after the backfill' });
    expect(await on.db.collection(COLLECTIONS.contracts).countDocuments({ source: PCS })).toBe(count + 1);
    expect(await on.db.collection(COLLECTIONS.reconciliation).countDocuments({ source: PCS })).toBe(0);
    const named = await relatedNoticesBySource(on);
    expect(named.get(`${PCS}:${lateOriginal.notice}`), 'the PCS notice names its later copy').toEqual([{ source: FTS, noticeId: lateCopy.id, url: findATender.sourceUrl(lateCopy.id) }]);
    expect(named.get(`${FTS}:${lateCopy.id}`), 'the later copy names its PCS notice').toEqual([{ source: PCS, url: pcsNoticeByScRef(scRefOf(lateOriginal.release.description)!) }]);
    // A newer release of a notice with a copy still names it.
    expect(named.get(`${PCS}:${changed.notice}`)).toEqual(copyOf.has(changed.notice) ? [{ source: FTS, noticeId: copyOf.get(changed.notice)!.id, url: findATender.sourceUrl(copyOf.get(changed.notice)!.id) }] : []);
  });
});

describe('Public Contracts Scotland, off (PCS_ENABLED=false)', () => {
  it('is not asked and has no window; Find a Tender and Contracts Finder are copied as ever', async () => {
    await runHour(off, backfillAt);

    expect(off.simulator.requests.filter((r) => r.source === PCS)).toEqual([]);
    expect(await windowsCollection(off.db).countDocuments({ source: PCS })).toBe(0);
    expect(await off.db.collection(COLLECTIONS.contracts).countDocuments({ source: PCS })).toBe(0);
    for (const source of ['FIND_A_TENDER', 'CONTRACTS_FINDER'] as const) expect(await storedNotices(off, source)).toEqual(noticesOf(source));
    expect(await windowsCollection(off.db).countDocuments({ kind: 'window', state: { $ne: 'done' } })).toBe(0);
  });
});

describe("Public Contracts Scotland's TLS failing", () => {
  it('holds PCS with its own remedy, nothing stored, retried or failed; Find a Tender and Contracts Finder backfill complete as ever', async () => {
    await runHour(tls, backfillAt);

    expect(untrusted.connections, 'requests that reached the untrusted server').toBeGreaterThanOrEqual(1);
    expect(tls.simulator.requests.filter((r) => r.source === PCS)).toEqual([]);
    expect(await tls.db.collection(COLLECTIONS.contracts).countDocuments({ source: PCS })).toBe(0);
    const figures = await figuresOf(tls);
    expect(figures.get(PCS)).toMatchObject({ tlsError: { since: expect.any(String), reason: expect.stringContaining('TLS: the server\'s certificate chain could not be verified') }, windows: { failed: 0 } });
    expect((figures.get(PCS)!.tlsError as { reason: string }).reason).toMatch(/or set PCS_ENABLED=false to copy the other two without it\.$/);
    // Its windows held for the hour (handed on, delayed), none retried.
    const held = await windowsCollection(tls.db).find({ kind: 'window', source: PCS }, { projection: { state: 1, attempts: 1 } }).toArray();
    expect(held.length).toBeGreaterThan(0);
    for (const window of held) expect(window).toMatchObject({ state: 'fetching', attempts: 0 });
    expect(tls.env.FETCH_QUEUE.sent.length).toBeGreaterThan(0);
    for (const message of tls.env.FETCH_QUEUE.sent) expect(message.delaySeconds, 'a held window comes back in').toBeGreaterThan(TLS_PROBE_MS / 1000 - 60);
    expect(tls.env.FETCH_DLQ.sent).toEqual([]);
    expect(await tls.db.collection(COLLECTIONS.messageFailures).countDocuments()).toBe(0);

    for (const source of [FTS, 'CONTRACTS_FINDER'] as const) {
      expect(await storedNotices(tls, source)).toEqual(noticesOf(source));
      expect(figures.get(source)).toMatchObject({ tlsError: null, lastError: null, windows: { failed: 0 } });
    }
    expect(await windowsCollection(tls.db).countDocuments({ kind: 'window', source: { $ne: PCS }, state: { $ne: 'done' } })).toBe(0);
  });
});

